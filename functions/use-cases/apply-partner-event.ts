// Applies one partner completion: resolve the student, let the decider judge each of their
// enrollments that has a step for the course, and save the steps it completes together with the
// delivery in one transaction. Used for fresh webhooks and for waiting (unmatched) events applied
// later, when an admin links the account or the student is enrolled.
import type { Delivery, DeliveryOutcome } from '../domain/delivery.js';
import { decide, type EnrollmentCommand, type EnrollmentEvent, type RefusalCode } from '../domain/enrollment-decider.js';
import type { StepStatus } from '../domain/enrollment.js';
import type { PartnerEvent } from '../domain/partner-events.js';
import { outcomeWithoutApply } from '../domain/partner-completion.js';
import type { PartnerId } from '../domain/partners.js';
import type { Student } from '../domain/student.js';
import type { Logger } from './logger.js';
import type { DeliveryStore } from './ports/deliveries.js';
import type { EnrollmentSnapshot, EnrollmentStore, SaveExtras } from './ports/enrollments.js';
import type { WorkflowStarter } from './ports/services.js';
import type { StudentStore } from './ports/students.js';
import { retrying } from './retry.js';
import { startWorkflow } from './start-workflow.js';

export type CompletionEvent = Extract<PartnerEvent, { kind: 'completion' }>;

export interface ApplyResult {
  status: DeliveryOutcome;
  reason?: string;
  appliedTo?: Array<{ enrollmentId: string; stepIndex: number }>;
}

export interface ApplyDeps {
  students: StudentStore;
  enrollments: EnrollmentStore;
  deliveries: DeliveryStore;
  workflow: WorkflowStarter;
  logger: Logger;
}

/**
 * Where the event comes from: a delivery being stored now, a stored unmatched one, or a stored
 * one an admin replays (it replaces the record, which must still have the outcome it was read with).
 */
export type DeliverySource =
  | { kind: 'new'; delivery: Omit<Delivery, 'outcome' | 'reason' | 'studentId' | 'appliedTo'> }
  | { kind: 'stored'; partnerId: PartnerId; webhookId: string }
  | { kind: 'replayed'; delivery: Omit<Delivery, 'outcome' | 'reason' | 'studentId' | 'appliedTo'>; expectedOutcome: DeliveryOutcome };

export async function applyPartnerEvent(
  deps: ApplyDeps,
  partnerId: PartnerId,
  event: CompletionEvent,
  source: DeliverySource,
  at: string,
): Promise<ApplyResult> {
  const webhookId = source.kind === 'stored' ? source.webhookId : source.delivery.webhookId;
  return retrying<ApplyResult>(`the ${partnerId} event ${webhookId}`, async (attempt) => {
    const resolved = await resolveStudent(deps.students, partnerId, event);
    if (!resolved) return { done: await settle(deps, source, { status: 'unmatched', reason: 'unknown_student' }, undefined, at) };
    // The account and the email disagree about who this is: an admin decides (the inbox), nothing is credited.
    if ('review' in resolved) return { done: await settle(deps, source, { status: 'unmatched', reason: resolved.review }, undefined, at) };
    const studentId = resolved.student.id;

    // The first attempt decides on the owner index's copy; after a conflict, on the table's own.
    const judged = await judge(deps, studentId, partnerId, event, webhookId, at, attempt > 1);
    if (await namesSomeoneElse(deps.students, resolved, judged)) {
      return { done: await settle(deps, source, { status: 'unmatched', reason: 'account_conflict' }, undefined, at) };
    }
    if (judged.applicable.length === 0) return { done: await settle(deps, source, outcomeWithoutApply(judged.refusals), studentId, at) };

    const appliedTo = judged.applicable.map(({ snapshot, stepIndex }) => ({ enrollmentId: snapshot.state.enrollment.id, stepIndex }));
    const extras: SaveExtras =
      source.kind === 'new'
        ? { newDelivery: { ...source.delivery, outcome: 'applied', studentId, appliedTo } }
        : source.kind === 'replayed'
          ? {
              replacedDelivery: {
                delivery: { ...source.delivery, outcome: 'applied', studentId, appliedTo },
                expectedOutcome: source.expectedOutcome,
              },
            }
          : { appliedWaiting: { partnerId, webhookId, studentId, appliedTo, at } };
    if (resolved.link) extras.links = [{ ...resolved.link, studentId, at }];

    const saved = await deps.enrollments.save(
      judged.applicable.map(({ snapshot, events }) => ({ before: snapshot, events })),
      extras,
    );
    if (saved.ok) {
      for (const { enrollmentId, stepIndex } of appliedTo) await startWorkflow(deps, enrollmentId, `s${stepIndex}-completed`);
      return { done: { status: 'applied', appliedTo } };
    }
    if (saved.conflict === 'delivery_exists') return { done: { status: 'duplicate', reason: 'same_webhook_id' } };
    // Waiting events are listed from an eventually consistent index: the event may have been
    // applied or dismissed meanwhile, which only its own record says. This attempt applied nothing.
    if (saved.conflict === 'delivery_settled') return { done: { status: 'duplicate', reason: 'already_settled' } };
    deps.logger.info('partner event conflicted with another change; deciding again', { attempt, conflict: saved.conflict });
    return { again: saved.conflict };
  });
}

