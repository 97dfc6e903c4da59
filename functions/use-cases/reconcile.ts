// The reconciler, on a schedule: starts the workflow for enrollments whose advance request has
// waited longer than any healthy execution takes (the process died between the write and the
// workflow start, or the start failed); finishes re-applying the waiting events requests left to
// it; and gives recently unmatched events a second look. It pages through all of it while its time
// lasts and carries on where it stopped on the next run. Safe to run any time, and twice at once.
import type { Logger } from './logger.js';
import type { DeliveryStore } from './ports/deliveries.js';
import type { JobCursors } from './ports/jobs.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { Clock, WorkflowStarter } from './ports/services.js';
import type { StudentStore } from './ports/students.js';
import { lookAgain } from './apply-partner-event.js';
import { startWorkflow } from './start-workflow.js';
import { completionOfCourses, reapplyAllWaiting, reapplyWaiting, waitingOwners } from './waiting-events.js';

export interface ReconcileOptions {
  /** Requests younger than this are left to the execution already on its way. */
  graceSeconds: number;
  /** Items read per query. */
  pageSize: number;
  /** Whether there is time for more (the function's remaining time); what is left waits for the next run. */
  timeLeft: () => boolean;
}

export const DEFAULT_RECONCILE = { graceSeconds: 120, pageSize: 100 } as const;

/**
 * Unmatched events this recent get a second look on every run. An event and the enrollment or
 * account link it belongs to can cross within the moment DynamoDB takes to update its indexes
 * (each side looks for the other through an index); by the next run the indexes agree.
 */
export const RECENT_UNMATCHED_MINUTES = 15;

/** Where each part of the reconciler's work stopped, between runs. */
export const RECONCILER_JOBS = { advances: 'reconcile-advances', recent: 'reconcile-recent-unmatched' } as const;

export interface ReconcileReport {
  /** Enrollments whose recorded state asks for an advance no execution has finished. */
  overdue: number;
  restarted: number;
  failedToStart: number;
  /** Students whose queued waiting events were all re-applied. */
  reappliedStudents: number;
  /** Recently unmatched events that match now and were applied. */
  lateMatches: number;
  /** False when time ran out: the next run carries on from here. */
  finished: boolean;
}

export interface ReconcileDeps {
  students: StudentStore;
  enrollments: EnrollmentStore;
  deliveries: DeliveryStore;
  jobs: JobCursors;
  workflow: WorkflowStarter;
  clock: Clock;
  logger: Logger;
}

export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions): Promise<ReconcileReport> {
  const report: ReconcileReport = { overdue: 0, restarted: 0, failedToStart: 0, reappliedStudents: 0, lateMatches: 0, finished: false };
  const now = deps.clock.now().getTime();
  report.finished =
    (await restartOverdue(deps, options, now, report)) &&
    (await workReapplyQueue(deps, options, report)) &&
    (await lookAtRecentUnmatched(deps, options, now, report));
  report.failedToStart = report.overdue - report.restarted;
  if (report.overdue > 0 || report.lateMatches > 0 || report.reappliedStudents > 0)
    deps.logger.warn('reconciler made up for missed work', { ...report });
  return report;
}

/** Pages through the advances due from where the last run stopped; true when it reached the end. */
async function restartOverdue(deps: ReconcileDeps, options: ReconcileOptions, now: number, report: ReconcileReport): Promise<boolean> {
  const cutoff = new Date(now - options.graceSeconds * 1000).toISOString();
  // One execution name per enrollment per grace window (a Standard workflow starts it once; under
  // Express a rerun in the same window is a second, harmless run: every task is idempotent).
  const window = Math.floor(now / (options.graceSeconds * 1000));
  const list = (cursor: string | undefined) => deps.enrollments.listAdvanceDue(cutoff, options.pageSize, cursor);
  return pageThrough(
    deps,
    RECONCILER_JOBS.advances,
    options,
    list,
    async ({ enrollmentId }) => {
      report.overdue++;
      // An enrollment whose creation died before starting its workflow also missed re-applying the
      // events waiting for its student.
      const snapshot = await deps.enrollments.load(enrollmentId);
      const student = snapshot && (await deps.students.get(snapshot.state.enrollment.studentId));
      if (snapshot && student) {
        await reapplyWaiting(deps, student.id, waitingOwners(student), completionOfCourses(snapshot.state.steps));
      }
      if (await startWorkflow(deps, enrollmentId, `reconcile-${window}`)) report.restarted++;
    },
    ({ enrollmentId }) => ({ enrollmentId }),
  );
}

/** Students whose waiting events were more than a request re-applies: all of them, oldest queued first. */
async function workReapplyQueue(deps: ReconcileDeps, options: ReconcileOptions, report: ReconcileReport): Promise<boolean> {
  for (const { studentId, queuedAt } of await deps.deliveries.listReapplyQueue(options.pageSize)) {
    if (!options.timeLeft()) return false;
    const student = await guarded(deps, { studentId }, () => deps.students.get(studentId));
    if (student === null) continue;
    if (student && !(await reapplyAllWaiting(deps, student, options.timeLeft))) return false;
    await deps.deliveries.dequeueReapply(studentId, queuedAt);
    report.reappliedStudents++;
  }
  return true;
}

async function lookAtRecentUnmatched(
  deps: ReconcileDeps,
  options: ReconcileOptions,
  now: number,
  report: ReconcileReport,
): Promise<boolean> {
  const since = new Date(now - RECENT_UNMATCHED_MINUTES * 60_000).toISOString();
  const at = new Date(now).toISOString();
  const list = (cursor: string | undefined) => deps.deliveries.listUnmatchedSince(since, options.pageSize, cursor);
  return pageThrough(
    deps,
    RECONCILER_JOBS.recent,
    options,
    list,
    async (delivery) => {
      if ((await lookAgain(deps, delivery, at))?.status === 'applied') report.lateMatches++;
    },
    ({ partnerId, webhookId }) => ({ partnerId, webhookId }),
  );
}

/**
 * Runs `each` over every item of a paged listing, from the cursor the job saved last time, while
 * time lasts. One item that fails must not stop the others (the list is oldest first, so it would
 * fail first on every run). True when the listing was read to its end.
 */
async function pageThrough<T>(
  deps: ReconcileDeps,
  job: string,
  options: ReconcileOptions,
  list: (cursor: string | undefined) => Promise<{ items: T[]; next?: string }>,
  each: (item: T) => Promise<void>,
  about: (item: T) => Record<string, unknown>,
): Promise<boolean> {
  let cursor = await deps.jobs.load(job);
  do {
    if (!options.timeLeft()) {
      await deps.jobs.save(job, cursor);
      return false;
    }
    // A cursor saved by a run that then read to the end may point past the items due now: start over.
    const page = await list(cursor).catch(async (error: unknown) => {
      if (cursor === undefined) throw error;
      deps.logger.warn('reconciler cursor no longer valid; starting over', { job, error: String(error) });
      return list(undefined);
    });
    for (const item of page.items) await guarded(deps, { job, ...about(item) }, () => each(item));
    cursor = page.next;
  } while (cursor);
  await deps.jobs.save(job, undefined);
  return true;
}

/** Runs one item's work; a failure is logged with what it was about, and null returned. */
async function guarded<T>(deps: ReconcileDeps, about: Record<string, unknown>, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    deps.logger.error('reconciler could not finish an item; the next run tries again', {
      ...about,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return null;
  }
}
