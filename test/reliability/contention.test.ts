// Transaction contention as DynamoDB produces it. Every transition commits a transaction that
// also updates a pipeline counter item (4 shards per partner and program), so concurrent writers
// for unrelated enrollments collide, and DynamoDB cancels the loser with a TransactionConflict
// reason. DynamoDB Local serialises writes and almost never does this, so conflicts are injected
// at the SDK boundary: a share of TransactWriteItems calls is cancelled exactly as DynamoDB
// cancels them (nothing written, "TransactionConflict" for one item, "None" for the rest).
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.js';
import { dynamoStores } from '../../functions/adapters/dynamodb/client.js';
import { localClientConfig } from '../../local/dynamodb-local.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { recordFigure } from './support/figures.js';
import {
  auditEnrollments,
  formatCounts,
  pipelineTotals,
  plural,
  pool,
  recordingEnrollments,
  serverErrors,
  statusCounts,
  truthFromItems,
  type TransitionLog,
} from './support/probes.js';

const ENROLLMENTS = 40;
const CONCURRENCY = 32;
/** Share of transactions cancelled with a TransactionConflict. */
const CONFLICT_RATE = 0.2;

/** A deterministic stream of numbers in [0, 1) (mulberry32), so a run can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The document client, with a share of its transactions cancelled the way DynamoDB cancels a conflicting one. */
function contendedClient(client: DynamoDBDocumentClient, rate: number, counts: { on: boolean; transactions: number; cancelled: number }) {
  const next = random(20261124);
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (counts.on && command instanceof TransactWriteCommand) {
          counts.transactions++;
          const items = command.input.TransactItems ?? [];
          if (next() < rate) {
            counts.cancelled++;
            const conflicting = Math.floor(next() * items.length);
            throw new TransactionCanceledException({
              message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
              $metadata: { httpStatusCode: 400 },
              CancellationReasons: items.map((_, i) => ({ Code: i === conflicting ? 'TransactionConflict' : 'None' })),
            });
          }
        }
        return send(command);
      };
    },
  });
}

let baton: TestBaton;
const log: TransitionLog = { transitions: [], finished: [], conflicts: 0 };
/** Off while the catalog is seeded at start-up. */
const injected = { on: false, transactions: 0, cancelled: 0 };
beforeAll(async () => {
  const tableName = `baton-${randomUUID()}`;
  const client = documentClient(localClientConfig(inject('dynamoDbEndpoint')));
  baton = await startTestBaton({
    tableName,
    decorate: () => {
      const stores = dynamoStores(contendedClient(client, CONFLICT_RATE, injected), tableName);
      return { ...stores, enrollments: recordingEnrollments(stores.enrollments, log) };
    },
  });
  injected.on = true;
});
afterAll(() => baton?.stop());

// 21 s on an idle 2-core machine since every save also writes its list entries and outbound events (#14);
// the default 30 s is too close when other test files share the machine.
it('loses nothing and answers no 5xx or false 409 when a fifth of all transactions conflict', async () => {
  const students = Array.from({ length: ENROLLMENTS }, (_, i) => ({
    email: `contended${i}@example.org`,
    hsi: `HSI-C${i}`,
    certiport: `CP-C${i}`,
    careersafe: `CS-C${i}`,
  }));
  const enrollments = await pool(students, CONCURRENCY, (s) =>
    baton.api('POST', '/api/enrollments', {
      as: ADMIN,
      body: {
        studentEmail: s.email,
        programId: 'medical-assistant',
        partnerAccounts: { hsi: s.hsi, certiport: s.certiport, careersafe: s.careersafe },
      },
    }),
  );
  const completions = students.flatMap((s) => [
    { partnerId: 'hsi' as const, studentId: s.hsi, courseId: 'bls-cpr-aed' },
    { partnerId: 'certiport' as const, studentId: s.certiport, courseId: 'mos-word' },
    { partnerId: 'careersafe' as const, studentId: s.careersafe, courseId: 'osha-10-healthcare' },
  ]);
  const answers = await pool(completions, CONCURRENCY, (c) =>
    baton.complete(c.partnerId, { studentId: c.studentId, courseId: c.courseId }),
  );
  await baton.drain();

  const items = await baton.items();
  const completed = items.filter((i) => i.entity === 'enrollment' && i.status === 'completed').length;
  const problems = auditEnrollments(items);
  const applied = log.transitions.filter((t) => t.to === 'completed').length;
  const countersMatch = JSON.stringify(await pipelineTotals(baton, ADMIN)) === JSON.stringify(truthFromItems(items));
  recordFigure(
    'contention',
    `${ENROLLMENTS} enrollments (${formatCounts(statusCounts(enrollments))}) and ${completions.length} completions (${formatCounts(statusCounts(answers))}), ` +
      `${CONCURRENCY} in flight, ${CONFLICT_RATE * 100} % of transactions cancelled with TransactionConflict → ${serverErrors([...enrollments, ...answers])} × 5xx; ` +
      `${plural(applied, 'completion')} applied (1 per step), ${completed} enrollments completed; ${plural(problems.length, 'disagreement')} in the audit; ` +
      `pipeline totals ${countersMatch ? 'equal' : 'DIFFER FROM'} the truth.`,
    `${injected.cancelled} of ${injected.transactions} transactions cancelled.`,
  );
  expect(statusCounts(enrollments)).toEqual({ 201: ENROLLMENTS });
  expect(statusCounts(answers)).toEqual({ 200: completions.length });
  expect(applied).toBe(completions.length);
  expect(completed).toBe(ENROLLMENTS);
  expect(problems).toEqual([]);
  expect(countersMatch).toBe(true);
  // 40 enrollments to completion, each now issuing a signed credential and a PDF with embedded
  // fonts: on a shared 2-core machine that can pass 30 s. A stall guard, not a speed check (bench/).
}, 120_000);
