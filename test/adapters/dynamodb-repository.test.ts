// The DynamoDB adapter with aws-sdk-client-mock: the conditions each transition sends, and how
// ConditionalCheckFailed / TransactionCanceled map to domain outcomes (never a 500).
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRepository } from '../../functions/adapters/dynamodb/repository.js';
import { stepMoved } from '../../functions/domain/counters.js';
import { DomainError } from '../../functions/domain/errors.js';
import type { Delivery, TransitionCommit } from '../../functions/use-cases/ports.js';

const db = mockClient(DynamoDBDocumentClient);
const repo = new DynamoRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'baton-test');
beforeEach(() => db.reset());

const AT = '2026-05-01T12:00:00.000Z';
const delivery: Delivery = {
  partnerId: 'hsi',
  webhookId: 'msg_1',
  receivedAt: AT,
  outcome: 'applied',
  rawBody: '{}',
  headers: {},
  event: { kind: 'completion', format: 'baton', result: 'completed', externalId: 'H-1', courseId: 'bls' },
};
const completion: TransitionCommit = {
  newDelivery: delivery,
  changes: [
    {
      enrollmentId: 'e-1',
      steps: [
        {
          index: 0,
          partnerId: 'hsi',
          from: 'in_progress',
          to: 'completed',
          at: AT,
          resolution: { source: 'partner', webhookId: 'msg_1', result: 'completed' },
        },
      ],
      requestAdvanceAt: AT,
      counters: [stepMoved('hsi', 'in_progress', 'completed')],
    },
  ],
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('commitTransition', () => {
  it('writes delivery, step, enrollment and counter in one transaction, each with its condition', async () => {
    db.on(TransactWriteCommand).resolves({});
    expect(await repo.commitTransition(completion)).toEqual({ ok: true });

    const items = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(4);
    expect(items[0]!.Put).toMatchObject({
      Item: { pk: 'DELIVERY#hsi#msg_1', outcome: 'applied' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1]!.Update).toMatchObject({
      Key: { pk: 'ENROLLMENT#e-1', sk: 'STEP#00' },
      ConditionExpression: '#status = :from',
      UpdateExpression: 'SET #status = :to, completedAt = :at, resolution = :resolution REMOVE gsi2pk, gsi2sk',
      ExpressionAttributeValues: expect.objectContaining({ ':from': 'in_progress', ':to': 'completed' }),
    });
    expect(items[2]!.Update).toMatchObject({
      Key: { pk: 'ENROLLMENT#e-1', sk: 'ENROLLMENT' },
      ConditionExpression: '#status = :active',
      ExpressionAttributeValues: expect.objectContaining({ ':requested': AT, ':ipk': 'ADVANCE_DUE' }),
    });
    expect(items[3]!.Update).toMatchObject({
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1',
      ExpressionAttributeNames: { '#c0': 'completed', '#c1': 'in_progress' },
      ExpressionAttributeValues: { ':c0': 1, ':c1': -1 },
    });
  });

  it('merges counter changes for the same item (a transaction may touch an item once)', async () => {
    db.on(TransactWriteCommand).resolves({});
    await repo.commitTransition({
      changes: [
        {
          enrollmentId: 'e-1',
          steps: [
            { index: 0, partnerId: 'jri', from: 'pending', to: 'in_progress', at: AT },
            { index: 1, partnerId: 'jri', from: 'pending', to: 'in_progress', at: AT },
          ],
          counters: [stepMoved('jri', 'pending', 'in_progress'), stepMoved('jri', 'pending', 'in_progress')],
        },
      ],
    });
    const counters = db
      .commandCalls(TransactWriteCommand)[0]!
      .args[0].input.TransactItems!.filter((i) => i.Update?.UpdateExpression?.startsWith('ADD'));
    expect(counters).toHaveLength(1);
    expect(counters[0]!.Update!.ExpressionAttributeValues).toEqual({ ':c0': 2, ':c1': -2 });
  });

  it('clears an advance request only if it still holds the value the task saw', async () => {
    db.on(TransactWriteCommand).resolves({});
    await repo.commitTransition({ changes: [{ enrollmentId: 'e-1', steps: [], clearAdvanceIf: AT }] });
    const update = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(update.ConditionExpression).toBe('#status = :active AND advanceRequestedAt = :seen');
    expect(update.UpdateExpression).toContain('REMOVE advanceRequestedAt, gsi2pk, gsi2sk, workflowFailure');
    expect(update.ExpressionAttributeValues![':seen']).toBe(AT);
  });

  it('closes a skipped step out of the in-progress index, with a closing time and no completion', async () => {
    db.on(TransactWriteCommand).resolves({});
    await repo.commitTransition({
      changes: [
        {
          enrollmentId: 'e-1',
          steps: [{ index: 2, partnerId: 'jri', from: 'in_progress', to: 'skipped', at: AT }],
          counters: [stepMoved('jri', 'in_progress', 'skipped')],
        },
      ],
    });
    const [step, , counter] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(step!.Update).toMatchObject({
      Key: { pk: 'ENROLLMENT#e-1', sk: 'STEP#02' },
      ConditionExpression: '#status = :from',
      UpdateExpression: 'SET #status = :to, closedAt = :at REMOVE gsi2pk, gsi2sk',
      ExpressionAttributeValues: { ':from': 'in_progress', ':to': 'skipped', ':at': AT },
    });
    expect(counter!.Update).toMatchObject({
      ExpressionAttributeNames: { '#c0': 'skipped', '#c1': 'in_progress' },
      ExpressionAttributeValues: { ':c0': 1, ':c1': -1 },
    });
  });

  it('cancels an enrollment only while it is active: records who and why, ends its advance request and failure, releases the lock', async () => {
    db.on(TransactWriteCommand).resolves({});
    const cancellation = { at: AT, by: 'admin@test.com', reason: 'Moved away' };
    await repo.commitTransition({
      changes: [
        {
          enrollmentId: 'e-1',
          steps: [{ index: 0, partnerId: 'hsi', from: 'in_progress', to: 'cancelled', at: AT }],
          finish: { status: 'cancelled', at: AT, studentId: 's-1', programId: 'cna', cancellation },
        },
      ],
    });
    const [step, enrollment, lock] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(step!.Update!.UpdateExpression).toBe('SET #status = :to, closedAt = :at REMOVE gsi2pk, gsi2sk');
    expect(enrollment!.Update).toMatchObject({
      Key: { pk: 'ENROLLMENT#e-1', sk: 'ENROLLMENT' },
      ConditionExpression: '#status = :active',
      UpdateExpression:
        'SET version = version + :one, #status = :finished, cancellation = :cancellation REMOVE advanceRequestedAt, gsi2pk, gsi2sk, workflowFailure',
      ExpressionAttributeValues: expect.objectContaining({ ':finished': 'cancelled', ':cancellation': cancellation }),
    });
    expect(lock!.Delete!.Key).toEqual({ pk: 'ACTIVE#s-1#cna', sk: 'ACTIVE' });
  });

  it('maps a failed delivery condition to "delivery_exists" (a duplicate webhook)', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None', 'None'));
    expect(await repo.commitTransition(completion)).toEqual({ ok: false, conflict: 'delivery_exists' });
  });

  it('maps a failed step condition to "state_changed" (retry on fresh state)', async () => {
    db.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None', 'None'));
    expect(await repo.commitTransition(completion)).toEqual({ ok: false, conflict: 'state_changed' });
  });

  it('sends a transaction cancelled only by a TransactionConflict again, unchanged, and lets persistent contention surface as an error', async () => {
    db.on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict', 'None', 'None'))
      .resolvesOnce({});
    expect(await repo.commitTransition(completion)).toEqual({ ok: true });
    const [first, second] = db.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
    expect(second).toEqual(first);

    db.reset();
    db.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict', 'None', 'None'));
    await expect(repo.commitTransition(completion)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(8);
  });

  it('lets throttling surface as an error (the caller retries or answers 5xx for the partner to retry)', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('None', 'ThrottlingError', 'None', 'None'));
    await expect(repo.commitTransition(completion)).rejects.toBeInstanceOf(TransactionCanceledException);
  });
});

