import { httpRoute, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { retirePartnerSecret } from '../use-cases/partner-secrets.js';
import { partnerPorts } from './partner-ports.js';

export const create = (ports: Pick<Ports, StoreName | 'secrets' | 'clock' | 'logger'>) =>
  httpRoute('retire-partner-secret', async (request) => {
    const partnerId = pathParam(request, 'partnerId');
    const secretId = pathParam(request, 'secretId');
    ports.logger.appendKeys({ partnerId });
    await retirePartnerSecret(ports, partnerId, secretId, request.actor!);
    ports.logger.info('partner secret retired', { secretId });
    return { status: 204 };
  });

export const handler = create(partnerPorts('retire-partner-secret'));
