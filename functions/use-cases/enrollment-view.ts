// The enrollment as the API shows it (the stable contract in README), including the timeline,
// which is derived from the recorded transitions rather than stored twice. Its student and admins
// see it differently: a failed automation is, for the student, a plain sentence; only admins see
// the error and its cause, which can hold internal details (a Lambda error's stack trace).
import { certificateStatus, credentialUrl, verifyUrl, type CertificateStatus } from '../domain/certificates.js';
import {
  currentSteps,
  isOverdue,
  progress,
  type Enrollment,
  type EmailOutcome,
  type EnrollmentStep,
  type Progress,
  type ReminderRecord,
  type StepStatus,
  type WorkflowFailure,
} from '../domain/enrollment.js';
import type { Evidence } from '../domain/evidence.js';
import { acceptsEvidence, launchUrl, partnerName, type PartnerDirectory, type PartnerId } from '../domain/partners.js';
import type { AccountEvent, Student } from '../domain/student.js';
import type { Suppression } from '../domain/suppression.js';

export interface StepView {
  index: number;
  sequence: number;
  partnerId: PartnerId;
  partnerName: string;
  courseId: string;
  courseName: string;
  required: boolean;
  completion: 'completed' | 'passed';
  status: StepStatus;
  startedAt?: string;
  completedAt?: string;
  /** When a skipped or cancelled step was closed. */
  closedAt?: string;
  launchUrl?: string;
  /** On the current step: the partner's instructions (how to sign in there) and support page. */
  instructions?: string;
  supportUrl?: string;
  /** Who completed or waived the step and why (admin overrides) or which partner event did. */
  resolution?: EnrollmentStep['resolution'];
  /** The partner credential's own expiry (an HSI card's date), when the partner or an admin gave it. */
  credentialExpiresAt?: string;
  /** When the step is due (from the program's dueDays, once it started). */
  dueAt?: string;
  /** Open and past its due date. */
  overdue: boolean;
  /** On a step in progress: whether its partner takes proof of completion from the student (the "Submit proof" form). */
  acceptsEvidence?: boolean;
  /** The evidence the student submitted for this step, oldest first: its status, and why it was rejected. */
  evidence?: Evidence[];
}

export interface TimelineEntry {
  at: string;
  type:
    | 'enrolled'
    | 'step_started'
    | 'step_completed'
    | 'step_waived'
    | 'step_skipped'
    | 'step_reopened'
    | 'enrollment_completed'
    | 'enrollment_cancelled'
    | 'certificate_issued'
    | 'certificate_revoked'
    | 'email_sent'
    | 'email_not_sent'
    | 'reminder_sent'
    | 'reminder_skipped'
    | 'step_overdue'
    | 'evidence_submitted'
    | 'evidence_approved'
    | 'evidence_rejected'
    | 'workflow_failed';
  detail: string;
}

/** What the enrollment's student sees (and the base of what an admin sees). */
export interface EnrollmentView {
  id: string;
  studentId: string;
  studentName: string;
  studentEmail: string;
  programId: string;
  programName: string;
  programVersion: number;
  status: Enrollment['status'];
  createdAt: string;
  completedAt?: string;
  /** Who cancelled the enrollment, when and why. */
  cancellation?: Enrollment['cancellation'];
  progress: Progress;
  currentSteps: number[];
  steps: StepView[];
  certificate?: {
    id: string;
    pdfUrl: string;
    verifyUrl: string;
    /** The Open Badges 3.0 credential (.jwt). */
    credentialUrl: string;
    issuedAt?: string;
    expiresAt?: string;
    status: CertificateStatus;
    revokedAt?: string;
  };
  /** The program that renews this certificate, when it has one. */
  renewalProgramId?: string;
  /** The student turned reminder emails off (one-click link or their page). */
  remindersUnsubscribed: boolean;
  /** Email to the student's address bounced or was reported as spam: nothing is sent to it. */
  emailSuppressed: boolean;
  timeline: TimelineEntry[];
}

