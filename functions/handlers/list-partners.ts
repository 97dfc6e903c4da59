import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { listPartners } from '../use-cases/partners.js';

export const create = (ports: Pick<Ports, StoreName>) =>
  httpRoute('list-partners', async () => ok({ partners: await listPartners(ports) }));

export const handler = create(productionPorts('list-partners', { ...tableStores() }));
