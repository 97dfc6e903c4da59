// Workflow starts at a limited rate: an import's chunk wraps the workflow port in this, so a
// 50,000-row import stays inside the account's StartExecution quota whatever else is starting.
// Each start is at least 1/rate after the previous one really began (plus a millisecond, so
// timer jitter never lets rate + 1 into one second), the first one too: the chunks of a run
// follow one another, so a new chunk's first start is never closer to the previous chunk's last.
import type { WorkflowStarter } from './ports/services.js';

/** What an import may use of the account's StartExecution quota unless the deploy says otherwise (-c importStartsPerSecond). */
export const DEFAULT_IMPORT_STARTS_PER_SECOND = 20;

/**
 * How many import steps run at once: the import-worker's SQS maxConcurrency on AWS (2, the least
 * an SQS event source takes), local mode's imports queue alike. Each step paces its starts at its
 * share of the limit (startsPerStep), so steps running together never pass the limit.
 */
export const IMPORT_WORKER_CONCURRENCY = 2;

/** The starts per second one import step may make, of the limit all of them share. */
export const startsPerStep = (startsPerSecond: number) => startsPerSecond / IMPORT_WORKER_CONCURRENCY;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pacedWorkflow(
  workflow: WorkflowStarter,
  startsPerSecond: number,
  wait: (ms: number) => Promise<void> = sleep,
  now: () => number = () => performance.now(),
): WorkflowStarter {
  const interval = 1000 / startsPerSecond + 1;
  let next = now() + interval;
  return {
    start: async (enrollmentId, trigger) => {
      // Timers may fire a millisecond early: wait until the time has really come.
      while (now() < next) await wait(Math.ceil(next - now()));
      next = now() + interval;
      return workflow.start(enrollmentId, trigger);
    },
  };
}
