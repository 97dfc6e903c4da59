// Enrollments written straight to the table with BatchWriteItem, built with the stores'
// own item mappers and key design (so they are exactly what the API would have written), and
// the pipeline counters that match them. Ids, names and dates have fixed widths so every
// enrollment's items have the same size: counts do not drift with the fixture's size.
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { activeEnrollmentItem, enrollmentItem, listEntryItems, stepItem } from '../functions/adapters/dynamodb/enrollment-items.js';
import type { Item } from '../functions/adapters/dynamodb/item.js';
import { counterShard, keys } from '../functions/adapters/dynamodb/keys.js';
import {
  partnerAccountItem,
  studentAccountItem,
  studentEmailItem,
  studentProfileItem,
} from '../functions/adapters/dynamodb/student-items.js';
import { counterChanges, mergeDeltas, type CounterDelta } from '../functions/domain/counters.js';
import {
  generateSteps,
  newEnrollment,
  type Enrollment,
  type EnrollmentStep,
  type EnrollmentStatus,
} from '../functions/domain/enrollment.js';
import type { PartnerId } from '../functions/domain/partners.js';
import type { Program } from '../functions/domain/programs.js';

const DAY_MS = 24 * 3600 * 1000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A UUID-shaped id (36 characters, like randomUUID) that encodes the fixture number. */
export const fixtureId = (kind: number, n: number) => `00000000-0000-4${pad(kind, 3)}-8000-${pad(n, 12)}`;

export interface FixtureEnrollment {
  enrollment: Enrollment;
  steps: EnrollmentStep[];
  student: { id: string; name: string; email: string; createdAt: string };
  /** The student's account at each partner of the program. */
  accounts: Record<PartnerId, string>;
}

export type Progress =
  /** Just enrolled: the first sequence in progress, the rest pending. */
  | { kind: 'fresh' }
  /** `completedSequences` sequences done; finished when that is all of them. */
  | { kind: 'progressed'; completedSequences: number };

/** One enrollment of `program` for student number `n`, in the given state at `now`. */
export function fixtureEnrollment(program: Program, n: number, progress: Progress, now: Date, startedDaysAgo = 0): FixtureEnrollment {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString();
  const createdAt = at(startedDaysAgo + 1);
  const student = { id: fixtureId(1, n), name: `Fixture Student ${pad(n, 7)}`, email: `student${pad(n, 7)}@fixture.example`, createdAt };
  const sequences = [...new Set(program.steps.map((s) => s.sequence))].sort((a, b) => a - b);
  const done = progress.kind === 'fresh' ? 0 : Math.min(progress.completedSequences, sequences.length);
  const current = sequences[done];
  const steps = generateSteps(program).map((step): EnrollmentStep => {
    const position = sequences.indexOf(step.sequence);
    if (position < done) return { ...step, status: 'completed', startedAt: createdAt, completedAt: at(startedDaysAgo) };
    if (step.sequence === current) return { ...step, status: 'in_progress', startedAt: at(startedDaysAgo) };
    return step;
  });
  const status: EnrollmentStatus = done === sequences.length ? 'completed' : 'active';
  const enrollment: Enrollment = {
    ...newEnrollment(fixtureId(2, n), student, program, createdAt, 'admin@test.com'),
    status,
    ...(status === 'completed' ? { completedAt: at(startedDaysAgo) } : {}),
  };
  const accounts = Object.fromEntries(program.steps.map((s) => [s.partnerId, `${s.partnerId.toUpperCase()}-${pad(n, 7)}`]));
  return { enrollment, steps, student, accounts };
}

/** The enrollment, its steps and its list entries (what the dashboard's and lists' indexes see), as first written (version 1). */
export function enrollmentItems(fixture: FixtureEnrollment): Item[] {
  return [
    enrollmentItem(
      fixture.enrollment,
      1,
      fixture.steps.map(() => 1),
      fixture.steps,
    ),
    ...fixture.steps.map((step) => stepItem(fixture.enrollment, step, 1)),
    ...listEntryItems(fixture),
  ];
}

/** The student, their email pointer, partner accounts and the active-enrollment lock (what webhooks resolve). */
export function studentItems(fixture: FixtureEnrollment): Item[] {
  const { student, enrollment } = fixture;
  const links = Object.entries(fixture.accounts).map(([partnerId, externalId]) => ({
    partnerId: partnerId,
    externalId: externalId,
    studentId: student.id,
    at: student.createdAt,
  }));
  return [
    studentProfileItem(student),
    studentEmailItem(student.email, student.id),
    ...links.flatMap((link) => [partnerAccountItem(link), studentAccountItem(link)]),
    ...(enrollment.status === 'active' ? [activeEnrollmentItem(enrollment)] : []),
  ];
}

/** Counter deltas an enrollment in this state has applied since it was created. */
export function counterDeltas(fixture: FixtureEnrollment): CounterDelta[] {
  return counterChanges(undefined, { enrollment: fixture.enrollment, steps: fixture.steps });
}

/** Accumulates counters per shard, as the transactions would have left them. */
export class CounterTotals {
  private readonly byShard = new Map<number, CounterDelta[]>();

  add(fixture: FixtureEnrollment): void {
    const shard = counterShard(fixture.enrollment.id);
    this.byShard.set(shard, mergeDeltas([...(this.byShard.get(shard) ?? []), ...counterDeltas(fixture)]));
  }

  items(): Item[] {
    return [...this.byShard].flatMap(([shard, deltas]) =>
      deltas.map((d) => ({
        ...(d.kind === 'partner' ? keys.partnerCounter(shard, d.partnerId) : keys.programCounter(shard, d.programId)),
        ...d.changes,
      })),
    );
  }
}

/** Writes items with BatchWriteItem (25 per request), `concurrency` requests in flight. */
export async function batchWrite(client: DynamoDBClient, tableName: string, items: readonly Item[], concurrency = 32): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += 25) {
    batches.push(items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } })));
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: WriteRequest[] | undefined = batches[next++];
      while (pending && pending.length > 0) {
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
        pending = result.UnprocessedItems?.[tableName];
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
