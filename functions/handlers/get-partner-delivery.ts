import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { readDelivery } from '../use-cases/delivery-log.js';

export const create = (ports: Pick<Ports, StoreName>) =>
  httpRoute('get-partner-delivery', async (request) =>
    ok(await readDelivery(ports, pathParam(request, 'partnerId'), pathParam(request, 'deliveryId'))),
  );

export const handler = create(productionPorts('get-partner-delivery', { ...tableStores() }));
