// The production ports of handlers that commit a transition and start the workflow.
import { tableStores } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { lazyPorts, systemClock } from '../wiring.js';

export const transitionPorts = () =>
  lazyPorts({
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  });
