import { tableStores } from '../adapters/dynamodb/client.js';
import { s3ExportFiles } from '../adapters/aws/s3-exports.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { readExport } from '../use-cases/exports.js';
import { productionPorts, type Ports } from '../wiring.js';

export const create = (ports: Pick<Ports, 'exports' | 'exportFiles'>) =>
  httpRoute('get-export', async (request) => ok(await readExport(ports, pathParam(request, 'exportId'))));

export const handler = create(productionPorts('get-export', { exports: tableStores().exports, exportFiles: s3ExportFiles }));
