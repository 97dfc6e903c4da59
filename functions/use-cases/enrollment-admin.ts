// What an admin does to one enrollment: complete, waive or skip a step, cancel it, retry a failed
// automation, mark an email sent whose outcome was unknown. Each is a command for the decider,
// saved through the one save path; each answers with the admin view.
import type { AdminEnrollmentView } from './enrollment-view.js';
import { enrollmentIdOf, readAdminView, type Actor, type EnrollmentDeps } from './enrollments.js';
import { changeEnrollment } from './enrollment-transitions.js';
import { startWorkflow } from './start-workflow.js';

export type OverrideAction = 'complete' | 'waive' | 'skip';

type AdminDeps = Pick<
  EnrollmentDeps,
  'students' | 'enrollments' | 'partners' | 'suppressions' | 'workflow' | 'clock' | 'settings' | 'logger'
>;

/** Mark a step complete, waive it, or skip an optional one, with who and why recorded on the step. */
export async function overrideStep(
  deps: AdminDeps,
  input: {
    enrollmentId: string;
    sequence: number;
    partnerId?: string;
    action: OverrideAction;
    reason: string;
    credentialExpiresAt?: string;
  },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const enrollmentId = enrollmentIdOf(input.enrollmentId);
  const { sequence, action, reason } = input;
  const at = deps.clock.now().toISOString();
  const { events } = await changeEnrollment(deps, enrollmentId, {
    type: 'override_step',
    at,
    action,
    sequence,
    ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    by: admin.email,
    reason,
    ...(input.credentialExpiresAt && action !== 'skip' ? { credentialExpiresAt: input.credentialExpiresAt } : {}),
  });
  const moved = events.find((e) => e.type === 'step_completed' || e.type === 'step_waived' || e.type === 'step_skipped');
  if (moved && 'index' in moved) await startWorkflow(deps, enrollmentId, `s${moved.index}-${action}`);
  return readAdminView(deps, enrollmentId);
}

/**
 * Cancel an active enrollment (the student left): its open steps close as cancelled, who and why
 * is recorded, the program's counters move from active to cancelled, and the one-active-enrollment
 * lock is released so the student can be enrolled in the program again. Nothing is left to run.
 */
export async function cancelEnrollment(
  deps: Omit<AdminDeps, 'workflow'>,
  input: { enrollmentId: string; reason: string },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const enrollmentId = enrollmentIdOf(input.enrollmentId);
  const at = deps.clock.now().toISOString();
  const { events } = await changeEnrollment(deps, enrollmentId, { type: 'cancel', at, by: admin.email, reason: input.reason });
  deps.logger.info('enrollment cancelled', {
    enrollmentId,
    admin: admin.email,
    closedSteps: events.filter((e) => e.type === 'step_cancelled').length,
  });
  return readAdminView(deps, enrollmentId);
}

/** Re-run a workflow that failed for good (e.g. the certificate or email task). */
export async function retryWorkflow(
  deps: AdminDeps,
  input: { enrollmentId: string; resendEmail: boolean },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const enrollmentId = enrollmentIdOf(input.enrollmentId);
  const at = deps.clock.now().toISOString();
  await changeEnrollment(deps, enrollmentId, { type: 'retry', at, by: admin.email, resendEmail: input.resendEmail });
  deps.logger.info('admin retried workflow', { enrollmentId, admin: admin.email, resendEmail: input.resendEmail });
  await startWorkflow(deps, enrollmentId, `retry-${Date.parse(at)}`);
  return readAdminView(deps, enrollmentId);
}

/**
 * The completion email's outcome was unknown (a send that may have gone out), and the admin has
 * checked that it was delivered: record it as sent, with who and why, which ends the failure.
 */
export async function markEmailSent(
  deps: Omit<AdminDeps, 'workflow'>,
  input: { enrollmentId: string; reason: string },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const enrollmentId = enrollmentIdOf(input.enrollmentId);
  const at = deps.clock.now().toISOString();
  await changeEnrollment(deps, enrollmentId, { type: 'mark_email_sent', at, by: admin.email, reason: input.reason });
  deps.logger.info('admin marked the completion email sent', { enrollmentId, admin: admin.email });
  return readAdminView(deps, enrollmentId);
}

/**
 * Undo a step's completion (its partner account belonged to another student): the step is in
 * progress again, the reason on the timeline. Partner completions and admin completions alike.
 */
export async function reopenStep(
  deps: AdminDeps,
  input: { enrollmentId: string; sequence: number; partnerId?: string; reason: string },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const enrollmentId = enrollmentIdOf(input.enrollmentId);
  const at = deps.clock.now().toISOString();
  await changeEnrollment(deps, enrollmentId, {
    type: 'reopen_step',
    at,
    sequence: input.sequence,
    ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    by: admin.email,
    reason: input.reason,
  });
  deps.logger.info('admin reopened a step', { enrollmentId, sequence: input.sequence, admin: admin.email });
  await startWorkflow(deps, enrollmentId, `reopen-${Date.parse(at)}`);
  return readAdminView(deps, enrollmentId);
}
