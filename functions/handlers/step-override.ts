// Shared by complete-step, waive-step and skip-step: the same override with a different action.
import * as z from 'zod/mini';
import { credentialExpiry } from '../domain/partner-events.js';
import { httpRoute, jsonBody, ok, pathParam, validate } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { overrideStep, type OverrideAction } from '../use-cases/enrollment-admin.js';
import { queryNumber, reasonSchema, partnerIdSchema } from './schemas.js';

const body = z.strictObject({
  reason: reasonSchema,
  partnerId: z.optional(partnerIdSchema),
  /** Completing or waiving by hand with a partner credential that has its own expiry (an HSI card's date). */
  credentialExpiresAt: z.optional(z.string()),
});
const sequence = queryNumber(1, 99, { integer: true });

export type OverridePorts = Pick<Ports, StoreName | 'workflow' | 'clock' | 'settings' | 'logger'>;

export const createOverride = (routeId: 'complete-step' | 'waive-step' | 'skip-step', action: OverrideAction) => (ports: OverridePorts) =>
  httpRoute(routeId, async (request) => {
    const { credentialExpiresAt, ...input } = jsonBody(request, body);
    const expiry = credentialExpiry(credentialExpiresAt, 'credentialExpiresAt');
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    const view = await overrideStep(
      ports,
      {
        enrollmentId,
        sequence: validate(sequence, pathParam(request, 'sequence')),
        action,
        ...input,
        ...(expiry ? { credentialExpiresAt: expiry } : {}),
      },
      request.actor!,
    );
    return ok(view);
  });
