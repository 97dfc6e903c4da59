// Probes for the reliability suite: what actually happened, measured from outside the code
// under test. Transitions are counted at the enrollment store's port (committed saves only), truth is
// recomputed from the table's step and enrollment items, and the audit compares every
// enrollment's recorded state with what its workflow should have done.
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../functions/adapters/dynamodb/client.js';
import { stepCounts } from '../../../functions/domain/counters.js';
import { isOpen, planAdvance, type EnrollmentStatus, type EnrollmentStep, type StepStatus } from '../../../functions/domain/enrollment.js';
import { SEED_PARTNER_IDS as PARTNER_IDS, type SeedPartnerId as PartnerId } from '../../../functions/domain/seed-partners.js';
import { evolveAll } from '../../../functions/domain/enrollment-decider.js';
import type { EnrollmentChange, EnrollmentStore, SaveResult } from '../../../functions/use-cases/ports/enrollments.js';
import type { Ports } from '../../../functions/wiring.js';
import { withEnrollments } from '../../support/stores.js';
import { localClientConfig } from '../../../local/dynamodb-local.js';
import type { TestBaton } from '../../support/test-baton.js';

export interface CommittedTransition {
  enrollmentId: string;
  index: number;
  from: StepStatus;
  to: StepStatus;
}

export interface TransitionLog {
  /** Every step transition a committed save made, in commit order. */
  transitions: CommittedTransition[];
  /** Enrollments moved to completed by a committed save. */
  finished: string[];
  /** Attempted saves that were refused by a condition (a conflict the caller handled). */
  conflicts: number;
}

/**
 * Wraps the enrollment store so every committed transition is recorded. Use it as a `decorate`
 * option (alone or composed with other fault injections).
 */
export function recordTransitions(log: TransitionLog = { transitions: [], finished: [], conflicts: 0 }) {
  const decorate = (ports: Ports): Partial<Ports> => ({ enrollments: recordingEnrollments(ports.enrollments, log) });
  return { log, decorate };
}

export function recordingEnrollments(store: EnrollmentStore, log: TransitionLog): EnrollmentStore {
  return afterSave(store, (changes, result) => {
    if (!result.ok) {
      log.conflicts++;
      return;
    }
    for (const { before, events } of changes) {
      if (events.length === 0) continue;
      const after = evolveAll(before?.state, events);
      for (const step of after.steps) {
        const was = before?.state.steps[step.index];
        if (was && was.status !== step.status)
          log.transitions.push({ enrollmentId: after.enrollment.id, index: step.index, from: was.status, to: step.status });
      }
      if (before?.state.enrollment.status !== 'completed' && after.enrollment.status === 'completed')
        log.finished.push(after.enrollment.id);
    }
  });
}

/** The store with `after` called once each save has returned (it may throw: a crash after the commit). */
export function afterSave(
  store: EnrollmentStore,
  after: (changes: readonly EnrollmentChange[], result: SaveResult) => void,
): EnrollmentStore {
  return withEnrollments(store, {
    save: async (changes, extras) => {
      const result = await store.save(changes, extras);
      after(changes, result);
      return result;
    },
  });
}

export const completions = (log: TransitionLog, enrollmentId?: string) =>
  log.transitions.filter((t) => t.to === 'completed' && (enrollmentId === undefined || t.enrollmentId === enrollmentId));

