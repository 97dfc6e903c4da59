import { z } from 'zod';
import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { lazyPorts, type Ports } from '../ports.js';
import { listUnmatchedEvents } from '../use-cases/partner-accounts.js';

const query = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().max(2000).optional() });

export const create = (ports: Pick<Ports, 'repo'>) =>
  httpRoute('list-unmatched-events', async (request) => {
    const { limit, cursor } = validate(query, request.query);
    const page = await listUnmatchedEvents(ports.repo, limit, cursor);
    return ok({ events: page.items, ...(page.next ? { next: page.next } : {}) });
  });

export const handler = create(lazyPorts({ repo: dynamoRepository }));
