// Scheduled (EventBridge Scheduler, every 15 minutes): welcome emails a request did not send,
// steps past their due date, scheduled reminders. Reads the schedule index only; safe to overlap.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { configuredUnsubscribeKeys } from '../adapters/aws/secrets-manager-unsubscribe-key.js';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { DEFAULT_SWEEP, sweepSchedule, type SweepReport } from '../use-cases/reminder-sweep.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';

/** What the sweep leaves of its time limit when it stops starting new work. */
const RESERVE_MS = 15_000;

export const create = (ports: Pick<Ports, StoreName | 'mailer' | 'unsubscribeKeys' | 'clock' | 'settings' | 'logger'>) =>
  middy<unknown, SweepReport>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (_event, context: Context) =>
      sweepSchedule(ports, { ...DEFAULT_SWEEP, timeLeft: () => context.getRemainingTimeInMillis() > RESERVE_MS }),
    );

export const handler = create(
  productionPorts('reminder-sweep', {
    ...tableStores(),
    mailer: sesMailer,
    unsubscribeKeys: () => configuredUnsubscribeKeys(),
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
