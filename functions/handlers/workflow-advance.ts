import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { logger } from '../observability.js';
import { lazyPorts, systemClock, type Ports } from '../ports.js';
import { advanceEnrollment } from '../use-cases/workflow-tasks.js';
import { workflowTask } from '../workflow/task-handler.js';

export const create = (ports: Pick<Ports, 'repo' | 'clock' | 'logger'>) => workflowTask((input) => advanceEnrollment(ports, input));
export const handler = create(lazyPorts({ repo: dynamoRepository, clock: () => systemClock, logger: () => logger }));
