// Applies one partner completion: resolve the student, find the step, and record the
// transition and the delivery in one conditional transaction. Used for fresh webhooks and for
// unmatched events re-applied after an admin links the account.
import { matchCompletion, type CompletionMatch, type EnrollmentStatus, type EnrollmentStep } from '../domain/enrollment.js';
import type { PartnerEvent } from '../domain/partner-events.js';
import type { PartnerId } from '../domain/partners.js';
import type { Delivery, DeliveryOutcome, EnrollmentChange, Repository, Student, TransitionCommit, WorkflowStarter } from './ports.js';
import { backoff } from './backoff.js';
import { startWorkflow } from './start-workflow.js';
import { stepChanges } from './step-changes.js';
import type { Logger } from './logger.js';

export type CompletionEvent = Extract<PartnerEvent, { kind: 'completion' }>;

export interface ApplyResult {
  status: DeliveryOutcome;
  reason?: string;
  appliedTo?: Array<{ enrollmentId: string; stepIndex: number }>;
}

export interface ApplyDeps {
  repo: Repository;
  workflow: WorkflowStarter;
  logger: Logger;
}

/** Where the event comes from: a delivery being stored now, or a stored unmatched one. */
export type DeliverySource =
  | { kind: 'new'; delivery: Omit<Delivery, 'outcome' | 'reason' | 'studentId' | 'appliedTo'> }
  | { kind: 'stored'; partnerId: PartnerId; webhookId: string };

/** Conflicts are retried this many times; each retry re-reads the state it decides on. */
const MAX_ATTEMPTS = 8;

export async function applyPartnerEvent(
  deps: ApplyDeps,
  partnerId: PartnerId,
  event: CompletionEvent,
  source: DeliverySource,
  at: string,
): Promise<ApplyResult> {
  const { repo } = deps;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const resolved = await resolveStudent(repo, partnerId, event);
    if (!resolved) return settle(deps, source, { status: 'unmatched', reason: 'unknown_student' }, undefined, at);

    const matches = await findMatches(repo, resolved.student.id, partnerId, event, attempt > 1);
    const applicable = matches.filter((m) => m.match.outcome === 'apply');
    if (applicable.length === 0) {
      return settle(deps, source, outcomeWithoutApply(matches.map((m) => m.match)), resolved.student.id, at);
    }

    const appliedTo = applicable.map((m) => ({ enrollmentId: m.enrollmentId, stepIndex: m.step.index }));
    const changes: EnrollmentChange[] = applicable.map(({ enrollmentId, step }) => ({
      enrollmentId,
      ...stepChanges(
        [
          {
            step,
            to: 'completed',
            at: event.occurredAt && event.occurredAt < at ? event.occurredAt : at,
            resolution: {
              source: 'partner',
              webhookId: webhookIdOf(source),
              result: event.result,
              ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
              ...(event.score !== undefined ? { score: event.score } : {}),
            },
          },
        ],
        at,
      ),
      requestAdvanceAt: at,
    }));
    const commit: TransitionCommit = { changes };
    if (resolved.link) commit.link = { ...resolved.link, studentId: resolved.student.id, at };
    if (source.kind === 'new') {
      commit.newDelivery = { ...source.delivery, outcome: 'applied', studentId: resolved.student.id, appliedTo };
    } else {
      commit.resolvedDelivery = { partnerId, webhookId: source.webhookId, studentId: resolved.student.id, appliedTo, at };
    }

    const result = await repo.commitTransition(commit);
    if (result.ok) {
      for (const { enrollmentId, step } of applicable) {
        await startWorkflow(deps, enrollmentId, `s${step.index}-completed`);
      }
      return { status: 'applied', appliedTo };
    }
    if (result.conflict === 'delivery_exists') return { status: 'duplicate', reason: 'same_webhook_id' };
    if (source.kind === 'stored') {
      // Waiting events are listed from an eventually consistent index: the event may have been
      // applied or dismissed meanwhile, which only the delivery's own record says. Either way this
      // attempt applied nothing: a duplicate of what settled it.
      const stored = await repo.getDelivery(source.partnerId, source.webhookId);
      if (stored?.outcome !== 'unmatched') return { status: 'duplicate', reason: 'already_settled' };
    }
    // state_changed / account_taken: someone else moved first; decide again on fresh state.
    deps.logger.info('transition conflict, retrying', { attempt, conflict: result.conflict });
    await backoff(attempt);
  }
  throw new Error(`could not apply the ${partnerId} event after ${MAX_ATTEMPTS} attempts: state kept changing`);
}

interface StudentResolution {
  student: Pick<Student, 'id'>;
  /** Set when the student was found by email and the partner account should be linked now. */
  link?: { partnerId: PartnerId; externalId: string };
}

