import { z } from 'zod';
import { PARTNER_IDS } from '../domain/partners.js';
import { created, httpRoute, jsonBody } from '../http/handler.js';
import type { Ports } from '../ports.js';
import { enrollStudent } from '../use-cases/enrollments.js';
import { externalIdSchema, emailSchema } from './schemas.js';
import { transitionPorts } from './transition-ports.js';

const body = z
  .object({
    studentEmail: emailSchema,
    studentName: z.string().trim().min(1).max(120).optional(),
    programId: z.string().min(1).max(63),
    partnerAccounts: z.partialRecord(z.enum(PARTNER_IDS), externalIdSchema).optional(),
  })
  .strict();

export const create = (ports: Pick<Ports, 'repo' | 'workflow' | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('create-enrollment', async (request) => {
    const input = jsonBody(request, body);
    const enrollment = await enrollStudent(ports, input, request.actor!);
    ports.logger.appendKeys({ enrollmentId: enrollment.id });
    return created(enrollment);
  });

export const handler = create(transitionPorts());
