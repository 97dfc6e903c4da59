import * as z from 'zod/mini';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { reapplyToAccountOwner } from '../use-cases/account-corrections.js';
import { reasonSchema } from './schemas.js';
import { transitionPorts } from './transition-ports.js';

const body = z.strictObject({ webhookId: z.string().check(z.minLength(1), z.maxLength(200)), reason: reasonSchema });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'logger'>) =>
  httpRoute('reapply-partner-event', async (request) => {
    const input = jsonBody(request, body);
    const partnerId = pathParam(request, 'partnerId');
    ports.logger.appendKeys({ partnerId, webhookId: input.webhookId });
    return ok(await reapplyToAccountOwner(ports, { ...input, partnerId, externalId: pathParam(request, 'externalId') }, request.actor!));
  });

export const handler = create(transitionPorts('reapply-partner-event'));
