import * as z from 'zod/mini';
import { httpRoute, ok, pathParam, validate } from '../http/handler.js';
import { listDeliveries } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';
import { queryNumber } from './schemas.js';

const query = z.strictObject({
  limit: z._default(queryNumber(1, 100, { integer: true }), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const create = (ports: EndpointPorts) =>
  httpRoute('list-event-deliveries', async (request) => {
    const { limit, cursor } = validate(query, request.query);
    const page = await listDeliveries(endpointDeps(ports), pathParam(request, 'endpointId'), limit, cursor);
    return ok({ deliveries: page.items.map((d) => ({ deliveryId: d.eventId, ...d })), ...(page.next ? { cursor: page.next } : {}) });
  });

export const handler = create(productionPorts('list-event-deliveries', endpointFactories({ queue: false })));
