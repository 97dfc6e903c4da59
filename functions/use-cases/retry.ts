// The one retry policy: a decision that found its state changed underneath (a failed version
// condition) or a transaction DynamoDB cancelled for colliding with another is decided again on
// fresh state, after a jittered exponential backoff ("full jitter": a random wait up to
// 10 ms × 2^attempt, at most 640 ms), at most MAX_ATTEMPTS times in all. Nothing else retries a
// write, so attempts never multiply.
import { DomainError } from '../domain/errors.js';

/** Attempts in all, the first included. */
export const MAX_ATTEMPTS = 8;
const BASE_MS = 10;
const MAX_DOUBLINGS = 6;

export type Attempt<T> = { done: T } | { again: string };

/**
 * Thrown by a store when DynamoDB cancelled a write only for colliding with another one (nothing
 * was written): the attempt it ended is tried again like a decision that found its state changed.
 */
export class WriteContention extends Error {
  constructor(what: string) {
    super(`${what} collided with another write`);
    this.name = 'WriteContention';
  }
}

/** The wait before retry number `attempt` (1 for the first retry). */
export const backoffDelayMs = (attempt: number, random: () => number = Math.random) =>
  random() * BASE_MS * 2 ** Math.min(attempt, MAX_DOUBLINGS);

const pause = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, backoffDelayMs(attempt)));

/**
 * Runs `attempt` until it is done, at most MAX_ATTEMPTS times. `what` names the change in the
 * CONCURRENT_CHANGE error that ends a run of bad luck: nothing was saved, and trying again later
 * is safe.
 */
export async function retrying<T>(
  what: string,
  attempt: (n: number) => Promise<Attempt<T>>,
  options: { attempts?: number; onRetry?: (why: string, n: number) => void } = {},
): Promise<T> {
  const attempts = options.attempts ?? MAX_ATTEMPTS;
  for (let n = 1; ; n++) {
    const result = await attempt(n).catch((error: unknown): Attempt<T> => {
      if (error instanceof WriteContention) return { again: error.message };
      throw error;
    });
    if ('done' in result) return result.done;
    if (n >= attempts) {
      throw new DomainError('CONCURRENT_CHANGE', `${what} kept changing during ${attempts} attempts, and nothing was saved; try again`);
    }
    options.onRetry?.(result.again, n);
    await pause(n);
  }
}
