import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok, pathParam, validate } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { listDeliveries } from '../use-cases/delivery-log.js';
import { queryNumber } from './schemas.js';

const query = z.object({
  outcome: z.optional(z.enum(['applied', 'duplicate', 'unmatched', 'ignored'])),
  limit: z._default(queryNumber(1, 100, { integer: true }), 25),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const create = (ports: Pick<Ports, StoreName>) =>
  httpRoute('list-partner-deliveries', async (request) => {
    const { outcome, limit, cursor } = validate(query, request.query);
    const page = await listDeliveries(ports, pathParam(request, 'partnerId'), {
      limit,
      ...(outcome ? { outcome } : {}),
      ...(cursor ? { cursor } : {}),
    });
    return ok({ deliveries: page.items, ...(page.next ? { next: page.next } : {}) });
  });

export const handler = create(productionPorts('list-partner-deliveries', { ...tableStores() }));
