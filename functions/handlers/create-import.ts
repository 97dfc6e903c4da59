import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { created, httpRoute, jsonBody } from '../http/handler.js';
import { createImport } from '../use-cases/imports.js';
import { productionPorts, systemClock, type Ports } from '../wiring.js';
import { createImportBody } from './import-request.js';

export const create = (ports: Pick<Ports, 'imports' | 'uploads' | 'partners' | 'clock'>) =>
  httpRoute('create-import', async (request) => {
    const { kind, partnerId, fileName } = jsonBody(request, createImportBody);
    return created(await createImport(ports, { kind, fileName, ...(partnerId ? { partnerId } : {}) }, request.actor!));
  });

export const handler = create(
  productionPorts('create-import', {
    imports: tableStores().imports,
    partners: tableStores().partners,
    uploads: s3Uploads,
    clock: () => systemClock,
  }),
);
