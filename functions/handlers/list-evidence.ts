import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { validationError } from '../domain/errors.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { listEvidence } from '../use-cases/evidence-review.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { knownPartnerSchema, knownPartners, queryNumber } from './schemas.js';

const query = (partners: ReadonlySet<string>) =>
  z.object({
    status: z._default(z.enum(['pending', 'approved', 'rejected']), 'pending'),
    partnerId: z.optional(knownPartnerSchema(partners)),
    limit: z._default(queryNumber(1, 100, { integer: true }), 50),
    cursor: z.optional(z.string().check(z.maxLength(2000))),
  });

export const create = (ports: Pick<Ports, StoreName | 'uploads'>) =>
  httpRoute('list-evidence', async (request) => {
    const { cursor, partnerId, ...input } = validate(query(await knownPartners(ports.partners)), request.query);
    if (cursor && !partnerId) throw validationError('cursor: pages through one partner’s queue; send partnerId with it');
    const page = await listEvidence(ports, { ...input, ...(partnerId ? { partnerId } : {}), ...(cursor ? { cursor } : {}) });
    return ok({ evidence: page.items, ...(page.next ? { next: page.next } : {}), ...(page.more ? { more: true } : {}) });
  });

export const handler = create(productionPorts('list-evidence', { ...tableStores(), uploads: s3Uploads }));
