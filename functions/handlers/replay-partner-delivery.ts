import { tableStores } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { replayDelivery } from '../use-cases/delivery-log.js';

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'logger'>) =>
  httpRoute('replay-partner-delivery', async (request) => {
    const partnerId = pathParam(request, 'partnerId');
    const deliveryId = pathParam(request, 'deliveryId');
    ports.logger.appendKeys({ partnerId, webhookId: deliveryId });
    return ok(await replayDelivery(ports, partnerId, deliveryId, request.actor!));
  });

export const handler = create(
  productionPorts('replay-partner-delivery', {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
