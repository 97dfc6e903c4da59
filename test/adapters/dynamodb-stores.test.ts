// The DynamoDB stores with aws-sdk-client-mock: the writes the one save path derives from the
// decider's events (and the conditions they carry), how DynamoDB's refusals become outcomes
// (never a 500, never a retry inside the store), and the shapes of the delivery and catalog writes.
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoStores } from '../../functions/adapters/dynamodb/client.js';
import { enrollmentItem, stepItem, toSnapshot } from '../../functions/adapters/dynamodb/enrollment-items.js';
import type { Delivery } from '../../functions/domain/delivery.js';
import { decide, evolveAll, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import type { EnrollmentState } from '../../functions/domain/enrollment.js';
import { DomainError } from '../../functions/domain/errors.js';
import type { Program } from '../../functions/domain/programs.js';
import type { EnrollmentSnapshot } from '../../functions/use-cases/ports/enrollments.js';
import { WriteContention } from '../../functions/use-cases/retry.js';
import { programArbitrary } from '../property/arbitraries.js';

const db = mockClient(DynamoDBDocumentClient);
const stores = dynamoStores(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'baton-test');
beforeEach(() => db.reset());

const AT = '2026-05-01T12:00:00.000Z';
const LATER = '2026-05-02T12:00:00.000Z';
const PROGRAM: Program = {
  id: 'ma',
  name: 'Medical Assistant',
  category: 'Healthcare',
  reminders: null,
  version: 1,
  updatedAt: AT,
  steps: [
    { sequence: 1, partnerId: 'hsi', courseId: 'bls', courseName: 'BLS', required: true, completion: 'completed' },
    { sequence: 2, partnerId: 'certiport', courseId: 'mos', courseName: 'MOS', required: true, completion: 'completed' },
  ],
};
const enroll: EnrollmentCommand = {
  type: 'enroll',
  at: AT,
  enrollmentId: 'e-1',
  student: { id: 's-1', name: 'Kim', email: 'kim@test.com' },
  program: PROGRAM,
  by: 'admin@test.com',
};
const delivery: Delivery = {
  partnerId: 'hsi',
  webhookId: 'msg_1',
  receivedAt: LATER,
  outcome: 'applied',
  rawBody: '{}',
  headers: {},
  event: { kind: 'completion', format: 'baton', result: 'completed', externalId: 'H-1', courseId: 'bls' },
};

const eventsOf = (state: EnrollmentState | undefined, command: EnrollmentCommand) => {
  const decision = decide(state, command);
  if (!decision.ok) throw new Error(decision.refusal.code);
  return decision.events;
};
/** The enrollment as a store would have read it, at `version`. */
function snapshot(version = 3, ...commands: EnrollmentCommand[]): EnrollmentSnapshot {
  let state = evolveAll(undefined, eventsOf(undefined, enroll));
  for (const command of commands) state = evolveAll(state, eventsOf(state, command));
  return { state, version, stepVersions: state.steps.map(() => version) };
}
const completion: EnrollmentCommand = {
  type: 'record_partner_completion',
  at: LATER,
  partnerId: 'hsi',
  courseId: 'bls',
  result: 'completed',
  webhookId: 'msg_1',
};
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const transaction = (call = 0) => db.commandCalls(TransactWriteCommand)[call]!.args[0].input.TransactItems!;

/** The attribute names an update expression SETs and REMOVEs. */
function setAndRemove(update: { UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string> }) {
  const names = update.ExpressionAttributeNames ?? {};
  const [, set = '', remove = ''] = /^(?:SET (.*?))?(?: ?REMOVE (.*))?$/.exec(update.UpdateExpression ?? '') ?? [];
  const resolve = (list: string, pattern: RegExp) => [...list.matchAll(pattern)].map((m) => names[m[1]!] ?? m[1]!);
  return { set: resolve(set, /(#?\w+) = /g), remove: resolve(remove, /(#?\w+)/g) };
}

describe('the save path', () => {
  it('saves a partner completion as one transaction: the enrollment under its version, the step it moved, the counter, the delivery', async () => {
    db.on(TransactWriteCommand).resolves({});
    const before = snapshot();
    const saved = await stores.enrollments.save([{ before, events: eventsOf(before.state, completion) }], { newDelivery: delivery });
    // The enrollment as the save left it: the next version, the moved step written at it.
    expect(saved).toMatchObject({ ok: true, saved: [{ version: 4, stepVersions: [4, 3] }] });

    const [enrollment, step, programEntry, recentEntry, event, counter, put] = transaction();
    expect(enrollment!.Update).toMatchObject({
      Key: { pk: 'ENROLLMENT#e-1', sk: 'ENROLLMENT' },
      ConditionExpression: '#version = :expectedVersion',
    });
    expect(enrollment!.Update!.ExpressionAttributeValues).toMatchObject({ ':expectedVersion': 3 });
    const enrollmentWrite = setAndRemove(enrollment!.Update!);
    // Its list row (progress, steps, last change) moves with it.
    expect(enrollmentWrite.set.sort()).toEqual([
      'advanceRequestedAt',
      'gsi2sk',
      'listSteps',
      'progress',
      'stepVersions',
      'updatedAt',
      'version',
    ]);
    expect(Object.values(enrollment!.Update!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining([4, [4, 3], LATER]));
    // The step carries no condition of its own: the enrollment's version guards the whole aggregate.
    expect(step!.Update).toMatchObject({ Key: { pk: 'ENROLLMENT#e-1', sk: 'STEP#00' } });
    expect(step!.Update!.ConditionExpression).toBeUndefined();
    const stepWrite = setAndRemove(step!.Update!);
    expect(stepWrite.set.sort()).toEqual(['completedAt', 'resolution', 'status', 'version']);
    expect(stepWrite.remove.sort()).toEqual(['gsi2pk', 'gsi2sk']);
    // The list entries are rewritten (their rows changed); the outbound event is new, in the same transaction.
    expect([programEntry!.Put!.Item!.sk, recentEntry!.Put!.Item!.sk]).toEqual(['LIST#PROGRAM', 'LIST#RECENT']);
    expect(recentEntry!.Put!.Item!.gsi4sk).toMatch(new RegExp(`^${LATER}#e-1$`));
    expect(event!.Put).toMatchObject({
      Item: { type: 'step.completed', gsi2pk: 'OUTBOX' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(counter!.Update).toMatchObject({
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1',
      ExpressionAttributeNames: { '#c0': 'in_progress', '#c1': 'completed' },
      ExpressionAttributeValues: { ':c0': -1, ':c1': 1 },
    });
    expect(put!.Put).toMatchObject({
      Item: { pk: 'DELIVERY#hsi#msg_1', outcome: 'applied' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('creates an enrollment behind its one-active-enrollment lock, every item new, the counters counted', async () => {
    db.on(TransactWriteCommand).resolves({});
    await stores.enrollments.save([{ before: undefined, events: eventsOf(undefined, enroll) }]);
    const items = transaction();
    expect(items[0]!.Put).toMatchObject({ Item: { pk: 'ACTIVE#s-1#ma' }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[1]!.Put).toMatchObject({
      Item: { pk: 'ENROLLMENT#e-1', version: 1, stepVersions: [1, 1], gsi2pk: 'ADVANCE_DUE' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[2]!.Put!.Item).toMatchObject({ sk: 'STEP#00', status: 'in_progress', gsi2pk: 'IN_PROGRESS', version: 1 });
    expect(items[3]!.Put!.Item).toMatchObject({ sk: 'STEP#01', status: 'pending', version: 1 });
    expect(items[3]!.Put!.Item).not.toHaveProperty('gsi2pk');
    expect(items.slice(4, 6).map((i) => i.Put!.Item!.sk)).toEqual(['LIST#PROGRAM', 'LIST#RECENT']);
    expect(items.filter((i) => (i.Put?.Item?.pk as string | undefined)?.startsWith('EVENT#')).map((i) => i.Put!.Item!.type)).toEqual([
      'enrollment.created',
      'step.started',
    ]);
    expect(items.filter((i) => i.Update).map((i) => i.Update!.Key)).toEqual(
      expect.arrayContaining([expect.objectContaining({ sk: 'PROGRAM#ma' }), expect.objectContaining({ sk: 'PARTNER#hsi' })]),
    );
  });

  it('cancels in one write: open steps closed, the advance request gone, the lock released', async () => {
    db.on(TransactWriteCommand).resolves({});
    const before = snapshot(5);
    await stores.enrollments.save([
      { before, events: eventsOf(before.state, { type: 'cancel', at: LATER, by: 'admin@test.com', reason: 'Moved away' }) },
    ]);
    const items = transaction();
    const enrollment = setAndRemove(items[0]!.Update!);
    expect(enrollment.set).toEqual(expect.arrayContaining(['status', 'cancellation', 'version']));
    // Out of the advance index, and out of the schedule index (its welcome email is no longer due).
    expect(enrollment.remove.sort()).toEqual(['advanceRequestedAt', 'gsi2pk', 'gsi2sk', 'gsi5pk', 'gsi5sk']);
    expect(items.filter((i) => i.Update?.Key?.sk?.startsWith('STEP#')).map((i) => i.Update!.Key!.sk)).toEqual(['STEP#00', 'STEP#01']);
    expect(items.find((i) => i.Delete)!.Delete!.Key).toEqual({ pk: 'ACTIVE#s-1#ma', sk: 'ACTIVE' });
  });

  it('never SETs and REMOVEs one attribute, nor names one twice, whatever the decider decided', async () => {
    db.on(TransactWriteCommand).resolves({});
    const command = fc.oneof(
      fc.constant<EnrollmentCommand>({ type: 'advance', at: LATER }),
      fc.constant<EnrollmentCommand>({ type: 'cancel', at: LATER, by: 'a', reason: 'r' }),
      fc.constant<EnrollmentCommand>({ type: 'retry', at: LATER, by: 'a', resendEmail: true }),
      fc.constant<EnrollmentCommand>({ type: 'issue_certificate', at: LATER, certificateId: 'C' }),
      fc.constant<EnrollmentCommand>({ type: 'claim_email', at: LATER }),
      fc.constant<EnrollmentCommand>({ type: 'settle_advance', requestedAt: LATER }),
      fc
        .record({ index: fc.nat(7), action: fc.constantFrom('complete' as const, 'waive' as const, 'skip' as const) })
        .map(({ index, action }): EnrollmentCommand => ({
          type: 'override_step',
          at: LATER,
          action,
          sequence: index + 1,
          by: 'a',
          reason: 'r',
        })),
    );
    await fc.assert(
      fc.asyncProperty(programArbitrary({ id: 'p', maxSteps: 6 }), fc.array(command, { maxLength: 12 }), async (definition, commands) => {
        let state = evolveAll(undefined, eventsOf(undefined, { ...enroll, program: { ...definition, version: 1, updatedAt: AT } }));
        let version = 1;
        for (const next of commands) {
          const decision = decide(state, next);
          if (!decision.ok || decision.events.length === 0) continue;
          db.resetHistory();
          await stores.enrollments.save([
            { before: { state, version, stepVersions: state.steps.map(() => version) }, events: decision.events },
          ]);
          // A save of one item goes as a plain UpdateItem, of more as one transaction.
          const single = db.commandCalls(UpdateCommand).map((call) => ({ Update: call.args[0].input }));
          for (const item of single.length > 0 ? single : transaction()) {
            if (!item.Update || item.Update.UpdateExpression?.startsWith('ADD')) continue;
            const { set, remove } = setAndRemove(item.Update);
            expect(set.filter((name) => remove.includes(name))).toEqual([]);
            expect(new Set([...set, ...remove]).size).toBe(set.length + remove.length);
          }
          state = evolveAll(state, decision.events);
          version++;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('maps each failed condition to its outcome, and a transaction that only collided to "contention" — sent once, never again', async () => {
    const before = snapshot();
    const save = () => stores.enrollments.save([{ before, events: eventsOf(before.state, completion) }], { newDelivery: delivery });
    // Enrollment, step, two list entries, the outbound event, the counter, the delivery.
    const none = (n: number) => Array.from({ length: n }, () => 'None');
    db.on(TransactWriteCommand).rejectsOnce(cancelled(...none(6), 'ConditionalCheckFailed'));
    expect(await save()).toEqual({ ok: false, conflict: 'delivery_exists' });
    db.reset();
    db.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', ...none(6)));
    expect(await save()).toEqual({ ok: false, conflict: 'stale' });
    db.reset();
    db.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict', ...none(5)));
    expect(await save()).toEqual({ ok: false, conflict: 'contention' });
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('lets throttling surface as an error (the function fails; the caller or the partner tries again)', async () => {
    const before = snapshot();
    db.on(TransactWriteCommand).rejects(cancelled('None', 'ThrottlingError', 'None', 'None'));
    await expect(stores.enrollments.save([{ before, events: eventsOf(before.state, completion) }])).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
  });
});

describe('reading an enrollment back from an index', () => {
  const items = () => {
    const { state } = snapshot(4, completion);
    return [
      enrollmentItem(state.enrollment, 4, [4, 2], state.steps),
      stepItem(state.enrollment, state.steps[0]!, 4),
      stepItem(state.enrollment, state.steps[1]!, 2),
    ];
  };

  it('takes a copy whose steps were written at the versions its enrollment item names as one whole version', () => {
    expect(toSnapshot(items(), 'index')).toMatchObject({ whole: true, snapshot: { version: 4, stepVersions: [4, 2] } });
  });

  it('tells a torn copy apart: a step written before, or after, the enrollment item it came with', () => {
    const [enrollment, first, second] = items();
    expect(toSnapshot([enrollment!, { ...first!, version: 3 }, second!], 'index')!.whole).toBe(false);
    expect(toSnapshot([enrollment!, first!, { ...second!, version: 5 }], 'index')!.whole).toBe(false);
    expect(toSnapshot([enrollment!, first!], 'index')!.whole).toBe(false);
  });
});

describe('deliveries', () => {
  it('stores a delivery only if its id is new, unmatched ones waiting in the inbox under their account with a preview of the body, and counted', async () => {
    db.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled('ConditionalCheckFailed', 'None'));
    const unmatched = { ...delivery, outcome: 'unmatched' as const, reason: 'unknown_student', rawBody: `{"x":"${'y'.repeat(2000)}"}` };
    expect(await stores.deliveries.put(unmatched)).toBe(true);
    expect(await stores.deliveries.put(unmatched)).toBe(false);
    const [deliveryPut, counted] = transaction();
    // The inbox's counter moves in the same transaction.
    expect(counted!.Update).toMatchObject({
      Key: { sk: 'UNMATCHED' },
      UpdateExpression: 'ADD #count :by',
      ExpressionAttributeValues: { ':by': 1 },
    });
    const put = deliveryPut!.Put!;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Item).toMatchObject({ gsi2pk: 'UNMATCHED', gsi1pk: 'UNMATCHED#ACCOUNT#hsi#H-1', bodyBytes: 2008 });
    // The body is kept once, in two parts: the start (which the inbox shows) and the rest.
    expect(`${put.Item!.bodyPreview}${put.Item!.bodyRest}`).toBe(unmatched.rawBody);
    expect((put.Item!.bodyPreview as string).length).toBe(600);
    expect(put.Item).not.toHaveProperty('rawBody');
    expect(put.Item).not.toHaveProperty('expiresAt');
  });

  it('dismisses an event only while it is unmatched: settled, out of every index, expiring, its email entry deleted in the same transaction', async () => {
    db.on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None'));
    const dismissal = { at: AT, by: 'admin@test.com', reason: 'Not one of ours' };
    expect(await stores.deliveries.dismiss('hsi', 'msg_1', dismissal)).toBe(true);
    expect(await stores.deliveries.dismiss('hsi', 'msg_1', dismissal)).toBe(false);
    const [update, pointer] = transaction();
    expect(update!.Update).toMatchObject({
      Key: { pk: 'DELIVERY#hsi#msg_1', sk: 'DELIVERY' },
      ConditionExpression: '#outcome = :unmatched',
    });
    expect(update!.Update!.UpdateExpression).toMatch(/ REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk$/);
    expect(update!.Update!.ExpressionAttributeValues).toMatchObject({
      ':outcome': 'ignored',
      ':reason': 'dismissed',
      ':expiresAt': Date.parse(AT) / 1000 + 30 * 24 * 3600,
      ':dismissal': dismissal,
    });
    expect(pointer!.Delete!.Key).toEqual({ pk: 'DELIVERY#hsi#msg_1', sk: 'EMAIL' });
    expect(transaction()[2]!.Update).toMatchObject({ Key: { sk: 'UNMATCHED' }, ExpressionAttributeValues: { ':by': -1 } });
  });

  it('reports a write that only collided as contention, for the caller to decide again', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(stores.deliveries.dismiss('hsi', 'msg_1', { at: AT, by: 'a', reason: 'r' })).rejects.toBeInstanceOf(WriteContention);
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('the catalog', () => {
  it('turns a failed program-version condition into STALE_PROGRAM_VERSION', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const error = await stores.catalog
      .save({ id: 'cdl', name: 'CDL', category: 'Specialized', steps: [], reminders: null }, 3, AT)
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('STALE_PROGRAM_VERSION');
    expect(transaction()[0]!.Put).toMatchObject({
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
  });
});

describe('the unmatched inbox cursor', () => {
  const lastKey = { pk: 'DELIVERY#hsi#msg_1', sk: 'DELIVERY', gsi2pk: 'UNMATCHED', gsi2sk: `${AT}#hsi#msg_1` };
  const cursorOf = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

  it('hands back the key of the last entry, and takes it back as ExclusiveStartKey unchanged', async () => {
    db.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: lastKey });
    const page = await stores.deliveries.listInbox(1);
    await stores.deliveries.listInbox(1, page.next);
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
      const error = await stores.deliveries.listInbox(10, cursor).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(DomainError);
      expect((error as DomainError).code, name).toBe('VALIDATION_FAILED');
      expect((error as DomainError).message, name).toContain('cursor');
    }
    expect(db.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