/** Response statuses grouped the way the figures report them: {"200": 49, "500": 1}. */
export function statusCounts(responses: ReadonlyArray<{ status: number }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

export function outcomeCounts(responses: ReadonlyArray<{ body: any }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { body } of responses) {
    const outcome = typeof body?.status === 'string' ? body.status : typeof body?.error?.code === 'string' ? body.error.code : 'no body';
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

export const serverErrors = (responses: ReadonlyArray<{ status: number }>) => responses.filter((r) => r.status >= 500).length;

/** Runs `task` for each input with at most `concurrency` in flight; results in input order. */
export async function pool<T, R>(inputs: readonly T[], concurrency: number, task: (input: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await task(inputs[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  return results;
}

type Item = Record<string, unknown>;

interface EnrollmentRecord {
  enrollment: Item;
  steps: EnrollmentStep[];
}

function enrollmentsIn(items: readonly Item[]): Map<string, EnrollmentRecord> {
  const byId = new Map<string, EnrollmentRecord>();
  for (const item of items) if (item.entity === 'enrollment') byId.set(item.id as string, { enrollment: item, steps: [] });
  for (const item of items) {
    if (item.entity !== 'step') continue;
    byId.get(item.enrollmentId as string)?.steps.push(item as unknown as EnrollmentStep);
  }
  return byId;
}

export interface Truth {
  /** The seed partners, and any other partner with steps. */
  partners: Record<PartnerId, Record<StepStatus, number>> & Record<string, Record<StepStatus, number>>;
  programs: Record<string, { total: number; active: number; completed: number; cancelled: number }>;
}

/** The pipeline's numbers recomputed from the step and enrollment records themselves. */
export function truthFromItems(items: readonly Item[]): Truth {
  const partners = Object.fromEntries(PARTNER_IDS.map((id) => [id, stepCounts()])) as Truth['partners'];
  const programs: Truth['programs'] = {};
  for (const { enrollment, steps } of enrollmentsIn(items).values()) {
    const program = (programs[enrollment.programId as string] ??= { total: 0, active: 0, completed: 0, cancelled: 0 });
    program.total++;
    program[enrollment.status as EnrollmentStatus]++;
    for (const step of steps) (partners[step.partnerId] ??= stepCounts())[step.status]++;
  }
  return { partners: byKey(partners), programs };
}

/** The same record with its keys sorted, so two records compare by content (the pipeline lists partners by name). */
const byKey = <T extends Record<string, unknown>>(record: T): T =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b))) as T;

/** The pipeline as an admin sees it, reduced to the same shape as the recomputed truth. */
export async function pipelineTotals(baton: TestBaton, admin: string): Promise<Truth> {
  const { status, body } = await baton.api('GET', '/api/admin/pipeline', { as: admin });
  if (status !== 200) throw new Error(`pipeline answered ${status}`);
  const partners = Object.fromEntries(body.providers.map((p: any) => [p.partnerId, stepCounts(p)])) as Truth['partners'];
  const programs: Truth['programs'] = {};
  for (const p of body.programs)
    if (p.total > 0) programs[p.programId] = { total: p.total, active: p.active, completed: p.completed, cancelled: p.cancelled };
  return { partners: byKey(partners), programs };
}

export interface Disagreement {
  enrollmentId: string;
  problem: string;
}

/**
 * Every enrollment whose recorded state and workflow disagree, once executions have drained:
 * work the workflow should have done (steps to start, an enrollment to complete, a certificate
 * or email owed), an advance request no execution finished, a recorded workflow failure, or a
 * completed or cancelled enrollment with a step still open.
 */
export function auditEnrollments(items: readonly Item[]): Disagreement[] {
  const problems: Disagreement[] = [];
  const certificates = new Map<string, number>();
  for (const item of items) {
    if (item.entity === 'certificate')
      certificates.set(item.enrollmentId as string, (certificates.get(item.enrollmentId as string) ?? 0) + 1);
  }
  for (const [id, { enrollment, steps }] of enrollmentsIn(items)) {
    const add = (problem: string) => problems.push({ enrollmentId: id, problem });
    const plan = planAdvance(enrollment.status as EnrollmentStatus, steps);
    if (plan.complete) add('every required step is done but the enrollment is still active');
    if (plan.start.length > 0) add(`steps ${plan.start.map((s) => s.index).join(',')} are due but were not started`);
    if (enrollment.advanceRequestedAt) add('an advance request is still pending');
    if (enrollment.workflowFailure) add(`workflow failure recorded: ${(enrollment.workflowFailure as { error: string }).error}`);
    const open = steps.filter(isOpen);
    if (enrollment.status !== 'active' && open.length > 0)
      add(`${String(enrollment.status)} with steps ${open.map((s) => s.index).join(',')} still open`);
    if (enrollment.status === 'completed') {
      if (!enrollment.certificateId) add('completed without a certificate');
      if (!enrollment.emailSentAt) add('completed without the completion email');
    }
    const issued = certificates.get(id) ?? 0;
    if (issued > 1) add(`${issued} certificates`);
  }
  return problems;
}

/** "50 × 200" / "49 × 200, 1 × 500": counts in a stable order for the published figures. */
export function formatCounts(counts: Record<string, number>, unit = ''): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${n} × ${key}${unit}`)
    .join(', ');
}

/** "1 applied, 49 duplicate": outcomes of webhook answers, most frequent first. */
export function formatOutcomes(responses: ReadonlyArray<{ body: any }>): string {
  return Object.entries(outcomeCounts(responses))
    .sort(([a, x], [b, y]) => x - y || a.localeCompare(b))
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;

/**
 * Deletes what DynamoDB TTL would have deleted by `now` (items whose expiresAt has passed).
 * DynamoDB Local keeps expired items, so tests that move the clock past a TTL call this.
 */
export async function expireByTtl(baton: TestBaton, now: Date): Promise<number> {
  const db = documentClient(localClientConfig(baton.dynamoDbEndpoint));
  const expired = (await baton.items()).filter((i) => typeof i.expiresAt === 'number' && i.expiresAt * 1000 <= now.getTime());
  for (const item of expired) await db.send(new DeleteCommand({ TableName: baton.tableName, Key: { pk: item.pk, sk: item.sk } }));
  return expired.length;
}

/** The outbox's emails with their base64 parts decoded (to search for a certificate id). */
export function decodedOutbox(baton: TestBaton): string[] {
  return baton
    .outbox()
    .map((eml) =>
      eml.replace(/Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/g, (_, base64: string) =>
        Buffer.from(base64.replace(/\r\n/g, ''), 'base64').toString('utf8'),
      ),
    );
}
