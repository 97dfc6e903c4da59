// Partner accounts that can be corrected. One event with the wrong email used to link an account
// to the wrong student for good. Now an admin unlinks an account, or moves it to the right
// student, each recorded on both students with who, why and when. A move re-attributes nothing
// silently: it lists what was applied under the account, and the admin re-applies each to the new
// student or reverts it (reopens the step) with a reason on the timeline.
import { DomainError, validationError } from '../domain/errors.js';
import type { PartnerId } from '../domain/partners.js';
import type { Actor } from './enrollments.js';
import { judge, type ApplyDeps } from './apply-partner-event.js';
import { partnerIdOf } from './partners.js';
import { retrying } from './retry.js';
import { startWorkflow } from './start-workflow.js';
import { reapplyWaiting, type ReapplyResult } from './waiting-events.js';
import type { Clock } from './ports/services.js';

type CorrectionDeps = ApplyDeps & { clock: Clock };

/** A step completion that came from an event of the account. */
export interface AppliedUnderAccount {
  webhookId: string;
  enrollmentId: string;
  programName: string;
  stepIndex: number;
  sequence: number;
  courseName: string;
  completedAt?: string;
}

async function ownerOf(deps: CorrectionDeps, partnerId: PartnerId, externalId: string): Promise<string> {
  const studentId = await deps.students.findIdByAccount(partnerId, externalId);
  if (!studentId) throw new DomainError('ACCOUNT_NOT_FOUND', `${partnerId} account ${externalId} is not linked to any student`);
  return studentId;
}

export async function unlinkPartnerAccount(
  deps: CorrectionDeps,
  input: { partnerId: string; externalId: string; reason: string },
  admin: Actor,
): Promise<{ partnerId: PartnerId; externalId: string; studentId: string; at: string }> {
  const partnerId = partnerIdOf(input.partnerId);
  const { externalId, reason } = input;
  return retrying<{ partnerId: PartnerId; externalId: string; studentId: string; at: string }>(
    `unlinking ${partnerId} account ${externalId}`,
    async () => {
      const studentId = await ownerOf(deps, partnerId, externalId);
      const at = deps.clock.now().toISOString();
      const done = await deps.students.unlink(
        { partnerId, externalId, studentId },
        { at, type: 'unlinked', partnerId, externalId, by: admin.email, reason },
      );
      deps.logger.info('partner account unlinked', { partnerId, studentId, admin: admin.email });
      return done ? { done: { partnerId, externalId, studentId, at } } : { again: 'the account changed meanwhile' };
    },
  );
}

export interface MoveResult {
  partnerId: PartnerId;
  externalId: string;
  from: { studentId: string; email?: string };
  to: { studentId: string; email: string };
  at: string;
  /** What the account's events completed for the student it left: re-apply each to the new student, or revert it. */
  applied: AppliedUnderAccount[];
  /** Events waiting for review under the account, applied now that it is the new student's. */
  reapplied: ReapplyResult[];
}

export async function movePartnerAccount(
  deps: CorrectionDeps,
  input: { partnerId: string; externalId: string; studentEmail: string; reason: string },
  admin: Actor,
): Promise<MoveResult> {
  const partnerId = partnerIdOf(input.partnerId);
  const { externalId, reason } = input;
  const to = await deps.students.findByEmail(input.studentEmail);
  if (!to) throw new DomainError('STUDENT_NOT_FOUND', `no student with email ${input.studentEmail}; enroll them first`);
  const held = to.accounts[partnerId];
  if (held && held !== externalId) {
    throw new DomainError('PARTNER_ACCOUNT_TAKEN', `${to.email} already has ${partnerId} account ${held}; unlink it first`);
  }
  const moved = await retrying<{ fromId: string; at: string }>(`moving ${partnerId} account ${externalId}`, async () => {
    const fromId = await ownerOf(deps, partnerId, externalId);
    if (fromId === to.id) throw validationError(`${partnerId} account ${externalId} is already linked to ${to.email}`);
    const at = deps.clock.now().toISOString();
    const base = { at, partnerId, externalId, by: admin.email, reason };
    const done = await deps.students.move({ partnerId, externalId, studentId: fromId }, to.id, at, {
      from: { ...base, type: 'moved_out', otherStudentId: to.id },
      to: { ...base, type: 'moved_in', otherStudentId: fromId },
    });
    return done ? { done: { fromId, at } } : { again: 'the account changed meanwhile' };
  });
  deps.logger.info('partner account moved', { partnerId, from: moved.fromId, to: to.id, admin: admin.email });
  const from = await deps.students.get(moved.fromId);
  const applied = await appliedUnderAccount(deps, moved.fromId, partnerId, externalId);
  const reapplied = await reapplyWaiting(deps, to.id, [{ partnerId, externalId }]);
  return {
    partnerId,
    externalId,
    from: { studentId: moved.fromId, ...(from ? { email: from.email } : {}) },
    to: { studentId: to.id, email: to.email },
    at: moved.at,
    applied,
    reapplied,
  };
}

