import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { revokeCertificate } from '../use-cases/certificates.js';
import { reasonSchema } from './schemas.js';

const body = z.strictObject({ reason: reasonSchema });

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('revoke-certificate', async (request) => {
    const { reason } = jsonBody(request, body);
    return ok(await revokeCertificate(ports, pathParam(request, 'id'), reason, request.actor!));
  });

export const handler = create(
  productionPorts('revoke-certificate', { ...tableStores(), clock: () => systemClock, settings: envSettings, logger: () => logger }),
);
