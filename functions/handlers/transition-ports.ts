// The production ports of handlers that commit a transition and start the workflow.
import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { lazyPorts, systemClock } from '../ports.js';

export const transitionPorts = () =>
  lazyPorts({
    repo: dynamoRepository,
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  });
