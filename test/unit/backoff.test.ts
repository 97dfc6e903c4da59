// The one jittered backoff used between attempts that collided with concurrent writers.
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../functions/use-cases/backoff.js';

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
