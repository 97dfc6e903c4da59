import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { EVIDENCE_FILE_TYPES, MAX_EVIDENCE_FILE_BYTES } from '../domain/evidence.js';
import { credentialExpiry } from '../domain/partner-events.js';
import { created, httpRoute, jsonBody, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { submitEvidence } from '../use-cases/evidence-submission.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { partnerIdSchema } from './schemas.js';

const body = z.strictObject({
  sequence: z.number().check(z.int(), z.minimum(1), z.maximum(99)),
  partnerId: z.optional(partnerIdSchema),
  /** The card, certificate or candidate number. */
  reference: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100)),
  completedAt: z.string(),
  expiresAt: z.optional(z.string()),
  file: z.optional(
    z.strictObject({
      contentType: z.enum(EVIDENCE_FILE_TYPES, { error: 'must be application/pdf, image/png or image/jpeg' }),
      size: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_EVIDENCE_FILE_BYTES, 'must be at most 10 MB (10485760 bytes)')),
    }),
  ),
});

export const create = (ports: Pick<Ports, StoreName | 'uploads' | 'clock' | 'logger'>) =>
  httpRoute('submit-evidence', async (request) => {
    const { completedAt, expiresAt, ...input } = jsonBody(request, body);
    const enrollmentId = pathParam(request, 'id');
    ports.logger.appendKeys({ enrollmentId });
    const expiry = credentialExpiry(expiresAt, 'expiresAt');
    const result = await submitEvidence(
      ports,
      {
        enrollmentId,
        ...input,
        completedAt: credentialExpiry(completedAt, 'completedAt')!,
        ...(expiry ? { credentialExpiresAt: expiry } : {}),
      },
      request.actor!,
    );
    return created(result);
  });

export const handler = create(
  productionPorts('submit-evidence', { ...tableStores(), uploads: s3Uploads, clock: () => systemClock, logger: () => logger }),
);