/** What an admin sees: also why the automation failed, to decide on a retry, and the student's partner accounts. */
export interface AdminEnrollmentView extends EnrollmentView {
  /** Present when the workflow failed for good; admins retry from the dashboard. */
  workflowFailure?: WorkflowFailure;
  /** The student's account at each partner, to correct one credited to the wrong student. */
  partnerAccounts?: Array<{ partnerId: PartnerId; partnerName: string; externalId: string }>;
  /** Accounts linked, unlinked and moved: who, why, when. */
  accountHistory?: AccountEvent[];
  /** Why the address is suppressed (a bounce or a complaint), when it is. */
  emailSuppression?: Pick<Suppression, 'reason' | 'at' | 'detail'>;
}

export type ViewAudience = 'student' | 'admin';

/**
 * What a view needs besides the enrollment: partner records, the time (certificate status,
 * overdue steps), the student's account history (admins), reminder preference and suppression.
 */
export interface ViewContext {
  partners: PartnerDirectory;
  now: Date;
  accountHistory?: readonly AccountEvent[];
  remindersOff?: Student['remindersOff'];
  suppression?: Suppression;
}

/** What the enrollment's student sees of a failed automation. */
export const AUTOMATION_DELAYED = 'Automation is delayed; program staff have been notified';
const MAX_CAUSE_CHARS = 500;

export function toStudentEnrollmentView(
  enrollment: Enrollment,
  steps: readonly EnrollmentStep[],
  accounts: Student['accounts'],
  siteUrl: string,
  context: ViewContext,
): EnrollmentView {
  return baseView(enrollment, steps, accounts, siteUrl, 'student', context);
}

export function toAdminEnrollmentView(
  enrollment: Enrollment,
  steps: readonly EnrollmentStep[],
  accounts: Student['accounts'],
  siteUrl: string,
  context: ViewContext,
): AdminEnrollmentView {
  const { partners, accountHistory: history } = context;
  const failure = enrollment.workflowFailure;
  const suppression = context.suppression;
  return {
    ...baseView(enrollment, steps, accounts, siteUrl, 'admin', context),
    ...(failure ? { workflowFailure: { ...failure, cause: readableCause(failure.cause) } } : {}),
    partnerAccounts: Object.entries(accounts).map(([partnerId, externalId]) => ({
      partnerId,
      partnerName: partnerName(partners, partnerId),
      externalId,
    })),
    ...(history?.length ? { accountHistory: [...history] } : {}),
    ...(suppression ? { emailSuppression: { reason: suppression.reason, at: suppression.at, detail: suppression.detail } } : {}),
  };
}

/**
 * The cause of a failure in words. Step Functions records a Lambda task's error as JSON
 * ({errorType, errorMessage, trace}): its message is what an admin can act on; the trace is for logs.
 */
export function readableCause(cause: string | undefined): string {
  // A Step Functions error need not have a Cause: then there is nothing to add to its name.
  if (typeof cause !== 'string') return '';
  let readable = cause;
  try {
    const parsed = JSON.parse(cause) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { errorMessage?: unknown }).errorMessage === 'string') {
      readable = (parsed as { errorMessage: string }).errorMessage;
    }
  } catch {
    // not JSON: the cause is already a message
  }
  return readable.length > MAX_CAUSE_CHARS ? `${readable.slice(0, MAX_CAUSE_CHARS - 1)}…` : readable;
}

