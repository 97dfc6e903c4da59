// What the use cases need from the outside world. Adapters implement these: DynamoDB, Step
// Functions, S3 and SES on AWS; DynamoDB Local, the local workflow runner, files in local mode.
import type { Certificate } from '../domain/certificates.js';
import type { CounterDelta } from '../domain/counters.js';
import type { Cancellation, Enrollment, EnrollmentStep, StepResolution, StepStatus } from '../domain/enrollment.js';
import type { EmailMessage } from '../domain/notifications.js';
import type { PartnerEvent } from '../domain/partner-events.js';
import type { PartnerId } from '../domain/partners.js';
import type { Program, ProgramDefinition } from '../domain/programs.js';

export interface Clock {
  now(): Date;
}

export interface Student {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  /** The student's account id at each partner, when known. */
  accounts: Partial<Record<PartnerId, string>>;
}

export type DeliveryOutcome = 'applied' | 'duplicate' | 'unmatched' | 'ignored';

/** One accepted webhook delivery, kept for audit and replay; unmatched ones form the admin inbox. */
export interface Delivery {
  partnerId: PartnerId;
  webhookId: string;
  receivedAt: string;
  outcome: DeliveryOutcome;
  /** Why: e.g. "unknown_student", "no_step", "already_completed", "requires_passed". */
  reason?: string;
  rawBody: string;
  headers: Record<string, string>;
  event: PartnerEvent;
  studentId?: string;
  appliedTo?: Array<{ enrollmentId: string; stepIndex: number }>;
  resolvedAt?: string;
  /** An admin settled this unmatched event without applying it (outcome ignored, reason dismissed). */
  dismissal?: Dismissal;
}

export interface Dismissal {
  at: string;
  by: string;
  reason: string;
}

export type UnmatchedOwner = { partnerId: PartnerId; externalId: string } | { email: string } | { studentId: string };

export interface StepMatch {
  enrollmentId: string;
  step: EnrollmentStep;
}

/** One step transition inside a transition commit; `from` is the status the write expects. */
export interface StepChange {
  index: number;
  partnerId: PartnerId;
  from: StepStatus;
  to: StepStatus;
  at: string;
  resolution?: StepResolution;
}

export interface EnrollmentChange {
  enrollmentId: string;
  steps: StepChange[];
  /**
   * Finish the enrollment (releases the one-active-enrollment lock). A cancellation also records
   * who and why, and ends any pending advance request or recorded workflow failure.
   */
  finish?:
    | { status: 'completed'; at: string; studentId: string; programId: string }
    | { status: 'cancelled'; at: string; studentId: string; programId: string; cancellation: Cancellation };
  /** Ask the workflow to run (sets advanceRequestedAt). */
  requestAdvanceAt?: string;
  /** Clear the advance request, but only if it still holds this value (a newer request wins). */
  clearAdvanceIf?: string;
  /** Pipeline counter changes caused by this enrollment's transitions. */
  counters?: CounterDelta[];
}

export interface TransitionCommit {
  changes: EnrollmentChange[];
  /** A new delivery stored in the same transaction (its id is the dedupe key). */
  newDelivery?: Delivery;
  /** An unmatched delivery being re-applied: its outcome must still be "unmatched". */
  resolvedDelivery?: { partnerId: PartnerId; webhookId: string; studentId: string; appliedTo: Delivery['appliedTo']; at: string };
  /** Link a partner account to a student (must be unlinked or already this student's). */
  link?: { partnerId: PartnerId; externalId: string; studentId: string; at: string };
}

export type CommitResult = { ok: true } | { ok: false; conflict: 'delivery_exists' | 'state_changed' | 'account_taken' };

export interface NewEnrollment {
  enrollment: Enrollment;
  steps: EnrollmentStep[];
  links: Array<{ partnerId: PartnerId; externalId: string }>;
  counters: CounterDelta[];
}

/** Steps at one partner, by status. */
export type PartnerCounts = Record<StepStatus, number>;
export interface ProgramCounts {
  total: number;
  active: number;
  completed: number;
  cancelled: number;
}

export interface StuckStep {
  enrollmentId: string;
  stepIndex: number;
  studentName: string;
  studentEmail: string;
  partnerId: PartnerId;
  courseId: string;
  startedAt: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. */
  next?: string;
}

export interface Repository {
  // Programs
  listPrograms(): Promise<Program[]>;
  getProgram(id: string): Promise<Program | undefined>;
  /** Creates version 1 (expectedVersion 0) or the next version; STALE_PROGRAM_VERSION on a race. */
  saveProgram(definition: ProgramDefinition, expectedVersion: number, at: string): Promise<Program>;

  // Students and partner accounts
  findStudentByEmail(email: string): Promise<Student | undefined>;
  getStudent(id: string): Promise<Student | undefined>;
  /** Creates the student, or returns the one that already has this email. */
  ensureStudent(candidate: Omit<Student, 'accounts'>): Promise<Student>;
  findStudentIdByAccount(partnerId: PartnerId, externalId: string): Promise<string | undefined>;
  searchStudents(query: string, limit: number): Promise<Student[]>;

