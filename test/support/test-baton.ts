// Starts local-mode Baton for a test file: its own table in the shared DynamoDB Local, its own
// data dir, known partner secrets, and small helpers to call the API as a given user.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.js';
import { SEED_PARTNER_IDS as PARTNER_IDS, type SeedPartnerId as PartnerId } from '../../functions/domain/seed-partners.js';
import { startLocalBaton, type LocalBaton, type LocalBatonOptions } from '../../local/baton.js';
import { localClientConfig } from '../../local/dynamodb-local.js';
import { completionBody, sendWebhook, signWebhook, type CompletionSpec } from '../../local/partner-webhook-client.js';

export const ADMIN = 'admin@test.com';
export const STUDENT = 'student@test.com';

export interface TestBaton extends LocalBaton {
  token(email: string): Promise<string>;
  api(
    method: string,
    path: string,
    options?: { as?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Signs with the partner's secret and posts to its webhook route. */
  webhook(
    partnerId: PartnerId,
    body: string,
    options?: { id?: string; secret?: string; timestamp?: Date; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  /** A signed completion in the seed's shape; `completedAt` defaults to Baton's clock. */
  complete(
    partnerId: PartnerId,
    spec: Omit<CompletionSpec, 'event'> & { event?: CompletionSpec['event'] },
    options?: { id?: string },
  ): Promise<{ status: number; body: any }>;
  /** Every item in this file's table (to prove a rejected request wrote nothing). */
  items(): Promise<Record<string, unknown>[]>;
  outbox(): string[];
  enroll(input: { studentEmail: string; programId: string; studentName?: string; partnerAccounts?: Record<string, string> }): Promise<any>;
  /** The enrollment as `GET /api/enrollments/{id}` answers it (to an admin unless `as` says who), once the workflow has settled. */
  enrollment(id: string, as?: string): Promise<any>;
}

export function partnerSecrets(): Record<PartnerId, string[]> {
  return Object.fromEntries(PARTNER_IDS.map((id) => [id, [`whsec_${randomBytes(24).toString('base64')}`]])) as Record<PartnerId, string[]>;
}

export async function startTestBaton(options: Partial<LocalBatonOptions> = {}): Promise<TestBaton> {
  const baton = await startLocalBaton({
    dataDir: mkdtempSync(join(tmpdir(), 'baton-test-')),
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: `baton-${randomUUID()}`,
    retryIntervalMs: 5,
    partnerSecrets: partnerSecrets(),
    ...options,
  });
  // One token per user, issued again once local mode's clock has passed its expiry (a test moved it).
  const tokens = new Map<string, { token: string; expiresAt: string }>();
  const token = async (email: string) => {
    const cached = tokens.get(email);
    if (cached && Date.parse(cached.expiresAt) - 60_000 > baton.clock.now().getTime()) return cached.token;
    const issued = await baton.auth.issue(email);
    tokens.set(email, issued);
    return issued.token;
  };
  const api: TestBaton['api'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.as) headers.authorization = `Bearer ${await token(opts.as)}`;
    if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baton.url}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body, headers: response.headers };
  };
  const webhook: TestBaton['webhook'] = async (partnerId, body, opts = {}) => {
    const signed = signWebhook({
      secret: opts.secret ?? baton.secrets[partnerId]![0]!,
      body,
      ...(opts.id ? { id: opts.id } : {}),
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    });
    return sendWebhook(`${baton.url}/api/webhooks/partners/${partnerId}`, { ...signed, headers: { ...signed.headers, ...opts.headers } });
  };
  const db = documentClient(localClientConfig(baton.dynamoDbEndpoint));
  return Object.assign(baton, {
    token,
    api,
    webhook,
    // The partner reports the completion as happening now by Baton's clock (tests inject clocks far from the real one).
    complete: (partnerId: PartnerId, spec: Omit<CompletionSpec, 'event'> & { event?: string }, opts: { id?: string } = {}) =>
      webhook(partnerId, completionBody({ event: 'course.completed', completedAt: baton.ports.clock.now().toISOString(), ...spec }), opts),
    async items() {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: baton.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    outbox() {
      try {
        return readdirSync(baton.outboxDir).map((f) => readFileSync(join(baton.outboxDir, f), 'utf8'));
      } catch {
        return [];
      }
    },
    async enroll(input: { studentEmail: string; programId: string; studentName?: string; partnerAccounts?: Record<string, string> }) {
      const response = await api('POST', '/api/enrollments', { as: ADMIN, body: input });
      if (response.status !== 201) throw new Error(`enroll failed: ${response.status} ${JSON.stringify(response.body)}`);
      await baton.drain();
      return response.body;
    },
    async enrollment(id: string, as = ADMIN) {
      await baton.drain();
      return (await api('GET', `/api/enrollments/${id}`, { as })).body;
    },
  });
}
