// Enrollment aggregate ↔ items: the enrollment item, one item per step, and the lock that keeps
// one active enrollment per student and program. Index membership is derived here from the state
// (an in-progress step is in the stuck index, a pending advance request in the advance index), so
// every write that changes the state changes the indexes with it.
import {
  lastRemindedAt,
  stepWakeAt,
  welcomeWakeAt,
  type Enrollment,
  type EnrollmentState,
  type EnrollmentStep,
} from '../../domain/enrollment.js';
import { toSummary, type EnrollmentSummary } from '../../domain/enrollment-list.js';
import type { EnrollmentSnapshot } from '../../use-cases/ports/enrollments.js';
import { indexKeys, keys, listKeys } from './keys.js';
import { ENTITY, isEntity, pick, type Item } from './item.js';

export const ENROLLMENT_FIELDS = [
  'id',
  'studentId',
  'studentName',
  'studentEmail',
  'programId',
  'programName',
  'programVersion',
  'status',
  'createdAt',
  'createdBy',
  'completedAt',
  'cancellation',
  'certificateId',
  'certificateIssuedAt',
  'certificateExpiresAt',
  'certificateRevocation',
  'certificateValidityMonths',
  'renewalProgramId',
  'emailSentAt',
  'emailMessageId',
  'emailMarkedSent',
  'emailClaimedAt',
  'emailSkipped',
  'advanceRequestedAt',
  'workflowFailure',
  'reminders',
  'welcome',
] as const satisfies ReadonlyArray<keyof Enrollment>;

export const STEP_FIELDS = [
  'index',
  'sequence',
  'partnerId',
  'courseId',
  'courseName',
  'required',
  'completion',
  'status',
  'startedAt',
  'completedAt',
  'closedAt',
  'resolution',
  'reopenings',
  'dueDays',
  'dueAt',
  'overdueSince',
  'reminders',
  'reminderClaim',
  'evidence',
] as const satisfies ReadonlyArray<keyof EnrollmentStep>;

/**
 * What a list row needs beyond the enrollment's own fields, derived from its steps, so the list
 * index (gsi4) answers a page of rows with no second read.
 */
export const LIST_ROW_FIELDS = ['updatedAt', 'cancelledAt', 'progress', 'listSteps'] as const;

function listRow(enrollment: Enrollment, steps: readonly EnrollmentStep[]): Item {
  const summary = toSummary(enrollment, steps);
  return {
    updatedAt: summary.updatedAt,
    cancelledAt: summary.cancelledAt,
    progress: summary.progress,
    listSteps: summary.steps,
  };
}

/** The enrollment item; it is also in the list of its status, by creation (gsi4). */
export function enrollmentItem(
  enrollment: Enrollment,
  version: number,
  stepVersions: readonly number[],
  steps: readonly EnrollmentStep[],
): Item {
  return {
    ...keys.enrollment(enrollment.id),
    ...indexKeys.studentEnrollment(enrollment.studentId, enrollment.createdAt, enrollment.id),
    ...attentionIndex(enrollment),
    ...scheduleIndex(welcomeWakeAt(enrollment), (at) => indexKeys.welcomeWake(at, enrollment.id)),
    ...listKeys.byCreated(enrollment.status, enrollment.createdAt, enrollment.id),
    [ENTITY]: 'enrollment',
    ...pick(enrollment, ENROLLMENT_FIELDS),
    ...listRow(enrollment, steps),
    version,
    stepVersions: [...stepVersions],
  };
}

/**
 * The enrollment's two other list entries (an item is in an index once): its program's list by
 * creation, and its status's list by last change. Each carries the row, so a page needs no second read.
 */
export function listEntryItems({ enrollment, steps }: EnrollmentState): Item[] {
  const row: Item = { [ENTITY]: 'listEntry', ...pick(enrollment, LIST_ENTRY_FIELDS), ...listRow(enrollment, steps) };
  const updatedAt = row.updatedAt as string;
  return [
    {
      ...keys.enrollmentListEntry(enrollment.id, 'PROGRAM'),
      ...listKeys.byProgram(enrollment.programId, enrollment.status, enrollment.createdAt, enrollment.id),
      ...row,
    },
    { ...keys.enrollmentListEntry(enrollment.id, 'RECENT'), ...listKeys.byLastChange(enrollment.status, updatedAt, enrollment.id), ...row },
  ];
}

