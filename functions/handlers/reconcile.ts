// Scheduled (EventBridge Scheduler): restarts advances that no execution finished, finishes
// re-applying waiting events, and gives recent unmatched events a second look, while time lasts.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { tableStores } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { DEFAULT_RECONCILE, reconcile, type ReconcileReport } from '../use-cases/reconcile.js';

/** What the reconciler leaves of its time limit when it stops, to save where it stopped. */
const RESERVE_MS = 10_000;

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'logger'>) =>
  middy<unknown, ReconcileReport>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (_event, context: Context) =>
      reconcile(ports, { ...DEFAULT_RECONCILE, timeLeft: () => context.getRemainingTimeInMillis() > RESERVE_MS }),
    );

export const handler = create(
  productionPorts('reconcile', {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
