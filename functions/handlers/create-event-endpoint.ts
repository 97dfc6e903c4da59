import * as z from 'zod/mini';
import { created, httpRoute, jsonBody } from '../http/handler.js';
import { registerEndpoint } from '../use-cases/outbound-endpoints.js';
import { productionPorts } from '../wiring.js';
import { endpointDeps, endpointFactories, type EndpointPorts } from './event-endpoint-ports.js';

const body = z.strictObject({
  url: z.string().check(z.trim(), z.maxLength(2048)),
  events: z.array(z.string()).check(z.minLength(1, 'must name at least one event type'), z.maxLength(20)),
  description: z.optional(z.string().check(z.trim(), z.maxLength(200))),
});

export const create = (ports: EndpointPorts) =>
  httpRoute('create-event-endpoint', async (request) => {
    const input = jsonBody(request, body);
    const endpoint = await registerEndpoint(
      endpointDeps(ports),
      { ...input, ...(input.description ? { description: input.description } : {}) },
      request.actor!,
    );
    return created(endpoint);
  });

export const handler = create(productionPorts('create-event-endpoint', endpointFactories({ queue: false })));
