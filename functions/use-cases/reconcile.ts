// The reconciler: finds enrollments whose advance request has waited longer than any healthy
// execution takes (the process died between the write and the workflow start, or the start
// failed) and starts the workflow for them; and gives recently unmatched events a second look.
// Runs on a schedule; safe to run any time.
import { applyIfMatchableNow } from './apply-partner-event.js';
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

/**
 * Unmatched events this recent get a second look on every run. An event and the enrollment or
 * account link it belongs to can cross within the moment DynamoDB takes to update its indexes
 * (each side looks for the other through an index); by the next run the indexes agree.
 */
export const RECENT_UNMATCHED_MINUTES = 15;

export interface ReconcileReport {
  /** Enrollments whose recorded state asks for an advance no execution has finished. */
  overdue: number;
  restarted: number;
  failedToStart: number;
  /** Recently unmatched events that match now and were applied. */
  lateMatches: number;
}

export async function reconcile(
  deps: { repo: Repository; workflow: WorkflowStarter; clock: Clock; logger: Logger },
  options: ReconcileOptions = DEFAULT_RECONCILE,
): Promise<ReconcileReport> {
  const now = deps.clock.now().getTime();
  const cutoff = new Date(now - options.graceSeconds * 1000).toISOString();
  const overdue = await deps.repo.listAdvanceDue(cutoff, options.limit);
  // One execution name per enrollment per grace window (a Standard workflow starts it once; under
  // Express a rerun in the same window is a second, harmless run: every task is idempotent).
  const window = Math.floor(now / (options.graceSeconds * 1000));
  let restarted = 0;
  for (const { enrollmentId } of overdue) {
    // One enrollment that fails must not stop the others (the list is oldest first, so it would
    // fail first on every run).
    try {
      // An enrollment whose creation died before starting its workflow also missed re-applying
      // the events waiting for its student.
      await reapplyUnmatchedForEnrollment(deps, enrollmentId);
      if (await startWorkflow(deps, enrollmentId, `reconcile-${window}`)) restarted++;
    } catch (error) {
      deps.logger.error('reconciler could not restart an enrollment', { enrollmentId, error: describe(error) });
    }
  }

  let lateMatches = 0;
  const at = new Date(now).toISOString();
  const recent = await deps.repo.listUnmatchedSince(new Date(now - RECENT_UNMATCHED_MINUTES * 60_000).toISOString(), options.limit);
  for (const delivery of recent) {
    try {
      if ((await applyIfMatchableNow(deps, delivery, at))?.status === 'applied') lateMatches++;
    } catch (error) {
      deps.logger.error('reconciler could not re-check an unmatched event', {
        partnerId: delivery.partnerId,
        webhookId: delivery.webhookId,
        error: describe(error),
      });
    }
  }

  const report = { overdue: overdue.length, restarted, failedToStart: overdue.length - restarted, lateMatches };
  if (overdue.length > 0 || lateMatches > 0) deps.logger.warn('reconciler made up for missed work', { ...report });
  return report;
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
