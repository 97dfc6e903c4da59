import * as z from 'zod/mini';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { testWebhook } from '../use-cases/webhook-test.js';
import { partnerPorts } from './partner-ports.js';

const body = z.strictObject({
  headers: z._default(z.record(z.string().check(z.maxLength(100)), z.string().check(z.maxLength(10_000))), {}),
  body: z.string().check(z.maxLength(256 * 1024)),
});

export const create = (ports: Pick<Ports, StoreName | 'secrets' | 'keySets' | 'clock' | 'logger'>) =>
  httpRoute('test-partner-webhook', async (request) => {
    const input = jsonBody(request, body);
    return ok(await testWebhook(ports, pathParam(request, 'partnerId'), input));
  });

export const handler = create(partnerPorts('test-partner-webhook'));
