import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, pathParam, text } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { getCredential } from '../use-cases/credentials.js';

// OB 3.0: a credential in the JWT proof format is served as text/plain. It never changes once issued.
export const create = (ports: Pick<Ports, StoreName>) =>
  httpRoute('get-credential', async (request) => {
    const id = pathParam(request, 'id').toUpperCase();
    return text(await getCredential(ports, id), 'text/plain; charset=utf-8', {
      'content-disposition': `inline; filename="${id.replace(/[^A-Z0-9-]/g, '')}.jwt"`,
      'access-control-allow-origin': '*',
    });
  });

export const handler = create(productionPorts('get-credential', tableStores()));
