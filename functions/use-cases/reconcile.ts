// The reconciler: finds enrollments whose advance request has waited longer than any healthy
// execution takes (the process died between the write and the workflow start, or the start
// failed) and starts the workflow for them. Runs on a schedule; safe to run any time.
import type { Logger } from './logger.js';
import type { Clock, Repository, WorkflowStarter } from './ports.js';
import { reapplyUnmatchedForEnrollment } from './partner-accounts.js';
import { startWorkflow } from './start-workflow.js';

export interface ReconcileOptions {
  /** Requests younger than this are left to the execution already on its way. */
  graceSeconds: number;
  limit: number;
}

export const DEFAULT_RECONCILE: ReconcileOptions = { graceSeconds: 120, limit: 100 };

export interface ReconcileReport {
  /** Enrollments whose recorded state asks for an advance no execution has finished. */
  overdue: number;
  restarted: number;
  failedToStart: number;
}

export async function reconcile(
  deps: { repo: Repository; workflow: WorkflowStarter; clock: Clock; logger: Logger },
  options: ReconcileOptions = DEFAULT_RECONCILE,
): Promise<ReconcileReport> {
  const now = deps.clock.now().getTime();
  const cutoff = new Date(now - options.graceSeconds * 1000).toISOString();
  const overdue = await deps.repo.listAdvanceDue(cutoff, options.limit);
  // One execution name per enrollment per grace window: reruns in the same window are one start.
  const window = Math.floor(now / (options.graceSeconds * 1000));
  let restarted = 0;
  for (const { enrollmentId } of overdue) {
    // An enrollment whose creation died before starting its workflow also missed re-applying
    // the events waiting for its student.
    await reapplyUnmatchedForEnrollment(deps, enrollmentId);
    if (await startWorkflow(deps, enrollmentId, `reconcile-${window}`)) restarted++;
  }
  const report = { overdue: overdue.length, restarted, failedToStart: overdue.length - restarted };
  if (overdue.length > 0) deps.logger.warn('reconciler restarted overdue advances', { ...report });
  return report;
}
