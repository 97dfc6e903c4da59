// The partner-webhook Lambda handler end to end with a mocked DynamoDB client: the conditions it
// sends and how a cancelled transaction becomes a 200 "duplicate" rather than a 500.
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoStores } from '../../functions/adapters/dynamodb/client.js';
import { enrollmentItem, stepItem } from '../../functions/adapters/dynamodb/enrollment-items.js';
import type { Enrollment, EnrollmentStep } from '../../functions/domain/enrollment.js';
import { StaticPartnerSecrets } from '../../functions/adapters/partner-secrets.js';
import type { HttpEvent } from '../../functions/http/handler.js';
import { create } from '../../functions/handlers/partner-webhook.js';
import { logger } from '../../functions/observability.js';
import type { WorkflowStarter } from '../../functions/use-cases/ports/services.js';
import { fakeLambdaContext } from '../../local/lambda-context.js';
import { RemoteKeySets } from '../../functions/adapters/remote-key-sets.js';
import { partnerItem } from '../../functions/adapters/dynamodb/partner-items.js';
import { SEED_PARTNERS } from '../../functions/domain/seed-partners.js';
import { completionBody, signWebhook } from '../../local/partner-webhook-client.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const db = mockClient(DynamoDBDocumentClient);
const started: string[] = [];
const workflow: WorkflowStarter = { start: async (id, trigger) => void started.push(`${id}-${trigger}`) };
const handler = create({
  ...dynamoStores(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'baton'),
  workflow,
  secrets: new StaticPartnerSecrets({ hsi: [SECRET] }),
  keySets: new RemoteKeySets(),
  clock: { now: () => new Date() },
  logger,
});

function event(body: string, id = 'msg_handler_1'): HttpEvent {
  const signed = signWebhook({ secret: SECRET, body, id });
  return {
    version: '2.0',
    routeKey: 'POST /api/webhooks/partners/{partnerId}',
    rawPath: '/api/webhooks/partners/hsi',
    rawQueryString: '',
    headers: signed.headers,
    pathParameters: { partnerId: 'hsi' },
    requestContext: { http: { method: 'POST', path: '/api/webhooks/partners/hsi' } },
    body,
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}

const ENROLLMENT: Enrollment = {
  id: 'e-1',
  studentId: 's-1',
  studentName: 'Kim',
  studentEmail: 'kim@test.com',
  programId: 'p',
  programName: 'P',
  programVersion: 1,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin@test.com',
};
const STEP: EnrollmentStep = {
  index: 0,
  sequence: 1,
  partnerId: 'hsi',
  courseId: 'bls',
  courseName: 'BLS',
  required: true,
  completion: 'completed',
  status: 'in_progress',
};
/** HSI's record, as the seed creates it. */
const HSI = partnerItem({
  ...SEED_PARTNERS.find(([id]) => id === 'hsi')![1],
  id: 'hsi',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'seed',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'seed',
  secretsLastUsed: {},
});
/** The student's enrollment as the owner index returns it: one whole version (2). */
const STUDENT_ITEMS = [enrollmentItem(ENROLLMENT, 2, [2], [STEP]), stepItem(ENROLLMENT, STEP, 2)];

beforeEach(() => {
  db.reset();
  started.length = 0;
  db.on(GetCommand, { Key: { pk: 'PARTNERS', sk: 'PARTNER#hsi' } }).resolves({ Item: HSI });
  db.on(GetCommand, { Key: { pk: 'DELIVERY#hsi#msg_handler_1', sk: 'DELIVERY' } }).resolves({});
  db.on(GetCommand, { Key: { pk: 'ACCOUNT#hsi#H-1', sk: 'ACCOUNT' } }).resolves({ Item: { studentId: 's-1' } });
  db.on(QueryCommand).resolves({ Items: STUDENT_ITEMS });
});

describe('partner-webhook handler', () => {
  it('applies a completion with one transaction, conditional on the version it read and on a new delivery id, and starts the workflow', async () => {
    db.on(TransactWriteCommand).resolves({});
    const response = await handler(
      event(completionBody({ event: 'course.completed', studentId: 'H-1', courseId: 'bls' })),
      fakeLambdaContext('t'),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ status: 'applied' });
    const conditions = db
      .commandCalls(TransactWriteCommand)[0]!
      .args[0].input.TransactItems!.map((i) => (i.Put ?? i.Update)?.ConditionExpression);
    // The enrollment (its version), the step, its two list entries, the outbound event (new), the counter, the delivery (new).
    expect(conditions).toEqual([
      '#version = :expectedVersion',
      undefined,
      undefined,
      undefined,
      'attribute_not_exists(pk)',
      undefined,
      'attribute_not_exists(pk)',
    ]);
    expect(started).toEqual(['e-1-s0-completed']);
  });

  it('answers 200 duplicate, not 500, when a concurrent delivery with the same id wins the race', async () => {
    db.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        // The delivery, last of the seven items, already exists.
        CancellationReasons: [...Array.from({ length: 6 }, () => ({ Code: 'None' })), { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const response = await handler(
      event(completionBody({ event: 'course.completed', studentId: 'H-1', courseId: 'bls' })),
      fakeLambdaContext('t'),
    );
    expect([response.statusCode, JSON.parse(response.body!)]).toEqual([200, { status: 'duplicate' }]);
    expect(started).toEqual([]);
  });

  it('answers 500 without details when DynamoDB keeps failing, so the partner retries', async () => {
    db.on(TransactWriteCommand).rejects(new Error('Service unavailable'));
    const response = await handler(
      event(completionBody({ event: 'course.completed', studentId: 'H-1', courseId: 'bls' })),
      fakeLambdaContext('t'),
    );
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body!).error.code).toBe('INTERNAL');
    expect(response.body).not.toContain('Service unavailable');
  });

  it('rejects a bad signature after reading only the partner (its scheme), with an eventually consistent read', async () => {
    const bad = event(completionBody({ event: 'course.completed', studentId: 'H-1', courseId: 'bls' }));
    bad.headers['webhook-signature'] = 'v1,AAAA';
    const response = await handler(bad, fakeLambdaContext('t'));
    expect(response.statusCode).toBe(401);
    expect(db.calls().map((c) => c.args[0].input)).toEqual([
      { TableName: 'baton', Key: { pk: 'PARTNERS', sk: 'PARTNER#hsi' }, ConsistentRead: false },
    ]);
  });

  it('refuses an unknown partner with 404 after that one read, and a partner id that cannot exist without any', async () => {
    const unknown = event(completionBody({ event: 'course.completed', studentId: 'H-1', courseId: 'bls' }));
    db.on(GetCommand, { Key: { pk: 'PARTNERS', sk: 'PARTNER#moodle' } }).resolves({});
    unknown.pathParameters = { partnerId: 'moodle' };
    expect((await handler(unknown, fakeLambdaContext('t'))).statusCode).toBe(404);
    expect(db.calls()).toHaveLength(1);
    unknown.pathParameters = { partnerId: 'Not A Slug!' };
    expect((await handler(unknown, fakeLambdaContext('t'))).statusCode).toBe(404);
    expect(db.calls()).toHaveLength(1);
  });
});
