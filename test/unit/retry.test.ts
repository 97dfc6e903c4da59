// The one retry policy: jittered backoff between attempts that found their state changed or
// collided with concurrent writers, one bound on attempts in all.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import { MAX_ATTEMPTS, WriteContention, backoffDelayMs, retrying } from '../../functions/use-cases/retry.js';

describe('backoffDelayMs', () => {
  it('waits a random share of a ceiling that doubles per attempt: 20 ms, 40 ms, … 640 ms', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, () => 1));
    expect(ceilings).toEqual([20, 40, 80, 160, 320, 640]);
    expect(backoffDelayMs(3, () => 0.5)).toBe(40);
    expect(backoffDelayMs(3, () => 0)).toBe(0);
  });

  it('stops doubling after the sixth attempt', () => {
    expect(backoffDelayMs(7, () => 1)).toBe(640);
    expect(backoffDelayMs(50, () => 1)).toBe(640);
  });
});

describe('retrying', () => {
  it('decides again after a conflict or a write that collided, and returns what the attempt that got through decided', async () => {
    const seen: number[] = [];
    const result = await retrying('the test', async (n) => {
      seen.push(n);
      if (n === 1) return { again: 'stale' };
      if (n === 2) throw new WriteContention('a write');
      return { done: 'saved' };
    });
    expect(result).toBe('saved');
    expect(seen).toEqual([1, 2, 3]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts in all with CONCURRENT_CHANGE, saying nothing was saved`, async () => {
    let attempts = 0;
    const error = await retrying('enrollment e-1', async () => {
      attempts++;
      return { again: 'stale' };
    }).catch((e: unknown) => e);
    expect(attempts).toBe(MAX_ATTEMPTS);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONCURRENT_CHANGE');
    expect((error as DomainError).message).toMatch(/^enrollment e-1 kept changing during 8 attempts, and nothing was saved/);
  });

  it('lets any other error through at once', async () => {
    let attempts = 0;
    await expect(
      retrying('x', async () => {
        attempts++;
        throw new TypeError('a bug');
      }),
    ).rejects.toBeInstanceOf(TypeError);
    expect(attempts).toBe(1);
  });
});
