import { tableStores } from '../adapters/dynamodb/client.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { advanceEnrollment } from '../use-cases/workflow-tasks.js';
import { workflowTask } from '../workflow/task-handler.js';

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'logger'>) => workflowTask((input) => advanceEnrollment(ports, input));
export const handler = create(productionPorts('workflow-advance', { ...tableStores(), clock: () => systemClock, logger: () => logger }));