/** The student's step completions whose event came from this account (each event's record says which account sent it). */
export async function appliedUnderAccount(
  deps: Pick<CorrectionDeps, 'enrollments' | 'deliveries'>,
  studentId: string,
  partnerId: PartnerId,
  externalId: string,
): Promise<AppliedUnderAccount[]> {
  const found: AppliedUnderAccount[] = [];
  for (const { enrollment, steps } of await deps.enrollments.listForStudent(studentId)) {
    for (const step of steps) {
      const resolution = step.resolution;
      if (step.partnerId !== partnerId || step.status !== 'completed' || resolution?.source !== 'partner') continue;
      const delivery = await deps.deliveries.get(partnerId, resolution.webhookId);
      if (delivery?.event.kind !== 'completion' || delivery.event.externalId !== externalId) continue;
      found.push({
        webhookId: resolution.webhookId,
        enrollmentId: enrollment.id,
        programName: enrollment.programName,
        stepIndex: step.index,
        sequence: step.sequence,
        courseName: step.courseName,
        ...(step.completedAt ? { completedAt: step.completedAt } : {}),
      });
    }
  }
  return found;
}

export interface ReapplyOutcome {
  status: 'applied' | 'duplicate' | 'unmatched';
  reason?: string;
  appliedTo?: Array<{ enrollmentId: string; stepIndex: number }>;
}

/**
 * Applies a stored event of the account to the student the account is linked to now (after a
 * move). The decider guards it like any completion: a step already done stays done ("duplicate").
 */
export async function reapplyToAccountOwner(
  deps: CorrectionDeps,
  input: { partnerId: string; externalId: string; webhookId: string; reason: string },
  admin: Actor,
): Promise<ReapplyOutcome> {
  const partnerId = partnerIdOf(input.partnerId);
  const delivery = await deps.deliveries.get(partnerId, input.webhookId);
  if (!delivery) throw new DomainError('DELIVERY_NOT_FOUND', `no ${partnerId} delivery ${input.webhookId}`);
  const event = delivery.event;
  if (event.kind !== 'completion' || event.externalId !== input.externalId) {
    throw validationError(`delivery ${input.webhookId} is not a completion sent for ${partnerId} account ${input.externalId}`);
  }
  const studentId = await ownerOf(deps, partnerId, input.externalId);
  const result = await retrying<ReapplyOutcome>(`re-applying ${partnerId} event ${input.webhookId}`, async (attempt) => {
    const at = deps.clock.now().toISOString();
    const judged = await judge(deps, studentId, partnerId, event, input.webhookId, at, attempt > 1);
    if (judged.applicable.length === 0) {
      const done = judged.refusals.some((r) => r.code === 'STEP_ALREADY_DONE');
      return { done: done ? { status: 'duplicate', reason: 'already_completed' } : { status: 'unmatched', reason: 'no_step' } };
    }
    const appliedTo = judged.applicable.map(({ snapshot, stepIndex }) => ({ enrollmentId: snapshot.state.enrollment.id, stepIndex }));
    const saved = await deps.enrollments.save(
      judged.applicable.map(({ snapshot, events }) => ({ before: snapshot, events })),
      { reattributed: { partnerId, webhookId: input.webhookId, studentId, appliedTo, at, by: admin.email, reason: input.reason } },
    );
    if (saved.ok) return { done: { status: 'applied', appliedTo } };
    return { again: saved.conflict };
  });
  for (const { enrollmentId, stepIndex } of result.appliedTo ?? []) await startWorkflow(deps, enrollmentId, `s${stepIndex}-reapplied`);
  deps.logger.info('partner event re-applied to the account owner', {
    partnerId,
    webhookId: input.webhookId,
    studentId,
    admin: admin.email,
  });
  return result;
}
