import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { listExpiringCertificates } from '../use-cases/certificates.js';
import { queryNumber } from './schemas.js';

const query = z.object({ expiringWithinDays: z.optional(queryNumber(1, 3650)), cursor: z.optional(z.string().check(z.maxLength(2000))) });

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'settings'>) =>
  httpRoute('list-certificates', async (request) => {
    const { expiringWithinDays, cursor } = validate(query, request.query);
    return ok(await listExpiringCertificates(ports, expiringWithinDays ?? 60, cursor));
  });

export const handler = create(productionPorts('list-certificates', { ...tableStores(), clock: () => systemClock, settings: envSettings }));
