// Local mode's stand-in for EventBridge Scheduler: each scheduled job (the reconciler today; the
// sweeps to come) is registered once with its interval, runs on a timer, and runs once more
// whenever the local clock is moved (POST /api/dev/clock), so what a move makes due happens at once.
//
// A job never overlaps itself. A timer tick that finds the job still running is skipped: the job
// is a sweep, and the next tick (or the run in progress) does the work. A run asked for by a clock
// move or by runNow() while the job is running is queued instead: it starts when the current run
// ends, so it reads the moved clock; several such requests meanwhile share that one queued run.
import type { Logger } from '../functions/use-cases/logger.js';

export type ScheduledRun = () => Promise<unknown>;

export interface ScheduleOutcome {
  name: string;
  ok: boolean;
  /** What the run returned (e.g. the reconciler's report), when it succeeded. */
  result?: unknown;
  error?: string;
}

interface Job {
  name: string;
  everyMs: number;
  run: ScheduledRun;
  timer?: ReturnType<typeof setInterval>;
  running?: Promise<unknown>;
  queued?: Promise<unknown>;
}

export class LocalSchedules {
  readonly #jobs = new Map<string, Job>();
  #stopped = false;

  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  /**
   * Registers a job: it runs every `everySeconds` (0: no timer, only on clock moves and
   * runNow/runAll) and once whenever the clock is moved.
   */
  register(name: string, everySeconds: number, run: ScheduledRun): void {
    if (this.#jobs.has(name)) throw new Error(`a schedule named ${name} is already registered`);
    if (!(everySeconds >= 0)) throw new RangeError(`schedule ${name}: the interval must be 0 (no timer) or more seconds`);
    const job: Job = { name, everyMs: everySeconds * 1000, run };
    this.#jobs.set(name, job);
    if (job.everyMs > 0 && !this.#stopped) {
      job.timer = setInterval(() => this.#tick(job), job.everyMs);
      job.timer.unref();
    }
  }

  get names(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Runs one job now (after the run in progress, if any) and resolves with its result, or rejects with its error. */
  runNow(name: string): Promise<unknown> {
    const job = this.#jobs.get(name);
    if (!job) return Promise.reject(new Error(`no schedule named ${name}`));
    if (job.queued) return job.queued;
    if (!job.running) return this.#start(job);
    const queued = job.running
      .catch(() => undefined)
      .then(() => {
        job.queued = undefined;
        return this.#start(job);
      });
    job.queued = queued;
    return queued;
  }

  /** Runs every job once (each after its run in progress, if any), all at once; a failure is logged and reported, never thrown. */
  async runAll(): Promise<ScheduleOutcome[]> {
    return Promise.all(
      this.names.map((name) =>
        this.runNow(name).then(
          (result) => ({ name, ok: true, result }),
          (error: unknown) => {
            this.logger.error(`scheduled ${name} failed`, { error: describe(error) });
            return { name, ok: false, error: describe(error) };
          },
        ),
      ),
    );
  }

  /** Stops the timers and waits for the runs in progress (and queued) to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const pending: Array<Promise<unknown>> = [];
    for (const job of this.#jobs.values()) {
      if (job.timer) clearInterval(job.timer);
      if (job.running) pending.push(job.running);
      if (job.queued) pending.push(job.queued);
    }
    await Promise.allSettled(pending);
  }

  #tick(job: Job) {
    if (this.#stopped || job.running || job.queued) return; // still busy: skip this tick
    this.#start(job).catch((error: unknown) => this.logger.error(`scheduled ${job.name} failed`, { error: describe(error) }));
  }

  #start(job: Job): Promise<unknown> {
    const running = (async () => job.run())(); // starts now; a synchronous throw becomes a rejection
    job.running = running;
    void running
      .finally(() => {
        if (job.running === running) job.running = undefined;
      })
      .catch(() => undefined);
    return running;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
