import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { cancelEnrollment } from '../use-cases/enrollment-admin.js';
import { reasonSchema } from './schemas.js';

const body = z.strictObject({ reason: reasonSchema });

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('cancel-enrollment', async (request) => {
    const { reason } = jsonBody(request, body);
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    return ok(await cancelEnrollment(ports, { enrollmentId, reason }, request.actor!));
  });

// No workflow port: a cancelled enrollment has nothing left to advance.
export const handler = create(
  productionPorts('cancel-enrollment', { ...tableStores(), clock: () => systemClock, settings: envSettings, logger: () => logger }),
);
