import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, jsonBody, ok } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { dismissUnmatchedEvent } from '../use-cases/dismiss-unmatched-event.js';
import { knownPartnerSchema, knownPartners, reasonSchema } from './schemas.js';

// The event is named in the body, not the path: webhook-ids are chosen by partners and may hold
// characters ("/", "?") that API Gateway decodes before it matches a route.
const body = (partners: ReadonlySet<string>) =>
  z.strictObject({
    partnerId: knownPartnerSchema(partners),
    webhookId: z.string().check(z.minLength(1), z.maxLength(200)),
    reason: reasonSchema,
  });

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'logger'>) =>
  httpRoute('dismiss-unmatched-event', async (request) => {
    const input = jsonBody(request, body(await knownPartners(ports.partners)));
    ports.logger.appendKeys({ partnerId: input.partnerId, webhookId: input.webhookId });
    return ok(await dismissUnmatchedEvent(ports, input, request.actor!));
  });

export const handler = create(
  productionPorts('dismiss-unmatched-event', { ...tableStores(), clock: () => systemClock, logger: () => logger }),
);
