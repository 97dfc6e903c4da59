import * as z from 'zod/mini';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { retryWorkflow } from '../use-cases/enrollment-admin.js';
import { transitionPorts } from './transition-ports.js';

// An empty body is a plain retry; {"resendEmail": true} also allows a second email when the
// first one's outcome is unknown (the admin has checked it was not delivered).
const body = z.strictObject({ resendEmail: z._default(z.boolean(), false) });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('retry-workflow', async (request) => {
    const { resendEmail } = jsonBody(request, body, { optional: true });
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    return ok(await retryWorkflow(ports, { enrollmentId, resendEmail }, request.actor!));
  });

export const handler = create(transitionPorts('retry-workflow'));
