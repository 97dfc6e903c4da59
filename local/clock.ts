// Local mode's clock: the real time (or a test's clock) plus an offset that only grows. Every
// handler, the workflow runner, the scheduled jobs, local tokens and download links read it, so
// `POST /api/dev/clock {"advanceDays": n}` moves everything time-based forward at once.
import { systemClock } from '../functions/wiring.js';
import type { Clock } from '../functions/use-cases/ports/services.js';

const DAY_MS = 24 * 3600 * 1000;
/** The largest move one request may ask for: ten years. */
export const MAX_ADVANCE_DAYS = 3650;

export class LocalClock implements Clock {
  #offsetMs: number;

  /**
   * `base` is what moves on by itself: the system clock, or a clock a test controls; `offsetMs`
   * how far ahead of it this clock starts (a restarted `npm start` keeps its earlier moves).
   */
  constructor(
    private readonly base: Clock = systemClock,
    offsetMs = 0,
  ) {
    this.#offsetMs = Number.isFinite(offsetMs) && offsetMs > 0 ? offsetMs : 0;
  }

  now(): Date {
    return new Date(this.base.now().getTime() + this.#offsetMs);
  }

  /** How far this clock is ahead of its base, in ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves the clock forward by `ms` (positive and finite: it never moves back) and returns the new time. */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`the clock only moves forward: ${ms} ms is not a positive, finite duration`);
    this.#offsetMs += ms;
    return this.now();
  }
}

/** The body of `POST /api/dev/clock`, checked: the move in ms, or what is wrong with it. */
export function parseClockAdvance(body: unknown): { ms: number } | { error: string } {
  const example = 'e.g. {"advanceDays": 8}';
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('advanceDays' in body)) {
    return { error: `advanceDays is required: the number of days to move the clock forward, ${example}` };
  }
  const days = body.advanceDays;
  if (typeof days !== 'number') return { error: `advanceDays must be a number of days, ${example}` };
  if (!Number.isFinite(days)) return { error: 'advanceDays must be a finite number' };
  if (days < 0) return { error: 'advanceDays is negative: the clock only moves forward' };
  if (days === 0) return { error: 'advanceDays must be more than 0' };
  if (days > MAX_ADVANCE_DAYS) return { error: `advanceDays is at most ${MAX_ADVANCE_DAYS} (ten years) per request` };
  return { ms: days * DAY_MS };
}
