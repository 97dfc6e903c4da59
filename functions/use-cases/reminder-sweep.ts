// The scheduled sweep (EventBridge Scheduler on AWS; local mode's timer and clock moves): reads
// the schedule index for work due now, never the table, and for each enrollment found marks the
// steps past their due date overdue, settles claims that outlived their send, sends the welcome
// email a request did not send, and sends the scheduled reminders that are due. Safe to run twice
// at once or to die midway: every email is claimed before it is sent, and a claim is recorded once.
import { nextScheduledReminderAt, welcomeWakeAt } from '../domain/enrollment.js';
import { transition } from './enrollment-transitions.js';
import { describe, type StudentEmailDeps } from './email-delivery.js';
import { remindEnrollment, sendWelcome, settleStaleReminderClaims } from './student-emails.js';
import { inParallel } from './in-parallel.js';

export interface SweepOptions {
  /** Index entries read per query. */
  pageSize: number;
  /** Enrollments worked on at once. */
  concurrency: number;
  /** Whether there is time for more (the function's remaining time); what is left is due on the next run. */
  timeLeft: () => boolean;
}

export const DEFAULT_SWEEP = { pageSize: 100, concurrency: 4 } as const;

export interface SweepReport {
  enrollments: number;
  welcomes: number;
  reminders: number;
  /** Scheduled reminders not sent (unsubscribed, suppressed, refused) or welcome emails skipped. */
  skipped: number;
  overdue: number;
  /** Claims whose send never recorded a result: recorded as unknown, never sent again. */
  unknown: number;
  failed: number;
  /** False when time ran out: the rest is still due, and the next run does it. */
  finished: boolean;
}

export async function sweepSchedule(deps: StudentEmailDeps, options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { enrollments: 0, welcomes: 0, reminders: 0, skipped: 0, overdue: 0, unknown: 0, failed: 0, finished: false };
  const dueBefore = deps.clock.now().toISOString();
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    if (!options.timeLeft()) return report;
    const page = await deps.enrollments.listScheduled(dueBefore, options.pageSize, cursor);
    const ids = [...new Set(page.items.map((i) => i.enrollmentId))].filter((id) => !seen.has(id));
    for (const id of ids) seen.add(id);
    await inParallel(ids, options.concurrency, async (id) => {
      if (!options.timeLeft()) return;
      try {
        await sweepEnrollment(deps, id, report);
      } catch (error) {
        report.failed++;
        deps.logger.error('sweep could not finish an enrollment; the next run tries again', { enrollmentId: id, error: describe(error) });
      }
    });
    cursor = page.next;
  } while (cursor);
  report.finished = true;
  if (report.failed > 0 || report.unknown > 0) deps.logger.warn('sweep finished with problems', { ...report });
  return report;
}

async function sweepEnrollment(deps: StudentEmailDeps, enrollmentId: string, report: SweepReport): Promise<void> {
  const at = deps.clock.now().toISOString();
  let snapshot = await deps.enrollments.load(enrollmentId);
  if (!snapshot) return;
  report.enrollments++;
  const overdue = await transition(deps, enrollmentId, { type: 'mark_overdue', at }, { from: snapshot });
  if (overdue.ok) {
    report.overdue += overdue.events.length;
    snapshot = overdue.saved;
  }
  const stale = await settleStaleReminderClaims(deps, snapshot.state, snapshot);
  report.unknown += stale;
  if (stale > 0) snapshot = await deps.enrollments.load(enrollmentId);
  if (!snapshot) return;

  if ((welcomeWakeAt(snapshot.state.enrollment) ?? '\uffff') <= at) {
    const welcome = await sendWelcome(deps, enrollmentId, snapshot);
    if (welcome === 'sent') report.welcomes++;
    else if (welcome === 'skipped') report.skipped++;
    else if (welcome === 'unknown') report.unknown++;
    snapshot = await deps.enrollments.load(enrollmentId);
    if (!snapshot) return;
  }

  const { enrollment, steps } = snapshot.state;
  const due = steps.some((s) => !s.reminderClaim && (nextScheduledReminderAt(enrollment.reminders, s) ?? '\uffff') <= at);
  if (!due) return;
  const reminded = await remindEnrollment(deps, enrollmentId, { kind: 'scheduled' }, snapshot);
  if (reminded.sent) report.reminders++;
  else if (reminded.reason === 'outcome_unknown') report.unknown++;
  else report.skipped++;
}
