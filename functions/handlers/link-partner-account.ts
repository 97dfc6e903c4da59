import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { httpRoute, jsonBody, ok } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { linkPartnerAccount } from '../use-cases/partner-accounts.js';
import { emailSchema, externalIdSchema, partnerIdSchema } from './schemas.js';

const body = z.strictObject({ partnerId: partnerIdSchema, externalId: externalIdSchema, studentEmail: emailSchema });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'logger'>) =>
  httpRoute('link-partner-account', async (request) => {
    const input = jsonBody(request, body);
    ports.logger.appendKeys({ partnerId: input.partnerId });
    return ok(await linkPartnerAccount(ports, input));
  });

export const handler = create(
  productionPorts('link-partner-account', {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
