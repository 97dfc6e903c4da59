import { kmsCredentialSigner } from '../adapters/aws/kms-signer.js';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, pathParam, text } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { getStatusList } from '../use-cases/credentials.js';

// Never cached at the edge: a revocation shows on the next request.
export const create = (ports: Pick<Ports, StoreName | 'signer' | 'settings'>) =>
  httpRoute('issuer-status-list', async (request) =>
    text(await getStatusList(ports, pathParam(request, 'list')), 'text/plain; charset=utf-8', { 'access-control-allow-origin': '*' }),
  );

export const handler = create(
  productionPorts('issuer-status-list', { ...tableStores(), signer: kmsCredentialSigner, settings: envSettings }),
);
