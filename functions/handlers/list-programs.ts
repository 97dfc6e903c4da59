import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { httpRoute, ok } from '../http/handler.js';
import { lazyPorts, type Ports } from '../ports.js';
import { listPrograms } from '../use-cases/programs.js';

export const create = (ports: Pick<Ports, 'repo'>) =>
  httpRoute('list-programs', async () => ok({ programs: await listPrograms(ports.repo) }));

export const handler = create(lazyPorts({ repo: dynamoRepository }));