  // Enrollments
  /** ACTIVE_ENROLLMENT_EXISTS / PARTNER_ACCOUNT_TAKEN when a condition fails. */
  createEnrollment(input: NewEnrollment): Promise<void>;
  getEnrollment(id: string): Promise<{ enrollment: Enrollment; steps: EnrollmentStep[] } | undefined>;
  listStudentEnrollments(studentId: string): Promise<Array<{ enrollment: Enrollment; steps: EnrollmentStep[] }>>;
  /** Steps of the student's enrollments for one partner course (any enrollment status). */
  findStepsForCourse(studentId: string, partnerId: PartnerId, courseId: string): Promise<StepMatch[]>;
  /** Every state transition goes through here: one conditional transaction. */
  commitTransition(commit: TransitionCommit): Promise<CommitResult>;

  // Workflow bookkeeping
  clearAdvanceRequest(enrollmentId: string, seen: string): Promise<boolean>;
  listAdvanceDue(requestedBefore: string, limit: number): Promise<Array<{ enrollmentId: string; requestedAt: string }>>;
  listWorkflowFailures(limit: number): Promise<Enrollment[]>;
  /** Clears a recorded workflow failure and requests a new advance (admin retry). */
  retryAfterFailure(enrollmentId: string, at: string, forgetEmailClaim: boolean): Promise<boolean>;
  claimCompletionEmail(enrollmentId: string, at: string): Promise<boolean>;
  releaseCompletionEmail(enrollmentId: string, claimedAt: string): Promise<void>;
  /** Records the sent email on the claim made at `claimedAt`; false if that claim is gone. */
  markCompletionEmailSent(enrollmentId: string, claimedAt: string, at: string, messageId: string): Promise<boolean>;

  // Deliveries
  getDelivery(partnerId: PartnerId, webhookId: string): Promise<Delivery | undefined>;
  /** Stores a delivery that changes nothing else; false if the webhook id was already stored. */
  putDelivery(delivery: Delivery): Promise<boolean>;
  listUnmatched(limit: number, cursor?: string): Promise<Page<Delivery>>;
  listUnmatchedFor(owner: UnmatchedOwner): Promise<Delivery[]>;
  /** Unmatched deliveries received after this time, oldest first. */
  listUnmatchedSince(receivedAfter: string, limit: number): Promise<Delivery[]>;
  /** Settles an unmatched delivery without applying it (still unmatched → duplicate/ignored, or a new reason). */
  settleUnmatched(
    partnerId: PartnerId,
    webhookId: string,
    outcome: DeliveryOutcome,
    reason: string,
    studentId: string | undefined,
    at: string,
  ): Promise<boolean>;
  /** An admin settles a still-unmatched delivery without applying it; false if it is no longer unmatched. */
  dismissUnmatched(partnerId: PartnerId, webhookId: string, dismissal: Dismissal): Promise<boolean>;

  // Certificates
  /** Stores the certificate and points the enrollment at it; a no-op if it already exists. */
  saveCertificate(certificate: Certificate): Promise<void>;
  getCertificate(id: string): Promise<Certificate | undefined>;

  // Admin pipeline
  readCounters(): Promise<{ partners: Partial<Record<PartnerId, PartnerCounts>>; programs: Record<string, ProgramCounts> }>;
  listStuckSteps(startedBefore: string, limit: number): Promise<StuckStep[]>;
}

export interface WorkflowStarter {
  /**
   * Starts the advancement workflow for one enrollment. `trigger` names the transition that
   * caused it, in the execution name. A Standard workflow runs a name once; Express (the default
   * deploy) runs every start, so callers rely on the tasks being idempotent, never on the name.
   */
  start(enrollmentId: string, trigger: string): Promise<void>;
}

export interface CertificateStore {
  put(key: string, pdf: Uint8Array): Promise<void>;
  /** A short-lived URL the owner's browser can download the PDF from. */
  downloadUrl(key: string, fileName: string): Promise<{ url: string; expiresAt: string }>;
}

/**
 * Sends one email, once: an adapter never retries a send whose outcome it cannot know.
 * It throws `EmailNotSent` only when the message was definitely not sent (the provider refused
 * it, or it never left this process), so sending again cannot duplicate it. Any other error
 * means the outcome is unknown: the provider may have accepted the message before the answer
 * was lost (a timeout, a dropped connection, a 5xx), and a second send could be a second email.
 */
export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/**
 * Thrown by a Mailer when the message was definitely not sent. Its name is the provider's reason
 * (`MessageRejected`, `Throttling`…), which is what the state machine records for admins.
 */
export class EmailNotSent extends Error {
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = reason;
  }
}

export interface PartnerSecrets {
  /** The partner's current webhook secrets (several during a rotation), `whsec_…` form. */
  secretsFor(partnerId: PartnerId): Promise<string[]>;
}

export interface Settings {
  /** Public URL of the site, for verification links and emails; no trailing slash (config.ts trims it). */
  siteUrl: string;
}