function baseView(
  enrollment: Enrollment,
  steps: readonly EnrollmentStep[],
  accounts: Student['accounts'],
  siteUrl: string,
  audience: ViewAudience,
  context: ViewContext,
): EnrollmentView {
  const { partners, now } = context;
  const ordered = [...steps].sort((a, b) => a.index - b.index);
  return {
    id: enrollment.id,
    studentId: enrollment.studentId,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programId: enrollment.programId,
    programName: enrollment.programName,
    programVersion: enrollment.programVersion,
    status: enrollment.status,
    createdAt: enrollment.createdAt,
    ...(enrollment.completedAt ? { completedAt: enrollment.completedAt } : {}),
    ...(enrollment.cancellation ? { cancellation: enrollment.cancellation } : {}),
    progress: progress(ordered),
    currentSteps: [...new Set(currentSteps(ordered).map((s) => s.sequence))],
    steps: ordered.map((step) => ({
      index: step.index,
      sequence: step.sequence,
      partnerId: step.partnerId,
      partnerName: partnerName(partners, step.partnerId),
      courseId: step.courseId,
      courseName: step.courseName,
      required: step.required,
      completion: step.completion,
      status: step.status,
      ...(step.startedAt ? { startedAt: step.startedAt } : {}),
      ...(step.completedAt ? { completedAt: step.completedAt } : {}),
      ...(step.closedAt ? { closedAt: step.closedAt } : {}),
      ...(step.status === 'in_progress' ? currentStepHelp(partners, step, accounts) : {}),
      ...(step.resolution ? { resolution: resolutionFor(step.resolution, audience) } : {}),
      ...(step.resolution?.credentialExpiresAt ? { credentialExpiresAt: step.resolution.credentialExpiresAt } : {}),
      ...(step.dueAt ? { dueAt: step.dueAt } : {}),
      overdue: isOverdue(step, now.toISOString()),
      ...(step.status === 'in_progress' ? { acceptsEvidence: acceptsEvidence(partners.get(step.partnerId)) } : {}),
      ...(step.evidence?.length ? { evidence: step.evidence.map((e) => evidenceFor(e, audience)) } : {}),
    })),
    ...(enrollment.certificateId
      ? {
          certificate: {
            id: enrollment.certificateId,
            pdfUrl: `${siteUrl}/api/certificates/${enrollment.certificateId}/pdf`,
            verifyUrl: verifyUrl(siteUrl, enrollment.certificateId),
            credentialUrl: credentialUrl(siteUrl, enrollment.certificateId),
            ...(enrollment.certificateIssuedAt ? { issuedAt: enrollment.certificateIssuedAt } : {}),
            ...(enrollment.certificateExpiresAt ? { expiresAt: enrollment.certificateExpiresAt } : {}),
            status: certificateStatus(
              {
                status: enrollment.certificateRevocation ? 'revoked' : 'valid',
                ...(enrollment.certificateExpiresAt ? { expiresAt: enrollment.certificateExpiresAt } : {}),
              },
              now,
            ),
            ...(enrollment.certificateRevocation ? { revokedAt: enrollment.certificateRevocation.at } : {}),
          },
        }
      : {}),
    ...(enrollment.renewalProgramId ? { renewalProgramId: enrollment.renewalProgramId } : {}),
    remindersUnsubscribed: context.remindersOff !== undefined,
    emailSuppressed: context.suppression !== undefined,
    timeline: timeline(enrollment, ordered, audience, partners),
  };
}

/** What a student needs on the step they are on: the partner's link, instructions and support page. */
function currentStepHelp(partners: PartnerDirectory, step: EnrollmentStep, accounts: Student['accounts']) {
  const partner = partners.get(step.partnerId);
  const link = launchUrl(partner, step.courseId, accounts[step.partnerId]);
  return {
    ...(link ? { launchUrl: link } : {}),
    ...(partner?.instructions ? { instructions: partner.instructions } : {}),
    ...(partner?.supportUrl ? { supportUrl: partner.supportUrl } : {}),
  };
}

