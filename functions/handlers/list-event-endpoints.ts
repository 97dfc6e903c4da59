import { httpRoute, ok } from '../http/handler.js';
import { listEndpoints } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';

export const create = (ports: EndpointPorts) =>
  httpRoute('list-event-endpoints', async () => ok({ endpoints: await listEndpoints(endpointDeps(ports)) }));

export const handler = create(productionPorts('list-event-endpoints', endpointFactories({ queue: false })));
