import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { rejectEvidence } from '../use-cases/evidence-review.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { reasonSchema } from './schemas.js';

const body = z.strictObject({ reason: reasonSchema });

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'logger'>) =>
  httpRoute('reject-evidence', async (request) => {
    const { reason } = jsonBody(request, body);
    const evidenceId = pathParam(request, 'evidenceId');
    ports.logger.appendKeys({ evidenceId });
    return ok(await rejectEvidence(ports, { evidenceId, reason }, request.actor!));
  });

export const handler = create(productionPorts('reject-evidence', { ...tableStores(), clock: () => systemClock, logger: () => logger }));