describe('single-item conditional writes', () => {
  it('stores a delivery only if its webhook id is new; a repeat is "false", not an error', async () => {
    db.on(PutCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await repo.putDelivery({ ...delivery, outcome: 'unmatched', reason: 'unknown_student' })).toBe(true);
    expect(await repo.putDelivery({ ...delivery, outcome: 'unmatched', reason: 'unknown_student' })).toBe(false);
    const put = db.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    // Unmatched deliveries wait in the inbox (no TTL) under the account they name.
    expect(put.Item).toMatchObject({ gsi2pk: 'UNMATCHED', gsi1pk: 'UNMATCHED#ACCOUNT#hsi#H-1' });
    expect(put.Item).not.toHaveProperty('expiresAt');
  });

  it('keeps an unmatched delivery naming an account and an email findable by both, and drops the email entry once it is applied', async () => {
    const unmatched: Delivery = {
      ...delivery,
      outcome: 'unmatched',
      reason: 'unknown_student',
      event: { ...delivery.event, email: 'a@example.org' } as Delivery['event'],
    };
    db.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolvesOnce({});
    expect(await repo.putDelivery(unmatched)).toBe(true);
    expect(await repo.putDelivery(unmatched)).toBe(false);
    const [deliveryPut, pointerPut] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(deliveryPut!.Put).toMatchObject({
      Item: { pk: 'DELIVERY#hsi#msg_1', gsi1pk: 'UNMATCHED#ACCOUNT#hsi#H-1' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(pointerPut!.Put!.Item).toMatchObject({
      pk: 'DELIVERY#hsi#msg_1',
      sk: 'EMAIL',
      gsi1pk: 'UNMATCHED#EMAIL#a@example.org',
      webhookId: 'msg_1',
    });

    await repo.commitTransition({
      changes: [],
      resolvedDelivery: { partnerId: 'hsi', webhookId: 'msg_1', studentId: 's-1', appliedTo: [], at: AT },
    });
    const resolved = db.commandCalls(TransactWriteCommand)[2]!.args[0].input.TransactItems!;
    expect(resolved.map((i) => Object.keys(i)[0])).toEqual(['Update', 'Delete']);
    expect(resolved[1]!.Delete!.Key).toEqual({ pk: 'DELIVERY#hsi#msg_1', sk: 'EMAIL' });
  });

  it('dismisses an event only while it is unmatched: settled, out of every inbox index, expiring, its email entry deleted in the same transaction', async () => {
    db.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled('ConditionalCheckFailed', 'None'));
    const dismissal = { at: AT, by: 'admin@test.com', reason: 'Not one of ours' };
    expect(await repo.dismissUnmatched('hsi', 'msg_1', dismissal)).toBe(true);
    expect(await repo.dismissUnmatched('hsi', 'msg_1', dismissal)).toBe(false);
    const [update, pointer] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(update!.Update).toMatchObject({
      Key: { pk: 'DELIVERY#hsi#msg_1', sk: 'DELIVERY' },
      ConditionExpression: 'outcome = :unmatched',
      UpdateExpression:
        'SET outcome = :outcome, reason = :reason, resolvedAt = :resolvedAt, expiresAt = :expiresAt, dismissal = :dismissal REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk',
      ExpressionAttributeValues: {
        ':outcome': 'ignored',
        ':reason': 'dismissed',
        ':resolvedAt': AT,
        ':expiresAt': Date.parse(AT) / 1000 + 30 * 24 * 3600,
        ':dismissal': dismissal,
        ':unmatched': 'unmatched',
      },
    });
    expect(pointer!.Delete!.Key).toEqual({ pk: 'DELIVERY#hsi#msg_1', sk: 'EMAIL' });
  });

  it('claims the completion email at most once', async () => {
    db.on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'claimed', $metadata: {} }));
    expect(await repo.claimCompletionEmail('e-1', AT)).toBe(true);
    expect(await repo.claimCompletionEmail('e-1', AT)).toBe(false);
    expect(db.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe(
      'attribute_not_exists(emailClaimedAt) AND attribute_not_exists(emailSentAt)',
    );
  });

  it('records a sent email only on the claim it was sent under (never creating an enrollment), and says when that claim is gone', async () => {
    db.on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'claim gone', $metadata: {} }));
    expect(await repo.markCompletionEmailSent('e-1', AT, '2026-05-01T12:00:01.000Z', 'ses-1')).toBe(true);
    expect(await repo.markCompletionEmailSent('e-1', AT, '2026-05-01T12:00:01.000Z', 'ses-1')).toBe(false);
    expect(db.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'ENROLLMENT#e-1', sk: 'ENROLLMENT' },
      UpdateExpression: 'SET emailSentAt = :at, emailMessageId = :id',
      ConditionExpression: 'emailClaimedAt = :claimedAt',
      ExpressionAttributeValues: { ':at': '2026-05-01T12:00:01.000Z', ':id': 'ses-1', ':claimedAt': AT },
    });
  });

  it('turns a failed program-version condition into STALE_PROGRAM_VERSION', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const error = await repo.saveProgram({ id: 'cdl', name: 'CDL', category: 'Specialized', steps: [] }, 3, AT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('STALE_PROGRAM_VERSION');
    const [current] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(current!.Put).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 3 } });
  });

  it('turns a taken active-enrollment lock into ACTIVE_ENROLLMENT_EXISTS', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None', 'None'));
    const error = await repo
      .createEnrollment({
        enrollment: {
          id: 'e-2',
          studentId: 's-1',
          studentName: 'A',
          studentEmail: 'a@b.org',
          programId: 'cdl',
          programName: 'CDL',
          programVersion: 1,
          status: 'active',
          createdAt: AT,
          createdBy: 'admin@test.com',
        },
        steps: [],
        links: [],
        counters: [],
      })
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('ACTIVE_ENROLLMENT_EXISTS');
  });
});

