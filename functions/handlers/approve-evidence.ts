import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { approveEvidence } from '../use-cases/evidence-review.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';

const body = z.strictObject({ note: z.optional(z.string().check(z.trim(), z.maxLength(500))) });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'logger'>) =>
  httpRoute('approve-evidence', async (request) => {
    const { note } = jsonBody(request, body, { optional: true });
    const evidenceId = pathParam(request, 'evidenceId');
    ports.logger.appendKeys({ evidenceId });
    return ok(await approveEvidence(ports, { evidenceId, ...(note ? { note } : {}) }, request.actor!));
  });

export const handler = create(
  productionPorts('approve-evidence', {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