/** The student an event is about: by linked partner account first, then by email. */
async function resolveStudent(repo: Repository, partnerId: PartnerId, event: CompletionEvent): Promise<StudentResolution | undefined> {
  if (event.externalId) {
    const studentId = await repo.findStudentIdByAccount(partnerId, event.externalId);
    if (studentId) return { student: { id: studentId } };
  }
  if (!event.email) return undefined;
  const student = await repo.findStudentByEmail(event.email);
  if (!student) return undefined;
  // Link the account so the partner's later events (which may omit the email) match directly,
  // unless the student already has a different account at this partner.
  const link = event.externalId && !student.accounts[partnerId] ? { partnerId, externalId: event.externalId } : undefined;
  return { student, ...(link ? { link } : {}) };
}

interface Candidate {
  enrollmentId: string;
  step: EnrollmentStep;
  match: CompletionMatch;
}

async function findMatches(
  repo: Repository,
  studentId: string,
  partnerId: PartnerId,
  event: CompletionEvent,
  consistent: boolean,
): Promise<Candidate[]> {
  const found = await repo.findStepsForCourse(studentId, partnerId, event.courseId);
  const candidates: Candidate[] = [];
  for (const { enrollmentId, step: indexed } of found) {
    // The index is eventually consistent and does not carry the enrollment's status; the
    // transaction's conditions guard both. After a conflict, decide on the table's own copy.
    let step: EnrollmentStep | undefined = indexed;
    let status: EnrollmentStatus = 'active';
    if (consistent) {
      const data = await repo.getEnrollment(enrollmentId);
      step = data?.steps.find((s) => s.index === indexed.index);
      status = data?.enrollment.status ?? 'cancelled';
    }
    if (!step) continue;
    const match = matchCompletion(status, [step], { partnerId, courseId: event.courseId, result: event.result });
    candidates.push({ enrollmentId, step, match });
  }
  return candidates;
}

/**
 * What a completion that applies nowhere was. A cancelled step's event waits in the inbox, where
 * re-enrolling the student applies it, or an admin dismisses it; that wins over a skipped match,
 * so the event stays usable. A skipped step stays skipped (its program is completed): the event is
 * kept and ignored.
 */
function outcomeWithoutApply(matches: CompletionMatch[]): { status: DeliveryOutcome; reason: string } {
  if (matches.some((m) => m.outcome === 'insufficient')) return { status: 'ignored', reason: 'requires_passed' };
  if (matches.some((m) => m.outcome === 'already_done')) return { status: 'duplicate', reason: 'already_completed' };
  const closed = matches.flatMap((m) => (m.outcome === 'closed' ? [m.step.status] : []));
  if (closed.includes('cancelled')) return { status: 'unmatched', reason: 'enrollment_cancelled' };
  if (closed.includes('skipped')) return { status: 'ignored', reason: 'step_skipped' };
  return { status: 'unmatched', reason: 'no_step' };
}

/** Records a delivery that changes no step (unmatched, duplicate, ignored). */
async function settle(
  deps: ApplyDeps,
  source: DeliverySource,
  outcome: { status: DeliveryOutcome; reason: string },
  studentId: string | undefined,
  at: string,
): Promise<ApplyResult> {
  if (source.kind === 'stored') {
    await deps.repo.settleUnmatched(source.partnerId, source.webhookId, outcome.status, outcome.reason, studentId, at);
    return outcome;
  }
  const stored = await deps.repo.putDelivery({
    ...source.delivery,
    outcome: outcome.status,
    reason: outcome.reason,
    ...(studentId ? { studentId } : {}),
  });
  if (!stored) return { status: 'duplicate', reason: 'same_webhook_id' };
  return outcome.status === 'unmatched' ? ((await applyIfMatchableNow(deps, source.delivery, at)) ?? outcome) : outcome;
}

/**
 * An enrollment or account link made while this event was being decided re-applies the waiting
 * unmatched events, but may have looked before this one was stored. Both sides write, then look,
 * so one of them sees the other: look once more now that it is stored (reads only, unless it matches).
 */
export async function applyIfMatchableNow(deps: ApplyDeps, delivery: Pick<Delivery, 'partnerId' | 'webhookId' | 'event'>, at: string) {
  if (delivery.event.kind !== 'completion') return undefined;
  const resolved = await resolveStudent(deps.repo, delivery.partnerId, delivery.event);
  if (!resolved) return undefined;
  const matches = await findMatches(deps.repo, resolved.student.id, delivery.partnerId, delivery.event, true);
  if (!matches.some((m) => m.match.outcome === 'apply')) return undefined;
  return applyPartnerEvent(
    deps,
    delivery.partnerId,
    delivery.event,
    { kind: 'stored', partnerId: delivery.partnerId, webhookId: delivery.webhookId },
    at,
  );
}

const webhookIdOf = (source: DeliverySource) => (source.kind === 'new' ? source.delivery.webhookId : source.webhookId);
