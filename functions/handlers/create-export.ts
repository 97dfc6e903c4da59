import { tableStores } from '../adapters/dynamodb/client.js';
import { sqsExportQueue } from '../adapters/aws/sqs-queues.js';
import { httpRoute, jsonBody } from '../http/handler.js';
import { startExport } from '../use-cases/exports.js';
import { productionPorts, systemClock, type Ports } from '../wiring.js';
import { exportBody, exportRequest } from './export-request.js';

export const create = (ports: Pick<Ports, 'exports' | 'exportQueue' | 'clock'>) =>
  httpRoute('create-export', async (request) => {
    const { kind, filters } = jsonBody(request, exportBody);
    return { status: 202, body: await startExport(ports, exportRequest(kind, filters), request.actor!) };
  });

export const handler = create(
  productionPorts('create-export', { exports: tableStores().exports, exportQueue: sqsExportQueue, clock: () => systemClock }),
);
