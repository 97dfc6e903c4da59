import * as z from 'zod/mini';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { movePartnerAccount } from '../use-cases/account-corrections.js';
import { emailSchema, reasonSchema } from './schemas.js';
import { transitionPorts } from './transition-ports.js';

const body = z.strictObject({ studentEmail: emailSchema, reason: reasonSchema });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'logger'>) =>
  httpRoute('move-partner-account', async (request) => {
    const input = jsonBody(request, body);
    const partnerId = pathParam(request, 'partnerId');
    ports.logger.appendKeys({ partnerId });
    return ok(await movePartnerAccount(ports, { ...input, partnerId, externalId: pathParam(request, 'externalId') }, request.actor!));
  });

export const handler = create(transitionPorts('move-partner-account'));
