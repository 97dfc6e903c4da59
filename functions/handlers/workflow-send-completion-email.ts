import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { sendCompletionEmail } from '../use-cases/workflow-tasks.js';
import { workflowTask } from '../workflow/task-handler.js';

export const create = (ports: Pick<Ports, StoreName | 'mailer' | 'clock' | 'settings' | 'logger'>) =>
  workflowTask((input) => sendCompletionEmail(ports, input));
export const handler = create(
  productionPorts('workflow-send-completion-email', {
    ...tableStores(),
    mailer: sesMailer,
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