describe('the unmatched inbox cursor', () => {
  const lastKey = { pk: 'DELIVERY#hsi#msg_1', sk: 'DELIVERY', gsi2pk: 'UNMATCHED', gsi2sk: `${AT}#hsi#msg_1` };
  const cursorOf = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

  it('hands back the key of the last entry, and takes it back as ExclusiveStartKey unchanged', async () => {
    db.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: lastKey });
    const page = await repo.listUnmatched(1);
    await repo.listUnmatched(1, page.next);
    expect(db.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual(lastKey);
  });

  it('refuses any other shape with a 400 naming the cursor, and sends no query', async () => {
    const crafted = {
      'not base64 JSON': '%%%',
      'a JSON string': 'hello',
      'an array': [lastKey],
      'a number for a key': { ...lastKey, pk: 5 },
      'a DynamoDB attribute value': { ...lastKey, pk: { S: 'DELIVERY#hsi#msg_1' } },
      'a missing key': { pk: lastKey.pk, sk: lastKey.sk, gsi2pk: lastKey.gsi2pk },
      'an extra key': { ...lastKey, gsi1pk: 'X' },
      'another index partition': { ...lastKey, gsi2pk: 'IN_PROGRESS' },
      'an empty key': { ...lastKey, sk: '' },
      'a key over DynamoDB’s 1 KB': { ...lastKey, gsi2sk: 'x'.repeat(1025) },
    };
    for (const [name, value] of Object.entries(crafted)) {
      const cursor = name === 'not base64 JSON' ? (value as string) : cursorOf(value);
      const error = await repo.listUnmatched(10, cursor).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(DomainError);
      expect((error as DomainError).code, name).toBe('VALIDATION_FAILED');
      expect((error as DomainError).message, name).toContain('cursor');
    }
    expect(db.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
