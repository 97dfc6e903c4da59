// The welcome email and the reminders, each sent at most once: claimed on the enrollment first (a
// conditional save: of two runs, one claims), sent in one attempt, then recorded. A claim whose
// result was never recorded (the run died) is, once older than any live send, recorded as an
// unknown outcome and never sent again. Suppressed addresses get nothing; unsubscribed students
// get no reminders (a scheduled one is skipped, so the schedule moves on).
import {
  isOverdue,
  SEND_CLAIM_LIFETIME_MS,
  welcomePending,
  type EnrollmentState,
  type EnrollmentStep,
  type ReminderKind,
} from '../domain/enrollment.js';
import type { RefusalCode } from '../domain/enrollment-decider.js';
import type { Brand } from '../domain/brand.js';
import { directoryOf, launchUrl, partnerName, type PartnerDirectory } from '../domain/partners.js';
import { reminderEmail, welcomeEmail, type EmailStep } from '../domain/student-emails.js';
import type { Student } from '../domain/student.js';
import { transition } from './enrollment-transitions.js';
import { deliver, emailBrand, reminderBlock, settleEmail, unsubscribeLink, type StudentEmailDeps } from './email-delivery.js';
import type { EnrollmentSnapshot } from './ports/enrollments.js';

export type WelcomeOutcome = 'sent' | 'skipped' | 'unknown' | 'later' | 'none';

/** Sends the enrollment's welcome email if it is due and nobody else is sending it. */
export async function sendWelcome(deps: StudentEmailDeps, enrollmentId: string, from?: EnrollmentSnapshot): Promise<WelcomeOutcome> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const snapshot = from ?? (await deps.enrollments.load(enrollmentId));
  if (!snapshot || !welcomePending(snapshot.state.enrollment)) return 'none';
  const { enrollment } = snapshot.state;
  const { claimedAt } = enrollment.welcome!;
  if (claimedAt) {
    // A live run is sending it; a claim older than any send belongs to a run that died.
    if (now.getTime() - Date.parse(claimedAt) < SEND_CLAIM_LIFETIME_MS) return 'none';
    const result = { at, outcome: 'unknown', reason: 'the send that claimed it recorded no result' } as const;
    await settleEmail(deps, enrollmentId, { type: 'record_welcome', claimedAt, result }, snapshot);
    return 'unknown';
  }
  const [student, suppression] = await Promise.all([
    deps.students.get(enrollment.studentId),
    deps.suppressions.get(enrollment.studentEmail),
  ]);
  if (suppression) {
    const skipped = await transition(deps, enrollmentId, {
      type: 'record_welcome',
      result: { at, outcome: 'skipped', reason: 'suppressed' },
    });
    return skipped.ok ? 'skipped' : 'none';
  }
  // Everything that can fail before the send is done before the claim, so a failure leaves nothing claimed.
  const [unsubscribeUrl, look] = await Promise.all([unsubscribeLink(deps, enrollment.studentId), emailLook(deps)]);
  const claim = await transition(deps, enrollmentId, { type: 'claim_welcome', at }, { from: snapshot });
  if (!claim.ok) return 'none';
  const message = welcomeEmail({
    brand: look.brand,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programName: enrollment.programName,
    coordinator: enrollment.createdBy,
    unsubscribeUrl,
    steps: [...claim.after.steps].sort((a, b) => a.index - b.index).map((step) => emailStep(step, student, at, look.partners)),
  });
  const sent = await deliver(deps, message);
  const done = deps.clock.now().toISOString();
  if (sent.outcome === 'refused' && sent.later) {
    await transition(deps, enrollmentId, { type: 'release_welcome', claimedAt: at }, { from: claim.saved });
    return 'later';
  }
  const result =
    sent.outcome === 'sent'
      ? ({ at: done, outcome: 'sent', messageId: sent.messageId } as const)
      : ({ at: done, outcome: sent.outcome === 'unknown' ? 'unknown' : 'skipped', reason: sent.reason } as const);
  if (sent.outcome !== 'sent') deps.logger.warn('welcome email not sent', { enrollmentId, outcome: sent.outcome, reason: sent.reason });
  await settleEmail(deps, enrollmentId, { type: 'record_welcome', claimedAt: at, result }, claim.saved);
  return sent.outcome === 'sent' ? 'sent' : result.outcome;
}

/** Why a reminder was not sent, as the nudge API answers it. */
export type ReminderSkip =
  | 'not_found'
  | 'not_active'
  | 'no_step_in_progress'
  | 'reminded_today'
  | 'unsubscribed'
  | 'email_suppressed'
  | 'nothing_due'
  | 'mail_refused'
  | 'outcome_unknown'
  | 'try_later';

const SKIP_BY_REFUSAL: Partial<Record<RefusalCode, ReminderSkip>> = {
  ENROLLMENT_NOT_FOUND: 'not_found',
  ENROLLMENT_NOT_ACTIVE: 'not_active',
  NO_STEP_IN_PROGRESS: 'no_step_in_progress',
  REMINDED_TODAY: 'reminded_today',
  REMINDERS_UNSUBSCRIBED: 'unsubscribed',
  EMAIL_SUPPRESSED: 'email_suppressed',
  NOTHING_DUE: 'nothing_due',
};

