import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { listUnmatchedEvents } from '../use-cases/partner-accounts.js';
import { queryNumber } from './schemas.js';

const query = z.object({
  limit: z._default(queryNumber(1, 100, { integer: true }), 50),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const create = (ports: Pick<Ports, StoreName>) =>
  httpRoute('list-unmatched-events', async (request) => {
    const { limit, cursor } = validate(query, request.query);
    const page = await listUnmatchedEvents(ports.deliveries, limit, cursor);
    return ok({ events: page.items, ...(page.next ? { next: page.next } : {}) });
  });

export const handler = create(productionPorts('list-unmatched-events', { ...tableStores() }));