/** The enrollment fields a list row shows. */
const LIST_ENTRY_FIELDS = [
  'id',
  'studentId',
  'studentName',
  'studentEmail',
  'programId',
  'programName',
  'status',
  'createdAt',
  'completedAt',
  'certificateId',
] as const satisfies ReadonlyArray<keyof Enrollment>;

/** What the list index projects: a row, from an enrollment item or a list entry. */
export const LIST_FIELDS = [...LIST_ENTRY_FIELDS, ...LIST_ROW_FIELDS] as const;

/** A list row read back from the list index. */
export function toEnrollmentSummary(item: Item): EnrollmentSummary {
  const row = pick(item, LIST_FIELDS);
  const { listSteps, ...rest } = row;
  return { ...rest, steps: (listSteps as EnrollmentSummary['steps'] | undefined) ?? [] } as unknown as EnrollmentSummary;
}

/**
 * Where an enrollment needs attention: an advance request no execution has finished yet, else a
 * recorded workflow failure (which a later transition's request supersedes until it runs).
 */
function attentionIndex(enrollment: Enrollment) {
  if (enrollment.advanceRequestedAt) return indexKeys.advanceDue(enrollment.advanceRequestedAt, enrollment.id);
  if (enrollment.workflowFailure) return indexKeys.workflowFailed(enrollment.workflowFailure.at, enrollment.id);
  return {};
}

/** The schedule index's attributes when the sweep has something to do at `wakeAt`. */
const scheduleIndex = (wakeAt: string | undefined, at: (wakeAt: string) => Item) => (wakeAt ? at(wakeAt) : {});

export function stepItem(enrollment: Enrollment, step: EnrollmentStep, version: number): Item {
  const reminded = lastRemindedAt(step);
  return {
    ...keys.step(enrollment.id, step.index),
    ...indexKeys.studentEnrollmentStep(enrollment.studentId, enrollment.createdAt, enrollment.id, step.index),
    ...(step.status === 'in_progress' && step.startedAt ? indexKeys.inProgressStep(step.startedAt, enrollment.id, step.index) : {}),
    ...scheduleIndex(stepWakeAt(enrollment.reminders, step), (at) => indexKeys.stepWake(at, enrollment.id, step.index)),
    [ENTITY]: 'step',
    enrollmentId: enrollment.id,
    // Denormalized so the stuck-students list needs no second read.
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    ...pick(step, STEP_FIELDS),
    // Denormalized for the stuck list, which shows when the student was last reminded.
    ...(reminded ? { lastRemindedAt: reminded } : {}),
    version,
  };
}

/** Exists while the student has an active enrollment in the program. */
export function activeEnrollmentItem(enrollment: Pick<Enrollment, 'id' | 'studentId' | 'programId'>): Item {
  return {
    ...keys.activeEnrollment(enrollment.studentId, enrollment.programId),
    [ENTITY]: 'activeEnrollment',
    enrollmentId: enrollment.id,
  };
}

/**
 * The snapshot the items of one enrollment make, and whether they are one version of it. A
 * consistent read of the partition always is; an index copy can hold a step written after (or
 * before) the enrollment item it came with, which `stepVersions` on the enrollment item (the
 * version each step must have been written at) reveals.
 */
export function toSnapshot(items: readonly Item[], read: 'table' | 'index'): { snapshot: EnrollmentSnapshot; whole: boolean } | undefined {
  const meta = items.find((i) => isEntity(i, 'enrollment'));
  if (!meta) return undefined;
  const steps = items.filter((i) => isEntity(i, 'step')).sort((a, b) => (a.index as number) - (b.index as number));
  const written = steps.map((s) => (s.version as number | undefined) ?? 0);
  const expected = (meta.stepVersions as number[] | undefined) ?? [];
  const whole = read === 'table' || (expected.length === written.length && written.every((v, i) => v === expected[i]));
  const state: EnrollmentState = {
    enrollment: pick(meta, ENROLLMENT_FIELDS) as unknown as Enrollment,
    steps: steps.map((s) => pick(s, STEP_FIELDS) as unknown as EnrollmentStep),
  };
  return { snapshot: { state, version: (meta.version as number | undefined) ?? 0, stepVersions: written }, whole };
}
