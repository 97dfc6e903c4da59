import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { listPrograms } from '../use-cases/programs.js';

export const create = (ports: Pick<Ports, StoreName>) =>
  httpRoute('list-programs', async () => ok({ programs: await listPrograms(ports.catalog) }));

export const handler = create(productionPorts('list-programs', { ...tableStores() }));
