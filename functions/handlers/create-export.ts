import { tableStores } from '../adapters/dynamodb/client.js';
import { sqsExportQueue } from '../adapters/aws/sqs-queues.js';
import { httpRoute, jsonBody } from '../http/handler.js';
import { startExport } from '../use-cases/exports.js';
import { productionPorts, systemClock, type Ports } from '../wiring.js';
import { exportBody, exportRequest } from './export-request.js';
import { partnersFor } from './list-filters.js';

export const create = (ports: Pick<Ports, 'exports' | 'exportQueue' | 'clock' | 'partners'>) =>
  httpRoute('create-export', async (request) => {
    const { kind, filters } = jsonBody(request, exportBody);
    const checked = exportRequest(kind, filters, kind === 'enrollments' ? await partnersFor(filters, ports.partners) : undefined);
    return { status: 202, body: await startExport(ports, checked, request.actor!) };
  });

const stores = tableStores();
export const handler = create(
  productionPorts('create-export', {
    exports: stores.exports,
    partners: stores.partners,
    exportQueue: sqsExportQueue,
    clock: () => systemClock,
  }),
);
