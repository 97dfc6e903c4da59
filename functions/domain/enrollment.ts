// The enrollment aggregate's data and its step rules: which steps exist, which start, when the
// enrollment is done. No I/O here. Every change to an enrollment is decided in
// enrollment-decider.ts, which builds on these rules.
import type { Evidence } from './evidence.js';
import type { Program, ProgramStep } from './programs.js';
import { reminderOffsetDays, type ReminderRules } from './reminder-rules.js';

export type EnrollmentStatus = 'active' | 'completed' | 'cancelled';

/**
 * Every status a step can have. Open: pending, in_progress. Done: completed, waived. Closed
 * without being done: skipped (an optional step not taken before the program was completed) and
 * cancelled (still open when an admin cancelled the enrollment). A step never leaves done or closed.
 */
export const STEP_STATUSES = ['pending', 'in_progress', 'completed', 'waived', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** How a step was completed, waived or skipped: a partner event, or an admin override with a reason. */
export type StepResolution =
  | { source: 'partner'; webhookId: string; result: PartnerResult; occurredAt?: string; score?: number; credentialExpiresAt?: string }
  | { source: 'admin'; by: string; reason: string; credentialExpiresAt?: string }
  /** An admin approved the student's evidence: which one, its reference, who reviewed it and their note. */
  | {
      source: 'evidence';
      evidenceId: string;
      reference: string;
      /** When the student says they completed the course. */
      occurredAt: string;
      by: string;
      note?: string;
      credentialExpiresAt?: string;
    };

export type PartnerResult = 'completed' | 'passed';

export interface EnrollmentStep extends ProgramStep {
  /** Position in the program's step list; the stable identity of a step within its enrollment. */
  index: number;
  status: StepStatus;
  startedAt?: string;
  /** When it was completed or waived. */
  completedAt?: string;
  /** When it was skipped or cancelled. */
  closedAt?: string;
  resolution?: StepResolution;
  /** Each time an admin reopened the step (a completion credited to the wrong student): who, why, and what it undid. */
  reopenings?: StepReopening[];
  /** When the step is due (set when it starts, from the program's `dueDays`). */
  dueAt?: string;
  /** When the sweep found the step still open past its due date (from then it counts as overdue for its partner). */
  overdueSince?: string;
  /** Reminder emails about this step, oldest first: sent, possibly sent, or skipped (and why). */
  reminders?: ReminderRecord[];
  /** A reminder being sent right now, claimed first so that it is sent at most once. */
  reminderClaim?: { at: string; kind: ReminderKind; by?: string };
  /** Evidence the student submitted for this step, oldest first (at most one pending). */
  evidence?: Evidence[];
}

export interface StepReopening {
  at: string;
  by: string;
  reason: string;
  /** The completion that was undone, and when it had happened. */
  undone: StepResolution;
  completedAt?: string;
}

/** A scheduled reminder (the program's rules) or an admin's nudge from the dashboard. */
export type ReminderKind = 'scheduled' | 'nudge';

/**
 * What became of one email Baton sends: `sent` (the mail service accepted it), `unknown` (it may
 * have been accepted: never sent again) or `skipped` (not sent, `reason` says why).
 */
export interface EmailOutcome {
  at: string;
  outcome: 'sent' | 'unknown' | 'skipped';
  reason?: string;
  messageId?: string;
}

export interface ReminderRecord extends EmailOutcome {
  kind: ReminderKind;
  /** The admin who sent a nudge. */
  by?: string;
}

/** The welcome email of an enrollment: due when it is created, claimed while it is being sent, then its outcome. */
export interface WelcomeEmail {
  dueAt: string;
  claimedAt?: string;
  result?: EmailOutcome;
}

export interface WorkflowFailure {
  error: string;
  cause: string;
  at: string;
}

/** Who cancelled an enrollment, when and why (shown to the student in the timeline). */
export interface Cancellation {
  at: string;
  by: string;
  reason: string;
}

export interface Enrollment {
  id: string;
  studentId: string;
  studentName: string;
  studentEmail: string;
  programId: string;
  programName: string;
  programVersion: number;
  status: EnrollmentStatus;
  createdAt: string;
  createdBy: string;
  completedAt?: string;
  cancellation?: Cancellation;
  certificateId?: string;
  certificateIssuedAt?: string;
  /** Copied from the certificate: when it expires (the program's validity, snapshot at enrollment). */
  certificateExpiresAt?: string;
  /** An admin revoked the certificate (the reason is for admins only). */
  certificateRevocation?: { at: string; by: string; reason: string };
  /** The program's certificate rules as they were when the student enrolled. */
  certificateValidityMonths?: number;
  renewalProgramId?: string;
  emailSentAt?: string;
  /** The provider's id of the sent completion email. */
  emailMessageId?: string;
  /** An admin checked that a completion email whose outcome was unknown was delivered. */
  emailMarkedSent?: { at: string; by: string; reason: string };
  /** Set just before the completion email is sent, so it is sent at most once. */
  emailClaimedAt?: string;
  /** The completion email was not sent: the address is suppressed (bounced or reported as spam). */
  emailSkipped?: { at: string; reason: string };
  /** Set by every transition that gives the workflow work; cleared by the execution that finishes it. */
  advanceRequestedAt?: string;
  workflowFailure?: WorkflowFailure;
  /** The program's reminder rules when the enrollment was created (null: none; absent: created before reminders existed). */
  reminders?: ReminderRules | null;
  /** Absent on enrollments created before welcome emails existed. */
  welcome?: WelcomeEmail;
}

/** An enrollment and its steps: the aggregate every decision is made on. */
export interface EnrollmentState {
  enrollment: Enrollment;
  steps: EnrollmentStep[];
}

/** A new, active enrollment of a student in the program's current version (the snapshot it keeps). */
export function newEnrollment(
  id: string,
  student: { id: string; name: string; email: string },
  program: Pick<Program, 'id' | 'name' | 'version' | 'certificateValidityMonths' | 'renewalProgramId' | 'reminders'>,
  createdAt: string,
  createdBy: string,
): Enrollment {
  return {
    id,
    studentId: student.id,
    studentName: student.name,
    studentEmail: student.email,
    programId: program.id,
    programName: program.name,
    programVersion: program.version,
    status: 'active',
    createdAt,
    createdBy,
    ...(program.certificateValidityMonths ? { certificateValidityMonths: program.certificateValidityMonths } : {}),
    ...(program.renewalProgramId ? { renewalProgramId: program.renewalProgramId } : {}),
    reminders: program.reminders,
    welcome: { dueAt: createdAt },
  };
}

/** Enrollment ids are UUIDs (randomUUID); anything else names no enrollment. */
const ENROLLMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id in its stored (lower-case) form, or undefined when it cannot be an enrollment's id. */
export function normalizeEnrollmentId(id: string): string | undefined {
  const normalized = id.toLowerCase();
  return ENROLLMENT_ID.test(normalized) ? normalized : undefined;
}

const DONE: ReadonlySet<StepStatus> = new Set(['completed', 'waived']);
const OPEN: ReadonlySet<StepStatus> = new Set(['pending', 'in_progress']);

export const isDone = (step: Pick<EnrollmentStep, 'status'>) => DONE.has(step.status);
/** Pending or in progress: the step may still be started, completed or waived. */
export const isOpen = (step: Pick<EnrollmentStep, 'status'>) => OPEN.has(step.status);

/** Steps for a new enrollment, all pending; `planAdvance` then picks the ones that start. */
export function generateSteps(program: Pick<Program, 'steps'>): EnrollmentStep[] {
  return program.steps.map((s, index) => ({ ...s, index, status: 'pending' }));
}

/**
 * Pending steps whose predecessors are done. A required step that is not done blocks every
 * later sequence; optional steps never block. Steps of one sequence start together.
 */
export function stepsToStart(steps: readonly EnrollmentStep[]): EnrollmentStep[] {
  const firstBlocking = Math.min(...steps.filter((s) => s.required && !isDone(s)).map((s) => s.sequence));
  return steps.filter((s) => s.status === 'pending' && s.sequence <= firstBlocking);
}

/** The enrollment is complete when every required step is completed or waived. */
export function allRequiredDone(steps: readonly EnrollmentStep[]): boolean {
  return steps.every((s) => !s.required || isDone(s));
}

export interface AdvancePlan {
  start: EnrollmentStep[];
  complete: boolean;
  /** Optional steps still open when the enrollment completes: they close as skipped in the same write. */
  skip: EnrollmentStep[];
}

/** What the workflow's advance task must do now; an empty plan means nothing is due. */
export function planAdvance(status: EnrollmentStatus, steps: readonly EnrollmentStep[]): AdvancePlan {
  if (status !== 'active') return { start: [], complete: false, skip: [] };
  // Every required step is done, so the steps still open are optional ones.
  if (allRequiredDone(steps)) return { start: [], complete: true, skip: steps.filter(isOpen) };
  return { start: stepsToStart(steps), complete: false, skip: [] };
}

/** The seed's get_current_step: the steps in progress (several when a sequence runs in parallel). */
export function currentSteps(steps: readonly EnrollmentStep[]): EnrollmentStep[] {
  return steps.filter((s) => s.status === 'in_progress');
}

export interface Progress {
  completed: number;
  total: number;
  percent: number;
}

/** Progress over required steps, so 100% means exactly "enrollment complete". */
export function progress(steps: readonly EnrollmentStep[]): Progress {
  const required = steps.filter((s) => s.required);
  const completed = required.filter(isDone).length;
  const total = required.length;
  return { completed, total, percent: total === 0 ? 100 : Math.floor((completed * 100) / total) };
}

/** Finds the step an admin means by its sequence number (and partner when the sequence is shared). */
export function findStepBySequence(
  steps: readonly EnrollmentStep[],
  sequence: number,
  partnerId?: string,
): { step: EnrollmentStep } | { error: 'not_found' | 'ambiguous'; candidates: EnrollmentStep[] } {
  const inSequence = steps.filter((s) => s.sequence === sequence);
  const candidates = partnerId ? inSequence.filter((s) => s.partnerId === partnerId) : inSequence;
  if (candidates.length === 1) return { step: candidates[0]! };
  return { error: candidates.length === 0 ? 'not_found' : 'ambiguous', candidates: inSequence };
}

const DAY_MS = 24 * 3600 * 1000;
const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * A claim on an email older than this belongs to a run that died before recording the result
 * (every send is a single attempt of a few seconds): its outcome is unknown, and it is never sent again.
 */
export const SEND_CLAIM_LIFETIME_MS = 5 * 60_000;
/** How long after an enrollment is created the sweep catches up a welcome email its request did not send. */
export const WELCOME_GRACE_MS = 2 * 60_000;
/** Reminders about one step are at least this far apart, whoever or whatever sends them. */
export const REMINDER_SPACING_MS = DAY_MS;

/** When a step started now is due, or undefined when its program gives it no due date. */
export const dueAtFor = (step: Pick<EnrollmentStep, 'dueDays'>, startedAt: string) =>
  step.dueDays ? plusMs(startedAt, step.dueDays * DAY_MS) : undefined;

/** Open and past its due date at `now`. */
export const isOverdue = (step: Pick<EnrollmentStep, 'status' | 'dueAt'>, now: string) =>
  isOpen(step) && step.dueAt !== undefined && step.dueAt <= now;

/** When the step was last reminded (a reminder sent, or one that may have been), if ever. */
export function lastRemindedAt(step: Pick<EnrollmentStep, 'reminders' | 'reminderClaim'>): string | undefined {
  const times = (step.reminders ?? []).filter((r) => r.outcome !== 'skipped').map((r) => r.at);
  if (step.reminderClaim) times.push(step.reminderClaim.at);
  return times.sort().at(-1);
}

/** Whether the step may be reminded at `at` by the spacing rule (one reminder a day at most). */
export const remindableAt = (step: Pick<EnrollmentStep, 'reminders' | 'reminderClaim'>, at: string) => {
  const last = lastRemindedAt(step);
  return !step.reminderClaim && (!last || plusMs(last, REMINDER_SPACING_MS) <= at);
};

/**
 * When the step's next scheduled reminder is due: the program's next offset from its start, but
 * never within a day of the last reminder (a nudge included). Undefined: none is left.
 */
export function nextScheduledReminderAt(rules: ReminderRules | null | undefined, step: EnrollmentStep): string | undefined {
  if (!rules || step.status !== 'in_progress' || !step.startedAt) return undefined;
  const scheduled = (step.reminders ?? []).filter((r) => r.kind === 'scheduled').length;
  const offset = reminderOffsetDays(rules, scheduled + 1);
  if (offset === undefined) return undefined;
  const slot = plusMs(step.startedAt, offset * DAY_MS);
  const last = lastRemindedAt(step);
  const spaced = last ? plusMs(last, REMINDER_SPACING_MS) : slot;
  return spaced > slot ? spaced : slot;
}

/**
 * When the sweep must look at this step next: its next scheduled reminder, its due date (until it
 * is marked overdue), or when a claim on a reminder runs out. Undefined: never (not in progress).
 */
export function stepWakeAt(rules: ReminderRules | null | undefined, step: EnrollmentStep): string | undefined {
  if (step.status !== 'in_progress') return undefined;
  const times: string[] = [];
  if (step.reminderClaim) times.push(plusMs(step.reminderClaim.at, SEND_CLAIM_LIFETIME_MS));
  else {
    const next = nextScheduledReminderAt(rules, step);
    if (next) times.push(next);
  }
  if (step.dueAt && !step.overdueSince) times.push(step.dueAt);
  return times.sort()[0];
}

/** The welcome email is still to be sent (or its send to be settled). */
export const welcomePending = (enrollment: Enrollment) =>
  enrollment.status === 'active' && enrollment.welcome !== undefined && enrollment.welcome.result === undefined;

/** When the sweep must look at the enrollment's welcome email: its grace period, or when its claim runs out. */
export function welcomeWakeAt(enrollment: Enrollment): string | undefined {
  if (!welcomePending(enrollment)) return undefined;
  const { claimedAt, dueAt } = enrollment.welcome!;
  return claimedAt ? plusMs(claimedAt, SEND_CLAIM_LIFETIME_MS) : plusMs(dueAt, WELCOME_GRACE_MS);
}