/**
 * What applyPartnerEvent would do with a new delivery, reading only (an import's dry run): the
 * same deduplication, matching and decider, nothing written. `applied` says it would apply.
 */
export async function previewPartnerEvent(
  deps: Pick<ApplyDeps, 'students' | 'enrollments' | 'deliveries'>,
  partnerId: PartnerId,
  event: CompletionEvent,
  webhookId: string,
  at: string,
): Promise<ApplyResult> {
  if (await deps.deliveries.get(partnerId, webhookId)) return { status: 'duplicate', reason: 'same_webhook_id' };
  const resolved = await resolveStudent(deps.students, partnerId, event);
  if (!resolved) return { status: 'unmatched', reason: 'unknown_student' };
  if ('review' in resolved) return { status: 'unmatched', reason: resolved.review };
  const judged = await judge(deps, resolved.student.id, partnerId, event, webhookId, at, false);
  if (await namesSomeoneElse(deps.students, resolved, judged)) return { status: 'unmatched', reason: 'account_conflict' };
  if (judged.applicable.length === 0) return outcomeWithoutApply(judged.refusals);
  return {
    status: 'applied',
    appliedTo: judged.applicable.map(({ snapshot, stepIndex }) => ({ enrollmentId: snapshot.state.enrollment.id, stepIndex })),
  };
}

interface Judgement {
  /** Every enrollment judged (their student's email is on them). */
  snapshots: EnrollmentSnapshot[];
  /** Enrollments whose step this event completes, with the events of that. */
  applicable: Array<{ snapshot: EnrollmentSnapshot; events: EnrollmentEvent[]; stepIndex: number }>;
  /** Why the others do not take it; `byThisEvent` when their step was completed by this very event. */
  refusals: Array<{ code: RefusalCode; stepStatus?: StepStatus; byThisEvent: boolean }>;
}

/** The decider's verdict on each of the student's enrollments with a step for the course (reads only). */
export async function judge(
  deps: Pick<ApplyDeps, 'enrollments'>,
  studentId: string,
  partnerId: PartnerId,
  event: CompletionEvent,
  webhookId: string,
  at: string,
  consistent: boolean,
): Promise<Judgement> {
  const command: EnrollmentCommand = {
    type: 'record_partner_completion',
    at,
    partnerId,
    courseId: event.courseId,
    result: event.result,
    webhookId,
    ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
    ...(event.score !== undefined ? { score: event.score } : {}),
    ...(event.credentialExpiresAt ? { credentialExpiresAt: event.credentialExpiresAt } : {}),
  };
  const judgement: Judgement = { snapshots: [], applicable: [], refusals: [] };
  for (const snapshot of await deps.enrollments.findForCourse(studentId, partnerId, event.courseId, { consistent })) {
    judgement.snapshots.push(snapshot);
    const decision = decide(snapshot.state, command);
    if (decision.ok) {
      const completed = decision.events.find((e) => e.type === 'step_completed');
      if (completed) judgement.applicable.push({ snapshot, events: decision.events, stepIndex: completed.index });
      continue;
    }
    const { code, step } = decision.refusal;
    const resolution = step?.resolution;
    judgement.refusals.push({
      code,
      ...(step ? { stepStatus: step.status } : {}),
      byThisEvent: resolution?.source === 'partner' && resolution.webhookId === webhookId,
    });
  }
  return judgement;
}

export type StudentResolution =
  | {
      student: Pick<Student, 'id'>;
      /** Set when the student was found by email and the partner account should be linked now. */
      link?: { partnerId: PartnerId; externalId: string };
      /** Found by a linked account, and the event also names this email: it must be that student's. */
      emailToCheck?: string;
    }
  /** The event names two different students: it waits in the inbox for an admin. */
  | { review: 'account_conflict' | 'other_account' };

