import { httpRoute, ok, pathParam } from '../http/handler.js';
import { enableEndpoint } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';

export const create = (ports: EndpointPorts) =>
  httpRoute('enable-event-endpoint', async (request) => ok(await enableEndpoint(endpointDeps(ports), pathParam(request, 'endpointId'))));

export const handler = create(productionPorts('enable-event-endpoint', endpointFactories({ queue: false })));
