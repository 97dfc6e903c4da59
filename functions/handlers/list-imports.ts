import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { httpRoute, ok } from '../http/handler.js';
import { listImports } from '../use-cases/imports.js';
import { productionPorts, type Ports } from '../wiring.js';

export const create = (ports: Pick<Ports, 'imports' | 'uploads'>) => httpRoute('list-imports', async () => ok(await listImports(ports)));

export const handler = create(productionPorts('list-imports', { imports: tableStores().imports, uploads: s3Uploads }));
