import { envSettings } from '../config.js';
import { httpRoute, pathParam } from '../http/handler.js';
import { sendTestPing } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';

export const create = (ports: EndpointPorts) =>
  httpRoute('test-event-endpoint', async (request) => ({
    status: 202,
    body: await sendTestPing(endpointDeps(ports), pathParam(request, 'endpointId'), request.actor!),
  }));

export const handler = create(
  productionPorts('test-event-endpoint', endpointFactories({ queue: true, siteUrl: () => envSettings().siteUrl })),
);
