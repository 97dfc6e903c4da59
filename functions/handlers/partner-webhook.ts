import { tableStores } from '../adapters/dynamodb/client.js';
import { configuredPartnerSecrets } from '../adapters/aws/secrets-manager-partner-secrets.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { countMetric, logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { receivePartnerWebhook } from '../use-cases/receive-partner-webhook.js';

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'secrets' | 'clock' | 'logger'>) =>
  httpRoute('partner-webhook', async (request) => {
    const partnerId = pathParam(request, 'partnerId');
    ports.logger.appendKeys({ partnerId, webhookId: request.headers['webhook-id'] });
    const result = await receivePartnerWebhook(ports, { partnerId, headers: request.headers, rawBody: request.rawBody });
    ports.logger.info('webhook processed', { outcome: result.status, reason: result.reason, appliedTo: result.appliedTo });
    countMetric(`Webhook_${result.status}`, { partnerId });
    return ok({ status: result.status });
  });

export const handler = create(
  productionPorts('partner-webhook', {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    secrets: () => configuredPartnerSecrets(),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
