// Scheduled (EventBridge Scheduler, every minute): relay the outbox, queue every attempt that is due.
import type { Context } from 'aws-lambda';
import { tableStores } from '../adapters/dynamodb/client.js';
import { sqsDeliveryQueue } from '../adapters/aws/sqs-queues.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { sweepOutbound } from '../use-cases/outbound-dispatch.js';
import { productionPorts, systemClock, type Ports } from '../wiring.js';

/** Seconds of the function's time left aside for the last page's writes. */
const RESERVE_MS = 10_000;

export const create =
  (ports: Pick<Ports, 'outbound' | 'deliveryQueue' | 'clock' | 'settings' | 'logger'>) => async (_event: unknown, context?: Context) => {
    const timeLeft = () => (context ? context.getRemainingTimeInMillis() > RESERVE_MS : true);
    const result = await sweepOutbound(ports, timeLeft);
    ports.logger.info('outbound sweep', result);
    return result;
  };

export const handler = create(
  productionPorts('sweep-events', {
    outbound: tableStores().outbound,
    deliveryQueue: sqsDeliveryQueue,
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
