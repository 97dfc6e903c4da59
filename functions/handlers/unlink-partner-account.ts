import * as z from 'zod/mini';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { unlinkPartnerAccount } from '../use-cases/account-corrections.js';
import { reasonSchema } from './schemas.js';
import { transitionPorts } from './transition-ports.js';

const body = z.strictObject({ reason: reasonSchema });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'logger'>) =>
  httpRoute('unlink-partner-account', async (request) => {
    const { reason } = jsonBody(request, body);
    const partnerId = pathParam(request, 'partnerId');
    ports.logger.appendKeys({ partnerId });
    return ok(await unlinkPartnerAccount(ports, { partnerId, externalId: pathParam(request, 'externalId'), reason }, request.actor!));
  });

export const handler = create(transitionPorts('unlink-partner-account'));