export function timeline(
  enrollment: Enrollment,
  steps: readonly EnrollmentStep[],
  audience: ViewAudience,
  partners: PartnerDirectory,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: enrollment.createdAt, type: 'enrolled', detail: `Enrolled in ${enrollment.programName}` }];
  for (const step of steps) {
    const name = `${partnerName(partners, step.partnerId)}: ${step.courseName}`;
    if (step.startedAt) entries.push({ at: step.startedAt, type: 'step_started', detail: `${name} started` });
    if (step.completedAt && (step.status === 'completed' || step.status === 'waived')) {
      entries.push({
        at: step.completedAt,
        type: step.status === 'waived' ? 'step_waived' : 'step_completed',
        detail: `${name} ${step.status === 'waived' ? 'waived' : 'completed'}${resolutionDetail(step.resolution)}`,
      });
    }
    for (const reopening of step.reopenings ?? []) {
      entries.push({ at: reopening.at, type: 'step_reopened', detail: `${name} reopened by ${reopening.by}: ${reopening.reason}` });
    }
    if (step.status === 'skipped' && step.closedAt) {
      const why =
        step.resolution?.source === 'admin'
          ? ` by ${step.resolution.by}: ${step.resolution.reason}`
          : ': optional, not taken before the program was completed';
      entries.push({ at: step.closedAt, type: 'step_skipped', detail: `${name} skipped${why}` });
    }
    if (step.overdueSince && step.dueAt) entries.push({ at: step.dueAt, type: 'step_overdue', detail: `${name} overdue` });
    for (const evidence of step.evidence ?? []) entries.push(...evidenceEntries(name, evidence, audience));
    for (const reminder of step.reminders ?? []) {
      const entry = reminderEntry(enrollment, name, reminder, audience);
      if (entry) entries.push(entry);
    }
  }
  const welcome = enrollment.welcome?.result;
  if (welcome) {
    const entry = welcomeEntry(enrollment, welcome, audience);
    if (entry) entries.push(entry);
  }
  if (enrollment.status === 'completed' && enrollment.completedAt) {
    entries.push({ at: enrollment.completedAt, type: 'enrollment_completed', detail: `${enrollment.programName} completed` });
  }
  if (enrollment.cancellation) {
    const { at, by, reason } = enrollment.cancellation;
    entries.push({ at, type: 'enrollment_cancelled', detail: `Enrollment cancelled by ${by}: ${reason}` });
  }
  if (enrollment.certificateIssuedAt && enrollment.certificateId) {
    entries.push({
      at: enrollment.certificateIssuedAt,
      type: 'certificate_issued',
      detail: `Certificate ${enrollment.certificateId} issued`,
    });
  }
  if (enrollment.certificateRevocation && enrollment.certificateId) {
    const { at, by, reason } = enrollment.certificateRevocation;
    const detail =
      audience === 'admin'
        ? `Certificate ${enrollment.certificateId} revoked by ${by}: ${reason}`
        : `Certificate ${enrollment.certificateId} revoked`;
    entries.push({ at, type: 'certificate_revoked', detail });
  }
  if (enrollment.emailMarkedSent) {
    const { at, by, reason } = enrollment.emailMarkedSent;
    entries.push({ at, type: 'email_sent', detail: `Completion email to ${enrollment.studentEmail} marked as sent by ${by}: ${reason}` });
  } else if (enrollment.emailSentAt) {
    entries.push({ at: enrollment.emailSentAt, type: 'email_sent', detail: `Completion email sent to ${enrollment.studentEmail}` });
  } else if (enrollment.emailSkipped && audience === 'admin') {
    const { at, reason } = enrollment.emailSkipped;
    entries.push({ at, type: 'email_not_sent', detail: `Completion email not sent to ${enrollment.studentEmail}: ${reasonText(reason)}` });
  }
  // Stable order: by time, then by the order above (enrolled before its first step started).
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i)
    .map(({ e }) => e);
  // A recorded failure is the automation's current state, so it comes last; its time is when
  // the failed execution started (the state machine's clock), which may precede its last success.
  const failure = enrollment.workflowFailure;
  if (failure) {
    const cause = readableCause(failure.cause);
    const detail = audience === 'admin' ? `Automation failed: ${failure.error}${cause ? `: ${cause}` : ''}` : AUTOMATION_DELAYED;
    ordered.push({ at: failure.at, type: 'workflow_failed', detail });
  }
  return ordered;
}

