// Workflow starts at a limited rate: an import's chunk wraps the workflow port in this, so a
// 50,000-row import stays inside the account's StartExecution quota whatever else is starting.
// Starts are spaced at least 1/rate apart, the first one too: the chunks of a run follow one
// another, so a new chunk's first start is never closer to the previous chunk's last.
import type { WorkflowStarter } from './ports/services.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pacedWorkflow(
  workflow: WorkflowStarter,
  startsPerSecond: number,
  wait: (ms: number) => Promise<void> = sleep,
  now: () => number = () => performance.now(),
): WorkflowStarter {
  const interval = 1000 / startsPerSecond;
  let next = now() + interval;
  return {
    start: async (enrollmentId, trigger) => {
      const at = Math.max(now(), next);
      next = at + interval;
      // Timers may fire a millisecond early: wait until the time has really come.
      while (now() < at) await wait(Math.ceil(at - now()));
      return workflow.start(enrollmentId, trigger);
    },
  };
}
