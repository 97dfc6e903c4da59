import * as z from 'zod/mini';
import { created, httpRoute, jsonBody, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { createPartnerSecret } from '../use-cases/partner-secrets.js';
import { partnerPorts } from './partner-ports.js';

// No "secret": one is generated. Supplied: some platforms dictate their own signing key.
const body = z.strictObject({ secret: z.optional(z.string().check(z.maxLength(512))) });

export const create = (ports: Pick<Ports, StoreName | 'secrets' | 'clock' | 'logger'>) =>
  httpRoute('create-partner-secret', async (request) => {
    const partnerId = pathParam(request, 'partnerId');
    ports.logger.appendKeys({ partnerId });
    const { secret } = jsonBody(request, body, { optional: true });
    const result = await createPartnerSecret(ports, partnerId, secret, request.actor!);
    ports.logger.info('partner secret created', { secretId: result.secretId, supplied: secret !== undefined });
    return created(result);
  });

export const handler = create(partnerPorts('create-partner-secret'));
