// An admin's nudges from the dashboard: remind chosen students now, or everyone stuck. They go
// through the same claims and limits as the scheduled reminders (at most one reminder per step per
// day, whoever or whatever sends it), so clicking twice, or nudging right after the sweep, sends
// nothing twice; what was not sent comes back with the reason.
import { normalizeEnrollmentId } from '../domain/enrollment.js';
import type { StudentEmailDeps } from './email-delivery.js';
import type { Actor } from './enrollments.js';
import { STUCK_LIMIT } from './pipeline.js';
import type { PipelineReadModel } from './ports/pipeline.js';
import { inParallel } from './in-parallel.js';
import { remindEnrollment, type ReminderSkip } from './student-emails.js';

const DAY_MS = 24 * 3600 * 1000;
/** Enrollments reminded at once (a few SES calls in flight, well under the account's send rate). */
const CONCURRENCY = 4;

export type NudgeRequest = { enrollmentIds: string[] } | { stuckDays: number };

export interface NudgeReport {
  sent: number;
  skipped: Array<{ enrollmentId: string; reason: ReminderSkip | 'out_of_time' }>;
}

export async function sendNudges(
  deps: StudentEmailDeps & { pipeline: PipelineReadModel },
  request: NudgeRequest,
  admin: Actor,
  timeLeft: () => boolean,
): Promise<NudgeReport> {
  const report: NudgeReport = { sent: 0, skipped: [] };
  const ids = 'enrollmentIds' in request ? request.enrollmentIds : await stuckEnrollments(deps, request.stuckDays);
  const valid: string[] = [];
  for (const id of new Set(ids)) {
    const normalized = normalizeEnrollmentId(id);
    if (normalized) valid.push(normalized);
    else report.skipped.push({ enrollmentId: id, reason: 'not_found' });
  }
  await inParallel([...new Set(valid)], CONCURRENCY, async (enrollmentId) => {
    if (!timeLeft()) return void report.skipped.push({ enrollmentId, reason: 'out_of_time' });
    const result = await remindEnrollment(deps, enrollmentId, { kind: 'nudge', by: admin.email });
    if (result.sent) report.sent++;
    else report.skipped.push({ enrollmentId, reason: result.reason });
  });
  deps.logger.info('nudges sent', { sent: report.sent, skipped: report.skipped.length, by: admin.email });
  return report;
}

/** The enrollments of the stuck list (in progress since before `stuckDays` ago), as the dashboard shows it. */
async function stuckEnrollments(deps: { pipeline: PipelineReadModel; clock: StudentEmailDeps['clock'] }, stuckDays: number) {
  const before = new Date(deps.clock.now().getTime() - stuckDays * DAY_MS).toISOString();
  return (await deps.pipeline.listStuckSteps(before, STUCK_LIMIT)).map((s) => s.enrollmentId);
}
