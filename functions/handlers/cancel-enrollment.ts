import * as z from 'zod/mini';
import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { lazyPorts, systemClock, type Ports } from '../ports.js';
import { cancelEnrollment } from '../use-cases/cancel-enrollment.js';
import { reasonSchema } from './schemas.js';

const body = z.strictObject({ reason: reasonSchema });

export const create = (ports: Pick<Ports, 'repo' | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('cancel-enrollment', async (request) => {
    const { reason } = jsonBody(request, body);
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    return ok(await cancelEnrollment(ports, { enrollmentId, reason }, request.actor!));
  });

// No workflow port: a cancelled enrollment has nothing left to advance.
export const handler = create(lazyPorts({ repo: dynamoRepository, clock: () => systemClock, settings: envSettings, logger: () => logger }));
