import { kmsCredentialSigner } from '../adapters/aws/kms-signer.js';
import { envSettings } from '../config.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';
import { getJwks } from '../use-cases/credentials.js';

export const create = (ports: Pick<Ports, 'signer' | 'settings'>) =>
  httpRoute('issuer-jwks', async () => ({
    ...ok(await getJwks(ports)),
    headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  }));

export const handler = create(productionPorts('issuer-jwks', { signer: kmsCredentialSigner, settings: envSettings }));
