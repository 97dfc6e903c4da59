import * as z from 'zod/mini';
import { httpRoute, jsonBody, ok, pathParam, validate } from '../http/handler.js';
import { reopenStep } from '../use-cases/enrollment-admin.js';
import type { OverridePorts } from './step-override.js';
import { partnerIdSchema, queryNumber, reasonSchema } from './schemas.js';
import { transitionPorts } from './transition-ports.js';

const body = z.strictObject({ reason: reasonSchema, partnerId: z.optional(partnerIdSchema) });

export const create = (ports: OverridePorts) =>
  httpRoute('reopen-step', async (request) => {
    const input = jsonBody(request, body);
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    const sequence = validate(queryNumber(1, 99, { integer: true }), pathParam(request, 'sequence'));
    return ok(await reopenStep(ports, { enrollmentId, sequence, ...input }, request.actor!));
  });

export const handler = create(transitionPorts('reopen-step'));
