import { httpRoute, ok, pathParam } from '../http/handler.js';
import { deleteEndpoint } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';

export const create = (ports: EndpointPorts) =>
  httpRoute('delete-event-endpoint', async (request) => ok(await deleteEndpoint(endpointDeps(ports), pathParam(request, 'endpointId'))));

export const handler = create(productionPorts('delete-event-endpoint', endpointFactories({ queue: false })));
