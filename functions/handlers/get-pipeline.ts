import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { readPipeline } from '../use-cases/pipeline.js';
import { queryNumber } from './schemas.js';

// Fractions are allowed (0.5 = twelve hours).
const query = z.object({ stuckDays: z._default(queryNumber(0, 3650), 7) });

export const create = (ports: Pick<Ports, StoreName | 'clock'>) =>
  httpRoute('get-pipeline', async (request) => {
    const { stuckDays } = validate(query, request.query);
    return ok(await readPipeline(ports, stuckDays));
  });

export const handler = create(productionPorts('get-pipeline', { ...tableStores(), clock: () => systemClock }));
