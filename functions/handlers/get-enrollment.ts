import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { lazyPorts, type Ports } from '../ports.js';
import { readEnrollment } from '../use-cases/enrollments.js';

export const create = (ports: Pick<Ports, 'repo' | 'settings'>) =>
  httpRoute('get-enrollment', async (request) => ok(await readEnrollment(ports, pathParam(request, 'id'), request.actor!)));

export const handler = create(lazyPorts({ repo: dynamoRepository, settings: envSettings }));
