import * as z from 'zod/mini';
import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, ok, validate } from '../http/handler.js';
import { lazyPorts, type Ports } from '../ports.js';
import { searchEnrollments } from '../use-cases/enrollments.js';

const query = z.object({ q: z.string().check(z.maxLength(254)) });

export const create = (ports: Pick<Ports, 'repo' | 'settings'>) =>
  httpRoute('search-enrollments', async (request) => {
    const { q } = validate(query, request.query);
    return ok({ enrollments: await searchEnrollments(ports, q) });
  });

export const handler = create(lazyPorts({ repo: dynamoRepository, settings: envSettings }));
