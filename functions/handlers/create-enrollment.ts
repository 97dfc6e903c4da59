import * as z from 'zod/mini';
import { created, httpRoute, jsonBody } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { enrollStudent } from '../use-cases/enrollments.js';
import { externalIdSchema, emailSchema, knownPartnerSchema, knownPartners } from './schemas.js';
import { transitionPorts } from './transition-ports.js';

const body = (partners: ReadonlySet<string>) =>
  z.strictObject({
    studentEmail: emailSchema,
    studentName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
    programId: z.string().check(z.minLength(1), z.maxLength(63)),
    partnerAccounts: z.optional(z.record(knownPartnerSchema(partners), externalIdSchema)),
  });

export const create = (ports: Pick<Ports, StoreName | 'workflow' | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('create-enrollment', async (request) => {
    const input = jsonBody(request, body(await knownPartners(ports.partners)));
    const enrollment = await enrollStudent(ports, input, request.actor!);
    ports.logger.appendKeys({ enrollmentId: enrollment.id });
    return created(enrollment);
  });

export const handler = create(transitionPorts('create-enrollment'));
