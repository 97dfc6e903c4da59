import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok } from '../http/handler.js';
import { lazyPorts, type Ports } from '../ports.js';
import { listMyEnrollments } from '../use-cases/enrollments.js';

export const create = (ports: Pick<Ports, 'repo' | 'settings'>) =>
  httpRoute('list-my-enrollments', async (request) => ok({ enrollments: await listMyEnrollments(ports, request.actor!) }));

export const handler = create(lazyPorts({ repo: dynamoRepository, settings: envSettings }));
