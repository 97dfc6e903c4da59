// The ports every event-endpoint route gets, and the deps their use cases take.
import { tableStores } from '../adapters/dynamodb/client.js';
import { SafeWebhookSender } from '../adapters/http/webhook-sender.js';
import { sqsDeliveryQueue } from '../adapters/aws/sqs-queues.js';
import { outboundAllowLoopback } from '../config.js';
import { logger } from '../observability.js';
import type { EndpointDeps } from '../use-cases/outbound-endpoints.js';
import { systemClock, type Ports } from '../wiring.js';

export type EndpointPorts = Pick<Ports, 'outbound' | 'deliveryQueue' | 'webhookSender' | 'clock' | 'settings' | 'logger'>;

export const endpointDeps = (ports: EndpointPorts): EndpointDeps => ({
  ...ports,
  refusedUrl: (url) => ports.webhookSender.refusedUrl(url),
});

/** Production factories (the queue only for the routes that queue an attempt; a settings port without SITE_URL for the others). */
export const endpointFactories = (options: { queue: boolean; siteUrl?: () => string }) => ({
  outbound: tableStores().outbound,
  webhookSender: () => new SafeWebhookSender({ allowLoopback: outboundAllowLoopback() }),
  deliveryQueue: options.queue ? sqsDeliveryQueue : () => ({ enqueue: () => Promise.reject(new Error('this route queues no delivery')) }),
  clock: () => systemClock,
  settings: () => ({
    get siteUrl() {
      if (!options.siteUrl) throw new Error('this route builds no site link');
      return options.siteUrl();
    },
  }),
  logger: () => logger,
});
