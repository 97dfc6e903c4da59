import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';

export const create = (ports: Pick<Ports, 'deliveries'>) =>
  httpRoute('count-unmatched-events', async () => ok({ count: await ports.deliveries.countUnmatched() }));

export const handler = create(productionPorts('count-unmatched-events', { deliveries: tableStores().deliveries }));
