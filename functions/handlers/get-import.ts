import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { readImport } from '../use-cases/imports.js';
import { productionPorts, type Ports } from '../wiring.js';

export const create = (ports: Pick<Ports, 'imports' | 'uploads'>) =>
  httpRoute('get-import', async (request) => ok(await readImport(ports, pathParam(request, 'importId'))));

export const handler = create(productionPorts('get-import', { imports: tableStores().imports, uploads: s3Uploads }));
