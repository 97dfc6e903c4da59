import { tableStores } from '../adapters/dynamodb/client.js';
import { created, httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { savePartner } from '../use-cases/partners.js';
import * as z from 'zod/mini';

// The partner's own rules (scheme fields, pointers, URLs, courses) are checked by the domain, naming each field.
const body = z.unknown();

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'logger'>) =>
  httpRoute('save-partner', async (request) => {
    const partnerId = pathParam(request, 'partnerId');
    ports.logger.appendKeys({ partnerId });
    const result = await savePartner(ports, partnerId, jsonBody(request, body), request.actor!);
    return result.created ? created(result.partner) : ok(result.partner);
  });

export const handler = create(productionPorts('save-partner', { ...tableStores(), clock: () => systemClock, logger: () => logger }));
