// SES bounce and complaint notifications: the configuration set's event destination publishes to an
// SNS topic this function subscribes to. A malformed record is logged and skipped (the others are
// still applied); a failure to store a suppression fails the invocation, so SNS delivers it again.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { tableStores } from '../adapters/dynamodb/client.js';
import { logger } from '../observability.js';
import { recordMailFeedback, type FeedbackReport } from '../use-cases/mail-feedback.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'logger'>) =>
  middy<SNSEvent, FeedbackReport>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const total: FeedbackReport = { suppressed: [], ignored: 0 };
      for (const record of event?.Records ?? []) {
        let message: unknown;
        try {
          message = JSON.parse(record.Sns.Message);
        } catch {
          ports.logger.error('mail feedback that is not JSON; skipped', { messageId: record.Sns?.MessageId });
          total.ignored++;
          continue;
        }
        const report = await recordMailFeedback(ports, message);
        total.suppressed.push(...report.suppressed);
        total.ignored += report.ignored;
      }
      return total;
    });

export const handler = create(productionPorts('mail-feedback', { ...tableStores(), clock: () => systemClock, logger: () => logger }));
