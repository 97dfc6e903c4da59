import { kmsCredentialSigner } from '../adapters/aws/kms-signer.js';
import { envSettings } from '../config.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';
import { getPublicKey } from '../use-cases/credentials.js';

// The URL a credential's `kid` names: it dereferences to the public JWK itself.
export const create = (ports: Pick<Ports, 'signer' | 'settings'>) =>
  httpRoute('issuer-key', async (request) => ({
    ...ok(await getPublicKey(ports, pathParam(request, 'keyId'))),
    headers: { 'content-type': 'application/jwk+json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  }));

export const handler = create(productionPorts('issuer-key', { signer: kmsCredentialSigner, settings: envSettings }));
