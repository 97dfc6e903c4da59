import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { verifyCertificate } from '../use-cases/certificates.js';

export const create = (ports: Pick<Ports, StoreName | 'settings' | 'clock'>) =>
  httpRoute('verify-certificate', async (request) => ok(await verifyCertificate(ports, pathParam(request, 'id'))));

export const handler = create(productionPorts('verify-certificate', { ...tableStores(), settings: envSettings, clock: () => systemClock }));
