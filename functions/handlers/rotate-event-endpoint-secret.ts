import { httpRoute, ok, pathParam } from '../http/handler.js';
import { rotateSecret } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';

export const create = (ports: EndpointPorts) =>
  httpRoute('rotate-event-endpoint-secret', async (request) =>
    ok(await rotateSecret(endpointDeps(ports), pathParam(request, 'endpointId'))),
  );

export const handler = create(productionPorts('rotate-event-endpoint-secret', endpointFactories({ queue: false })));
