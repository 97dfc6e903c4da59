// Local mode's schedules registry and clock: a job never overlaps itself (a timer tick while it
// runs is skipped; a run asked for meanwhile is queued after it, and shared), and the clock only
// moves forward.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalClock, MAX_ADVANCE_DAYS, parseClockAdvance } from '../../local/clock.js';
import { LocalSchedules } from '../../local/schedules.js';

/** A job whose runs end when the test says so, recording how many run at once. */
function controlledJob() {
  const state = { started: 0, running: 0, maxRunning: 0, finish: [] as Array<() => void> };
  const run = () =>
    new Promise<number>((resolve) => {
      const n = ++state.started;
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      state.finish.push(() => {
        state.running--;
        resolve(n);
      });
    });
  return { state, run };
}

const logger = { error: vi.fn() };
let schedules: LocalSchedules | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await schedules?.stop();
  schedules = undefined;
});

/** Lets pending promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('LocalSchedules', () => {
  it('skips a timer tick that comes while the job is still running', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const job = controlledJob();
    schedules = new LocalSchedules(logger);
    schedules.register('sweep', 30, job.run);

    vi.advanceTimersByTime(30_000);
    expect(job.state.started).toBe(1);
    vi.advanceTimersByTime(90_000); // three ticks while the first run is going: all skipped
    expect(job.state.started).toBe(1);

    job.state.finish[0]!();
    await settle();
    vi.advanceTimersByTime(30_000);
    expect(job.state.started).toBe(2);
    expect(job.state.maxRunning).toBe(1);
    job.state.finish[1]!();
  });

  it('queues a run asked for while the job runs (one queued run for many asks), so it starts after, never alongside', async () => {
    const job = controlledJob();
    schedules = new LocalSchedules(logger);
    schedules.register('sweep', 0, job.run);

    const first = schedules.runNow('sweep');
    await settle();
    const second = schedules.runNow('sweep');
    const third = schedules.runAll();
    await settle();
    expect(job.state.started).toBe(1);

    job.state.finish[0]!();
    expect(await first).toBe(1);
    await settle();
    expect(job.state.started).toBe(2);
    job.state.finish[1]!();
    expect(await second).toBe(2);
    expect(await third).toEqual([{ name: 'sweep', ok: true, result: 2 }]);
    expect(job.state.maxRunning).toBe(1);
  });

  it('runs every job on runAll, reports failures without throwing, and rejects runNow with the error', async () => {
    schedules = new LocalSchedules(logger);
    schedules.register('a', 0, async () => 'done');
    schedules.register('b', 0, async () => {
      throw new TypeError('broken');
    });
    expect(await schedules.runAll()).toEqual([
      { name: 'a', ok: true, result: 'done' },
      { name: 'b', ok: false, error: 'TypeError: broken' },
    ]);
    expect(logger.error).toHaveBeenCalledWith('scheduled b failed', { error: 'TypeError: broken' });
    await expect(schedules.runNow('b')).rejects.toThrow('broken');
    // A failed run does not block the next one.
    await expect(schedules.runNow('b')).rejects.toThrow('broken');
    await expect(schedules.runNow('nope')).rejects.toThrow('no schedule named nope');
    expect(() => schedules!.register('a', 0, async () => undefined)).toThrow(/already registered/);
  });

  it('stops its timers and waits for a run in progress', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const job = controlledJob();
    schedules = new LocalSchedules(logger);
    schedules.register('sweep', 1, job.run);
    vi.advanceTimersByTime(1_000);
    let stopped = false;
    const stopping = schedules.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    job.state.finish[0]!();
    await stopping;
    vi.advanceTimersByTime(10_000);
    expect(job.state.started).toBe(1);
  });
});

describe('LocalClock', () => {
  it('is its base plus the moves, and only moves forward', () => {
    let base = Date.parse('2026-01-01T00:00:00Z');
    const clock = new LocalClock({ now: () => new Date(base) });
    expect(clock.advance(1_000).toISOString()).toBe('2026-01-01T00:00:01.000Z');
    base += 500;
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(0)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.offsetMs).toBe(1_000);
    expect(new LocalClock({ now: () => new Date(base) }, 2_000).now().toISOString()).toBe('2026-01-01T00:00:02.500Z');
  });

  it('reads a move in days from the request body', () => {
    expect(parseClockAdvance({ advanceDays: 1.5 })).toEqual({ ms: 1.5 * 24 * 3600 * 1000 });
    expect(parseClockAdvance({ advanceDays: MAX_ADVANCE_DAYS })).toEqual({ ms: MAX_ADVANCE_DAYS * 24 * 3600 * 1000 });
    expect(parseClockAdvance({ advanceDays: -2 })).toEqual({ error: expect.stringContaining('only moves forward') });
    expect(parseClockAdvance(undefined)).toEqual({ error: expect.stringContaining('advanceDays is required') });
    expect(parseClockAdvance({ advanceDays: Infinity })).toEqual({ error: 'advanceDays must be a finite number' });
  });
});
