// Scheduled (EventBridge Scheduler): restarts advances that no execution finished.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { logger } from '../observability.js';
import { lazyPorts, systemClock, type Ports } from '../ports.js';
import { reconcile } from '../use-cases/reconcile.js';

export const create = (ports: Pick<Ports, 'repo' | 'workflow' | 'clock' | 'logger'>) =>
  middy()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => reconcile(ports));

export const handler = create(
  lazyPorts({ repo: dynamoRepository, workflow: stepFunctionsWorkflow(systemClock), clock: () => systemClock, logger: () => logger }),
);