const REASONS: Record<string, string> = {
  unsubscribed: 'the student unsubscribed from reminders',
  suppressed: "email to the student's address bounced or was reported as spam",
};
const reasonText = (reason: string | undefined) => (reason ? (REASONS[reason] ?? reason) : 'no reason given');

/** A reminder in the timeline: sent ones for everyone; ones not sent, and doubts, for admins. */
function reminderEntry(enrollment: Enrollment, step: string, reminder: ReminderRecord, audience: ViewAudience): TimelineEntry | undefined {
  const by = reminder.kind === 'nudge' && reminder.by ? ` (sent by ${reminder.by})` : '';
  if (reminder.outcome === 'sent')
    return { at: reminder.at, type: 'reminder_sent', detail: `Reminder about ${step} emailed to ${enrollment.studentEmail}${by}` };
  if (audience === 'student') return undefined;
  if (reminder.outcome === 'unknown') {
    return {
      at: reminder.at,
      type: 'reminder_sent',
      detail: `Reminder about ${step} may have been sent to ${enrollment.studentEmail}${by}: the mail service did not confirm it (not sent again)`,
    };
  }
  return { at: reminder.at, type: 'reminder_skipped', detail: `Reminder about ${step} not sent: ${reasonText(reminder.reason)}` };
}

function welcomeEntry(enrollment: Enrollment, welcome: EmailOutcome, audience: ViewAudience): TimelineEntry | undefined {
  if (welcome.outcome === 'sent') return { at: welcome.at, type: 'email_sent', detail: `Welcome email sent to ${enrollment.studentEmail}` };
  if (audience === 'student') return undefined;
  const detail =
    welcome.outcome === 'unknown'
      ? `Welcome email to ${enrollment.studentEmail} may have been sent: the mail service did not confirm it (not sent again)`
      : `Welcome email not sent to ${enrollment.studentEmail}: ${reasonText(welcome.reason)}`;
  return { at: welcome.at, type: 'email_not_sent', detail };
}

/** An evidence approval's note is for staff, on the step's resolution as on the evidence. */
function resolutionFor(resolution: NonNullable<EnrollmentStep['resolution']>, audience: ViewAudience): EnrollmentStep['resolution'] {
  if (audience === 'admin' || resolution.source !== 'evidence' || !resolution.note) return resolution;
  const { note: _note, ...rest } = resolution;
  return rest;
}

/** The student sees what was decided and why; the reviewer's note is for staff. */
function evidenceFor(evidence: Evidence, audience: ViewAudience): Evidence {
  if (audience === 'admin' || !evidence.review?.note) return evidence;
  const { note: _note, ...review } = evidence.review;
  return { ...evidence, review };
}

function evidenceEntries(step: string, evidence: Evidence, audience: ViewAudience): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { at: evidence.submittedAt, type: 'evidence_submitted', detail: `${step}: proof submitted (reference ${evidence.reference})` },
  ];
  const { review } = evidence;
  if (review && evidence.status === 'approved') {
    const note = audience === 'admin' && review.note ? `: ${review.note}` : '';
    entries.push({ at: review.at, type: 'evidence_approved', detail: `${step}: proof approved by ${review.by}${note}` });
  }
  if (review && evidence.status === 'rejected') {
    entries.push({ at: review.at, type: 'evidence_rejected', detail: `${step}: proof rejected by ${review.by}: ${review.reason ?? ''}` });
  }
  return entries;
}

function resolutionDetail(resolution: EnrollmentStep['resolution']): string {
  if (!resolution) return '';
  if (resolution.source === 'admin') return ` by ${resolution.by}: ${resolution.reason}`;
  if (resolution.source === 'evidence') return ` on the student's proof (reference ${resolution.reference}), approved by ${resolution.by}`;
  return resolution.result === 'passed' ? ' (passed)' : '';
}
