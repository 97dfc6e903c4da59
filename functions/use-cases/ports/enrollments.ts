// The enrollment aggregate's store: snapshots to decide on, and the one save path for what the
// decider returns (functions/domain/enrollment-decider.ts).
import type { CertificateEvent } from '../../domain/certificate-decider.js';
import type { Certificate } from '../../domain/certificates.js';
import type { CertificateSnapshot } from './certificates.js';
import type { Delivery } from '../../domain/delivery.js';
import type { EnrollmentEvent } from '../../domain/enrollment-decider.js';
import type { EnrollmentState, EnrollmentStatus } from '../../domain/enrollment.js';
import type { EnrollmentSummary } from '../../domain/enrollment-list.js';
import type { PartnerId } from '../../domain/partners.js';
import type { AccountLink } from '../../domain/student.js';
import type { Page } from './page.js';

/** An enrollment as it was read, with the version a save of it is conditional on. */
export interface EnrollmentSnapshot {
  state: EnrollmentState;
  version: number;
  /** The version each step was last written at (index order): how a copy read from an index is checked to be one whole version. */
  stepVersions: readonly number[];
}

/** One enrollment's part of a save: the snapshot the events were decided on (none for a new enrollment). */
export interface EnrollmentChange {
  before: EnrollmentSnapshot | undefined;
  events: EnrollmentEvent[];
}

/** What the same transaction stores besides the enrollments. */
export interface SaveExtras {
  /** A partner's delivery stored now; its id is the deduplication key (it must not exist yet). */
  newDelivery?: Delivery;
  /** A waiting (unmatched) delivery applied now; it must still be unmatched. */
  appliedWaiting?: {
    partnerId: PartnerId;
    webhookId: string;
    studentId: string;
    appliedTo: NonNullable<Delivery['appliedTo']>;
    at: string;
  };
  /** A stored delivery an admin replays, applied now: it must still have the outcome it was read with. */
  replacedDelivery?: { delivery: Delivery; expectedOutcome: Delivery['outcome'] };
  /** A stored, applied delivery now applied to another student (its account moved): its record says to whom, who and why. */
  reattributed?: {
    partnerId: PartnerId;
    webhookId: string;
    studentId: string;
    appliedTo: NonNullable<Delivery['appliedTo']>;
    at: string;
    by: string;
    reason: string;
  };
  /** Partner accounts linked to the student (each must be unlinked, or already this student's). */
  links?: AccountLink[];
  /** The certificate an `issue_certificate` decision issued (it must not exist yet). */
  certificate?: Certificate;
  /** A change of an issued certificate decided with the enrollment's (a revocation): conditional on its version. */
  certificateChange?: { before: CertificateSnapshot; events: CertificateEvent[] };
}

export type SaveConflict =
  /** An enrollment is no longer at the version the decision was made on: decide again. */
  | 'stale'
  /** DynamoDB cancelled the transaction for colliding with another: try again. */
  | 'contention'
  | 'delivery_exists'
  | 'delivery_settled'
  | 'account_taken'
  | 'active_enrollment_exists';

/** Saved: each enrollment as it now is, in the order of the changes (a later save may start from it). */
export type SaveResult = { ok: true; saved: EnrollmentSnapshot[] } | { ok: false; conflict: SaveConflict };

/** One list of the list index: its statuses' partitions (merged), by creation (of a program, or all) or by last change. */
export interface ListSource {
  order: 'created' | 'updated';
  ascending: boolean;
  statuses: readonly EnrollmentStatus[];
  /** By creation only: the program's list instead of everyone's. */
  programId?: string;
  /** By creation only: a range of creation times (inclusive) the index applies. */
  createdFrom?: string;
  createdTo?: string;
  /** The stuck list instead: in-progress steps started before this time, oldest first (the attention index). */
  stuckBefore?: string;
  /** Identifies the list and its filters: a cursor from another list is refused. */
  fingerprint: string;
}

/** Rows in the list's order, each with the cursor that continues after it; `next` continues after the batch (absent: the list ends here). */
export interface ListBatch {
  rows: Array<{ summary: EnrollmentSummary; after: string }>;
  next?: string;
  /** Index entries read. */
  read: number;
}

export interface EnrollmentStore {
  /** One batch of a list (at most `batch` entries read per partition), from where `cursor` stopped. */
  readList(source: ListSource, cursor: string | undefined, batch: number): Promise<ListBatch>;
  /** The enrollment and its steps, read consistently. */
  load(enrollmentId: string): Promise<EnrollmentSnapshot | undefined>;
  /** Every write is derived from the events; one transaction, conditional on each snapshot's version. */
  save(changes: readonly EnrollmentChange[], extras?: SaveExtras): Promise<SaveResult>;
  /** The student's enrollments, newest first, from an index (for display: it may lag by a moment). */
  listForStudent(studentId: string): Promise<EnrollmentState[]>;
  /**
   * Snapshots of the student's enrollments that have a step for this course. From an index unless
   * `consistent` (a copy that is not one whole version is read from the table instead); a lagging
   * copy is caught by the save's version condition.
   */
  findForCourse(studentId: string, partnerId: PartnerId, courseId: string, options: { consistent: boolean }): Promise<EnrollmentSnapshot[]>;
  /** Enrollments with sweep work due before `dueBefore` (a welcome email, a step's reminder, due date or claim), soonest first; one entry per step. */
  listScheduled(dueBefore: string, limit: number, cursor?: string): Promise<Page<{ enrollmentId: string }>>;
  /** Enrollments whose advance request is older than `requestedBefore`, oldest first. */
  listAdvanceDue(requestedBefore: string, limit: number, cursor?: string): Promise<Page<{ enrollmentId: string; requestedAt: string }>>;
}
