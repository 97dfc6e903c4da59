import { httpRoute, pathParam } from '../http/handler.js';
import { replayDelivery } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';

export const create = (ports: EndpointPorts) =>
  httpRoute('replay-event-delivery', async (request) => ({
    status: 202,
    body: await replayDelivery(endpointDeps(ports), pathParam(request, 'endpointId'), pathParam(request, 'deliveryId')),
  }));

export const handler = create(productionPorts('replay-event-delivery', endpointFactories({ queue: true })));
