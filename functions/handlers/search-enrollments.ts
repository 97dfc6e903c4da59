import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { searchEnrollments } from '../use-cases/enrollments.js';

const query = z.object({ q: z.string().check(z.maxLength(254)) });

export const create = (ports: Pick<Ports, StoreName | 'settings' | 'clock'>) =>
  httpRoute('search-enrollments', async (request) => {
    const { q } = validate(query, request.query);
    return ok({ enrollments: await searchEnrollments(ports, q) });
  });

export const handler = create(productionPorts('search-enrollments', { ...tableStores(), settings: envSettings, clock: () => systemClock }));
