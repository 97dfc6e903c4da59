import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { markEmailSent } from '../use-cases/enrollment-admin.js';
import { reasonSchema } from './schemas.js';

const body = z.strictObject({ reason: reasonSchema });

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('mark-email-sent', async (request) => {
    const { reason } = jsonBody(request, body);
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    return ok(await markEmailSent(ports, { enrollmentId, reason }, request.actor!));
  });

// No workflow port: marking the email sent ends the automation; nothing is left to run.
export const handler = create(
  productionPorts('mark-email-sent', { ...tableStores(), clock: () => systemClock, settings: envSettings, logger: () => logger }),
);
