import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { listMyEnrollments } from '../use-cases/enrollments.js';

export const create = (ports: Pick<Ports, StoreName | 'settings' | 'clock'>) =>
  httpRoute('list-my-enrollments', async (request) => ok({ enrollments: await listMyEnrollments(ports, request.actor!) }));

export const handler = create(
  productionPorts('list-my-enrollments', { ...tableStores(), settings: envSettings, clock: () => systemClock }),
);