/**
 * Reminds the student of their steps in progress: the scheduled reminders that are due, or (a
 * nudge, `by` an admin) every step in progress not reminded within a day. One email names every
 * step it reminds of.
 */
export async function remindEnrollment(
  deps: StudentEmailDeps,
  enrollmentId: string,
  request: { kind: ReminderKind; by?: string },
  from?: EnrollmentSnapshot,
): Promise<{ sent: true } | { sent: false; reason: ReminderSkip }> {
  const at = deps.clock.now().toISOString();
  const snapshot = from ?? (await deps.enrollments.load(enrollmentId));
  if (!snapshot) return { sent: false, reason: 'not_found' };
  const { enrollment } = snapshot.state;
  const [student, suppression] = await Promise.all([
    deps.students.get(enrollment.studentId),
    deps.suppressions.get(enrollment.studentEmail),
  ]);
  const blocked = reminderBlock(student, suppression);
  const [unsubscribeUrl, look] = await Promise.all([blocked ? '' : unsubscribeLink(deps, enrollment.studentId), emailLook(deps)]);
  const claim = await transition(
    deps,
    enrollmentId,
    { type: 'claim_reminders', at, kind: request.kind, ...(request.by ? { by: request.by } : {}), ...(blocked ? { blocked } : {}) },
    { from: snapshot },
  );
  if (!claim.ok) return { sent: false, reason: SKIP_BY_REFUSAL[claim.refusal.code] ?? 'nothing_due' };
  if (blocked) return { sent: false, reason: blocked === 'suppressed' ? 'email_suppressed' : 'unsubscribed' };
  const steps = claim.after.steps.filter((s) => s.reminderClaim?.at === at);
  const message = reminderEmail({
    brand: look.brand,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programName: enrollment.programName,
    coordinator: request.by ?? enrollment.createdBy,
    ...(request.kind === 'nudge' && request.by ? { nudgedBy: request.by } : {}),
    unsubscribeUrl,
    steps: steps.map((step) => emailStep(step, student, at, look.partners)),
  });
  const sent = await deliver(deps, message);
  const done = deps.clock.now().toISOString();
  if (sent.outcome === 'refused' && sent.later) {
    await transition(deps, enrollmentId, { type: 'release_reminders', claimedAt: at }, { from: claim.saved });
    return { sent: false, reason: 'try_later' };
  }
  const result =
    sent.outcome === 'sent'
      ? ({ at: done, outcome: 'sent', messageId: sent.messageId } as const)
      : ({ at: done, outcome: sent.outcome === 'unknown' ? 'unknown' : 'skipped', reason: sent.reason } as const);
  if (sent.outcome !== 'sent') deps.logger.warn('reminder not sent', { enrollmentId, outcome: sent.outcome, reason: sent.reason });
  else deps.logger.info('reminder sent', { enrollmentId, kind: request.kind, steps: steps.map((s) => s.index), messageId: sent.messageId });
  await settleEmail(deps, enrollmentId, { type: 'record_reminders', claimedAt: at, result }, claim.saved);
  if (sent.outcome === 'sent') return { sent: true };
  return { sent: false, reason: sent.outcome === 'unknown' ? 'outcome_unknown' : 'mail_refused' };
}

/** Reminder claims older than any live send: their outcome is recorded as unknown (never sent again). */
export async function settleStaleReminderClaims(deps: StudentEmailDeps, state: EnrollmentState, from: EnrollmentSnapshot): Promise<number> {
  const now = deps.clock.now();
  const stale = [
    ...new Set(
      state.steps.flatMap((s) =>
        s.reminderClaim && now.getTime() - Date.parse(s.reminderClaim.at) >= SEND_CLAIM_LIFETIME_MS ? [s.reminderClaim.at] : [],
      ),
    ),
  ];
  let latest: EnrollmentSnapshot | undefined = from;
  for (const claimedAt of stale) {
    const result = { at: now.toISOString(), outcome: 'unknown', reason: 'the send that claimed it recorded no result' } as const;
    latest = await settleEmail(deps, state.enrollment.id, { type: 'record_reminders', claimedAt, result }, latest);
  }
  return stale.length;
}

/** What every email shows besides the enrollment: the organization's brand and the partners' names, links and instructions. */
async function emailLook(deps: StudentEmailDeps): Promise<{ brand: Brand; partners: PartnerDirectory }> {
  const [brand, partners] = await Promise.all([emailBrand(deps), deps.partners.list()]);
  return { brand, partners: directoryOf(partners) };
}

/** A step as an email shows it: its partner, its launch link with the student's partner account, its due date. */
function emailStep(step: EnrollmentStep, student: Student | undefined, now: string, partners: PartnerDirectory): EmailStep {
  const accountId = student?.accounts[step.partnerId];
  const partner = partners.get(step.partnerId);
  const link = launchUrl(partner, step.courseId, accountId);
  return {
    partnerId: step.partnerId,
    partnerName: partnerName(partners, step.partnerId),
    courseName: step.courseName,
    status: step.status,
    ...(link ? { launchUrl: link } : {}),
    ...(partner?.instructions ? { instructions: partner.instructions } : {}),
    ...(accountId ? { accountId } : {}),
    ...(step.dueAt ? { dueAt: step.dueAt, overdue: isOverdue(step, now) } : {}),
  };
}
