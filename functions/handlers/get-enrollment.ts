import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { readEnrollment } from '../use-cases/enrollments.js';

export const create = (ports: Pick<Ports, StoreName | 'settings' | 'clock'>) =>
  httpRoute('get-enrollment', async (request) => ok(await readEnrollment(ports, pathParam(request, 'id'), request.actor!)));

export const handler = create(productionPorts('get-enrollment', { ...tableStores(), settings: envSettings, clock: () => systemClock }));
