import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { sqsImportQueue } from '../adapters/aws/sqs-queues.js';
import { httpRoute, jsonBody, pathParam } from '../http/handler.js';
import { runImport } from '../use-cases/imports.js';
import { productionPorts, systemClock, type Ports } from '../wiring.js';
import { runImportBody } from './import-request.js';

export const create = (ports: Pick<Ports, 'imports' | 'importQueue' | 'uploads' | 'clock'>) =>
  httpRoute('start-import-run', async (request) => {
    const { dryRun } = jsonBody(request, runImportBody);
    return { status: 202, body: await runImport(ports, pathParam(request, 'importId'), { dryRun }, request.actor!) };
  });

export const handler = create(
  productionPorts('start-import-run', {
    imports: tableStores().imports,
    importQueue: sqsImportQueue,
    uploads: s3Uploads,
    clock: () => systemClock,
  }),
);
