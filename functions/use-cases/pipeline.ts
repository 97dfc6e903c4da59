// The admin pipeline: counts per partner and program read from counter items, and stuck
// students read from the sparse in-progress index. Its cost does not grow with enrollments.
import { directoryOf, partnerName, type PartnerId } from '../domain/partners.js';
import type { PartnerStore } from './ports/partners.js';
import { stepCounts } from '../domain/counters.js';
import type { CatalogStore } from './ports/catalog.js';
import type { PartnerCounts, PipelineReadModel } from './ports/pipeline.js';
import type { Clock } from './ports/services.js';
import { readableCause } from './enrollment-view.js';

const DAY_MS = 24 * 3600 * 1000;
/** The stuck list shows the longest-waiting students first, this many at most. */
export const STUCK_LIMIT = 200;

export interface Pipeline {
  /** Steps at each partner by status (skipped and cancelled steps are closed: never stuck, never current). */
  providers: Array<{ partnerId: PartnerId; partnerName: string } & PartnerCounts>;
  programs: Array<{
    programId: string;
    programName: string;
    category: string;
    total: number;
    active: number;
    completed: number;
    cancelled: number;
    completionRate: number;
  }>;
  stuck: Array<{
    enrollmentId: string;
    studentName: string;
    studentEmail: string;
    partnerId: PartnerId;
    partnerName: string;
    courseId: string;
    stepIndex: number;
    startedAt: string;
    daysStuck: number;
    dueAt?: string;
    /** Past its due date. */
    overdue: boolean;
    /** When the student was last reminded of the step, if ever. */
    lastRemindedAt?: string;
  }>;
  stuckDays: number;
  /** Failed workflows: the error's name and its readable cause, as on the admin view of the enrollment (so the site can tell which need which action). */
  failures: Array<{
    enrollmentId: string;
    studentName: string;
    studentEmail: string;
    programName: string;
    error: string;
    cause: string;
    at: string;
  }>;
}

export async function readPipeline(
  deps: { catalog: CatalogStore; partners: PartnerStore; pipeline: PipelineReadModel; clock: Clock },
  stuckDays: number,
): Promise<Pipeline> {
  const now = deps.clock.now().getTime();
  const [programs, partners, counters, stuck, failures] = await Promise.all([
    deps.catalog.list(),
    deps.partners.list(),
    deps.pipeline.readCounters(),
    deps.pipeline.listStuckSteps(new Date(now - stuckDays * DAY_MS).toISOString(), STUCK_LIMIT),
    deps.pipeline.listWorkflowFailures(50),
  ]);
  const directory = directoryOf(partners);
  return {
    // Every partner on record (disabled ones too: their steps still count), plus any counted one no longer on record.
    providers: [...new Set([...partners.map((p) => p.id), ...Object.keys(counters.partners)])].map((partnerId) => ({
      partnerId,
      partnerName: partnerName(directory, partnerId),
      ...stepCounts(counters.partners[partnerId]),
    })),
    programs: programs.map((p) => {
      const c = counters.programs[p.id];
      const total = c?.total ?? 0;
      const completed = c?.completed ?? 0;
      return {
        programId: p.id,
        programName: p.name,
        category: p.category,
        total,
        active: c?.active ?? 0,
        completed,
        cancelled: c?.cancelled ?? 0,
        completionRate: total === 0 ? 0 : Math.round((completed * 10000) / total) / 100,
      };
    }),
    stuck: stuck.map((s) => ({
      enrollmentId: s.enrollmentId,
      studentName: s.studentName,
      studentEmail: s.studentEmail,
      partnerId: s.partnerId,
      partnerName: partnerName(directory, s.partnerId),
      courseId: s.courseId,
      stepIndex: s.stepIndex,
      startedAt: s.startedAt,
      daysStuck: Math.floor(((now - Date.parse(s.startedAt)) / DAY_MS) * 100) / 100,
      ...(s.dueAt ? { dueAt: s.dueAt } : {}),
      overdue: s.dueAt !== undefined && Date.parse(s.dueAt) <= now,
      ...(s.lastRemindedAt ? { lastRemindedAt: s.lastRemindedAt } : {}),
    })),
    stuckDays,
    failures: failures.map((f) => ({
      enrollmentId: f.enrollmentId,
      studentName: f.studentName,
      studentEmail: f.studentEmail,
      programName: f.programName,
      error: f.failure.error,
      cause: readableCause(f.failure.cause),
      at: f.failure.at,
    })),
  };
}
