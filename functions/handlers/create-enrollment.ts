import * as z from 'zod/mini';
import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { configuredUnsubscribeKeys } from '../adapters/aws/secrets-manager-unsubscribe-key.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { created, httpRoute, jsonBody } from '../http/handler.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { enrollStudent } from '../use-cases/enrollments.js';
import { externalIdSchema, emailSchema, knownPartnerSchema, knownPartners } from './schemas.js';

const body = (partners: ReadonlySet<string>) =>
  z.strictObject({
    studentEmail: emailSchema,
    studentName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
    programId: z.string().check(z.minLength(1), z.maxLength(63)),
    partnerAccounts: z.optional(z.record(knownPartnerSchema(partners), externalIdSchema)),
  });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'mailer' | 'unsubscribeKeys' | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('create-enrollment', async (request) => {
    const input = jsonBody(request, body(await knownPartners(ports.partners)));
    const enrollment = await enrollStudent(ports, input, request.actor!);
    ports.logger.appendKeys({ enrollmentId: enrollment.id });
    return created(enrollment);
  });

export const handler = create(
  productionPorts('create-enrollment', {
    ...tableStores(),
    workflow: stepFunctionsWorkflow(systemClock),
    mailer: sesMailer,
    unsubscribeKeys: () => configuredUnsubscribeKeys(),
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