/**
 * The student an event is about: by linked partner account first, then by email. An event whose
 * account is linked to one student and whose email names another, or whose email names a student
 * who holds a different account at this partner, credits nobody and waits for review: one wrong
 * email must not link an account to the wrong student for good.
 */
export async function resolveStudent(
  students: StudentStore,
  partnerId: PartnerId,
  event: CompletionEvent,
): Promise<StudentResolution | undefined> {
  if (event.externalId) {
    const studentId = await students.findIdByAccount(partnerId, event.externalId);
    if (studentId) return { student: { id: studentId }, ...(event.email ? { emailToCheck: event.email } : {}) };
  }
  if (!event.email) return undefined;
  const student = await students.findByEmail(event.email);
  if (!student) return undefined;
  const held = student.accounts[partnerId];
  if (event.externalId && held && held !== event.externalId) return { review: 'other_account' };
  // Link the account so the partner's later events (which may omit the email) match directly.
  const link = event.externalId && !held ? { partnerId, externalId: event.externalId } : undefined;
  return { student, ...(link ? { link } : {}) };
}

/**
 * Whether an event found by its linked account names, by email, another student. The student's
 * enrollments carry their email, so the usual case (the same email) costs no read; otherwise the
 * email is looked up (one GetItem).
 */
export async function namesSomeoneElse(
  students: StudentStore,
  resolved: Extract<StudentResolution, { student: unknown }>,
  judged: { snapshots: readonly EnrollmentSnapshot[] },
): Promise<boolean> {
  const email = resolved.emailToCheck;
  if (!email || judged.snapshots.some((s) => s.state.enrollment.studentEmail === email)) return false;
  const named = await students.findIdByEmail(email);
  return named !== undefined && named !== resolved.student.id;
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
    await deps.deliveries.settleWaiting(source.partnerId, source.webhookId, outcome.status, outcome.reason, studentId, at);
    return outcome;
  }
  if (source.kind === 'replayed') {
    const replaced = await deps.deliveries.replace(
      { ...source.delivery, outcome: outcome.status, reason: outcome.reason, ...(studentId ? { studentId } : {}) },
      source.expectedOutcome,
    );
    return replaced ? outcome : { status: 'duplicate', reason: 'already_settled' };
  }
  const stored = await deps.deliveries.put({
    ...source.delivery,
    outcome: outcome.status,
    reason: outcome.reason,
    ...(studentId ? { studentId } : {}),
  });
  if (!stored) return { status: 'duplicate', reason: 'same_webhook_id' };
  if (outcome.status !== 'unmatched') return outcome;
  return (await lookAgain(deps, source.delivery, at)) ?? outcome;
}

/**
 * An enrollment or account link made while this event was being decided re-applies the waiting
 * events, but may have looked before this one was stored. Both sides write, then look, so one of
 * them sees the other: look once more now that it is stored (reads only, unless it matches). The
 * answer says what happened to this event, whoever applied it.
 */
export async function lookAgain(
  deps: ApplyDeps,
  delivery: Pick<Delivery, 'partnerId' | 'webhookId' | 'event'>,
  at: string,
): Promise<ApplyResult | undefined> {
  if (delivery.event.kind !== 'completion') return undefined;
  const { partnerId, webhookId } = delivery;
  const event = delivery.event;
  const resolved = await resolveStudent(deps.students, partnerId, event);
  if (!resolved || 'review' in resolved) return undefined;
  const judged = await judge(deps, resolved.student.id, partnerId, event, webhookId, at, true);
  if (await namesSomeoneElse(deps.students, resolved, judged)) return undefined;
  // The enrollment that raced it has already applied this very event: it is applied.
  if (judged.applicable.length === 0)
    return judged.refusals.some((r) => r.byThisEvent) ? { status: 'applied', reason: 'applied_by_waiting_events' } : undefined;
  const result = await applyPartnerEvent(deps, partnerId, event, { kind: 'stored', partnerId, webhookId }, at);
  if (result.reason !== 'already_settled') return result;
  // Settled between the look and the save: its record says how.
  const stored = await deps.deliveries.get(partnerId, webhookId);
  return stored
    ? {
        status: stored.outcome,
        ...(stored.reason ? { reason: stored.reason } : {}),
        ...(stored.appliedTo ? { appliedTo: stored.appliedTo } : {}),
      }
    : result;
}
