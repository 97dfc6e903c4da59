// The production ports of handlers that commit a transition and start the workflow.
import { tableStores } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import type { FunctionId } from '../access.js';
import { productionPorts, systemClock } from '../wiring.js';

export const transitionPorts = (functionId: FunctionId) =>
  productionPorts(functionId, {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  });
