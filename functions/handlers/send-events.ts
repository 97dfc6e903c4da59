// Off the deliveries queue (SQS): one attempt per message. A message whose attempt throws is
// reported as a batch item failure, so SQS redelivers it (and moves it to the dead-letter queue
// after five receives); the delivery itself stays in the due index, so the sweep retries it anyway.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { tableStores } from '../adapters/dynamodb/client.js';
import { SafeWebhookSender } from '../adapters/http/webhook-sender.js';
import { deliveryRefOf, sqsDeliveryQueue } from '../adapters/aws/sqs-queues.js';
import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { cognitoAdminDirectory } from '../adapters/aws/cognito-admins.js';
import { envSettings, outboundAllowLoopback } from '../config.js';
import { logger } from '../observability.js';
import { attemptDelivery, type AttemptDeps } from '../use-cases/outbound-dispatch.js';
import { productionPorts, systemClock } from '../wiring.js';

export const create =
  (ports: AttemptDeps) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const ref = deliveryRefOf(record.body);
      if (!ref) {
        ports.logger.error('not a delivery message; dropped', { messageId: record.messageId });
        continue;
      }
      try {
        await attemptDelivery(ports, ref);
      } catch (error) {
        ports.logger.error('delivery attempt failed to run', { ...ref, error: String(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };

export const handler = create(
  productionPorts('send-events', {
    outbound: tableStores().outbound,
    deliveryQueue: sqsDeliveryQueue,
    webhookSender: () => new SafeWebhookSender({ allowLoopback: outboundAllowLoopback() }),
    mailer: () => sesMailer(),
    admins: cognitoAdminDirectory,
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
