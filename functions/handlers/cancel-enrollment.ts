import * as z from 'zod/mini';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import type { Ports } from '../ports.js';
import { cancelEnrollment } from '../use-cases/cancel-enrollment.js';
import { reasonSchema } from './schemas.js';
import { transitionPorts } from './transition-ports.js';

const body = z.strictObject({ reason: reasonSchema });

export const create = (ports: Pick<Ports, 'repo' | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('cancel-enrollment', async (request) => {
    const { reason } = jsonBody(request, body);
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    return ok(await cancelEnrollment(ports, { enrollmentId, reason }, request.actor!));
  });

export const handler = create(transitionPorts());
