// Shared by complete-step and waive-step: the same override with a different action.
import { z } from 'zod';
import { PARTNER_IDS } from '../domain/partners.js';
import { httpRoute, jsonBody, ok, pathParam, validate } from '../http/handler.js';
import type { Ports } from '../ports.js';
import { overrideStep, type OverrideAction } from '../use-cases/enrollments.js';
import { reasonSchema } from './schemas.js';

const body = z.object({ reason: reasonSchema, partnerId: z.enum(PARTNER_IDS).optional() }).strict();
const sequence = z.coerce.number().int().min(1).max(99);

export type OverridePorts = Pick<Ports, 'repo' | 'workflow' | 'clock' | 'settings' | 'logger'>;

export const createOverride = (routeId: 'complete-step' | 'waive-step', action: OverrideAction) => (ports: OverridePorts) =>
  httpRoute(routeId, async (request) => {
    const input = jsonBody(request, body);
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    const view = await overrideStep(
      ports,
      { enrollmentId, sequence: validate(sequence, pathParam(request, 'sequence')), action, ...input },
      request.actor!,
    );
    return ok(view);
  });
