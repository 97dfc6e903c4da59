import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { listQuery, partnersFor, toListFilters } from './list-filters.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { DEFAULT_PAGE, listEnrollments } from '../use-cases/list-enrollments.js';

// Partners are data: the query names one on record (a partner id that names none is a mistake to say, not an empty list).
const query = (partners: ReadonlySet<string>) =>
  z.strictObject({
    ...listQuery(partners).shape,
    limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
    cursor: z.optional(z.string().check(z.maxLength(4096))),
  });

export const create = (ports: Pick<Ports, StoreName | 'clock'>) =>
  httpRoute('list-enrollments', async (request) => {
    const { limit, cursor, ...rest } = validate(query(await partnersFor(request.query, ports.partners)), request.query);
    return ok(await listEnrollments(ports, toListFilters(rest), { limit: limit ?? DEFAULT_PAGE, ...(cursor ? { cursor } : {}) }));
  });

export const handler = create(productionPorts('list-enrollments', { ...tableStores(), clock: () => systemClock }));
