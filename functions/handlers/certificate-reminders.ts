// Scheduled (EventBridge Scheduler): emails students whose certificates expire in 60 and 14 days.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { cachedOrganization, tableStores } from '../adapters/dynamodb/client.js';
import { envOrganizationSettings } from '../config.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { sendExpiryReminders, type ReminderReport } from '../use-cases/expiry-reminders.js';

const RESERVE_MS = 10_000;

export const create = (ports: Pick<Ports, StoreName | 'mailer' | 'clock' | 'settings' | 'logger'>) =>
  middy<unknown, ReminderReport>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (_event, context: Context) =>
      sendExpiryReminders(ports, { timeLeft: () => context.getRemainingTimeInMillis() > RESERVE_MS }),
    );

const stores = tableStores();
export const handler = create(
  productionPorts('certificate-reminders', {
    ...stores,
    organization: cachedOrganization(stores),
    mailer: sesMailer,
    clock: () => systemClock,
    settings: envOrganizationSettings,
    logger: () => logger,
  }),
);
