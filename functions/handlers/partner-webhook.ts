import { tableStores } from '../adapters/dynamodb/client.js';
import { configuredPartnerSecrets } from '../adapters/aws/secrets-manager-partner-secrets.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { RemoteKeySets } from '../adapters/remote-key-sets.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { countMetric, logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { receivePartnerWebhook } from '../use-cases/receive-partner-webhook.js';
import { WebhookGuard } from '../use-cases/webhook-guard.js';

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'secrets' | 'keySets' | 'clock' | 'logger'>) => {
  // One per warm function: junk aimed at one partner's URL is refused early without touching the others.
  const guard = new WebhookGuard();
  return httpRoute('partner-webhook', async (request) => {
    const partnerId = pathParam(request, 'partnerId');
    ports.logger.appendKeys({ partnerId, webhookId: request.headers['webhook-id'] });
    const result = await receivePartnerWebhook({ ...ports, guard }, { partnerId, headers: request.headers, rawBody: request.rawBody });
    ports.logger.info('webhook processed', {
      outcome: result.status,
      reason: result.reason,
      appliedTo: result.appliedTo,
      items: result.items?.length,
    });
    countMetric(`Webhook_${result.status}`);
    return ok({
      status: result.status,
      ...(result.items ? { items: result.items.map((i) => ({ deliveryId: i.deliveryId, status: i.status })) } : {}),
    });
  });
};

export const handler = create(
  productionPorts('partner-webhook', {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    secrets: () => configuredPartnerSecrets(),
    keySets: () => new RemoteKeySets(),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
