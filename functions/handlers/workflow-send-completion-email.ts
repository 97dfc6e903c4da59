import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { cachedOrganization, tableStores } from '../adapters/dynamodb/client.js';
import { envOrganizationSettings } from '../config.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { sendCompletionEmail } from '../use-cases/workflow-tasks.js';
import { workflowTask } from '../workflow/task-handler.js';

export const create = (ports: Pick<Ports, StoreName | 'mailer' | 'clock' | 'settings' | 'logger'>) =>
  workflowTask((input) => sendCompletionEmail(ports, input));
const stores = tableStores();
export const handler = create(
  productionPorts('workflow-send-completion-email', {
    ...stores,
    organization: cachedOrganization(stores),
    mailer: sesMailer,
    clock: () => systemClock,
    settings: envOrganizationSettings,
    logger: () => logger,
  }),
);
