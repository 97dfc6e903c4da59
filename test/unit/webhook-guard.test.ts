// The webhook function's per-partner guard: rejected requests for one partner id drain that id's
// bucket only; while it is empty the id is refused (RATE_LIMITED, with how long to wait) before
// any I/O, other ids are admitted, and time gives tokens back. The clock is injected, so no sleeps.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import { WebhookGuard } from '../../functions/use-cases/webhook-guard.js';

function guarded(options = { burst: 3, refillPerSecond: 1, maxTracked: 2 }) {
  let now = 0;
  const guard = new WebhookGuard(options, () => now);
  return { guard, advance: (ms: number) => void (now += ms) };
}

const refusal = (admit: () => void) => {
  try {
    admit();
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
};

describe('the per-partner webhook guard', () => {
  it('admits a partner until its rejections use up the burst, then refuses it with how long to wait', () => {
    const { guard } = guarded();
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => guard.admit('acme'))).toBeUndefined();
      guard.reject('acme');
    }
    expect(refusal(() => guard.admit('acme'))).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('partner "acme"'),
      details: { retryAfterSeconds: 1 },
    });
  });

  it('leaves every other partner admitted while one is refused', () => {
    const { guard } = guarded();
    for (let i = 0; i < 3; i++) guard.reject('acme');
    expect(refusal(() => guard.admit('acme'))?.code).toBe('RATE_LIMITED');
    expect(refusal(() => guard.admit('hsi'))).toBeUndefined();
  });

  it('gives tokens back over time', () => {
    const { guard, advance } = guarded();
    for (let i = 0; i < 3; i++) guard.reject('acme');
    advance(500);
    expect(refusal(() => guard.admit('acme'))?.code).toBe('RATE_LIMITED');
    advance(600);
    expect(refusal(() => guard.admit('acme'))).toBeUndefined();
  });

  it('costs nothing for admitted requests: only rejections draw tokens', () => {
    const { guard } = guarded();
    for (let i = 0; i < 100; i++) guard.admit('acme');
    expect(refusal(() => guard.admit('acme'))).toBeUndefined();
  });

  it('forgets the least recently rejected ids beyond maxTracked, so junk ids cannot fill memory', () => {
    const { guard } = guarded();
    for (let i = 0; i < 3; i++) guard.reject('acme');
    guard.reject('junk-1');
    guard.reject('junk-2');
    // acme was pushed out by two newer ids: it starts again with a full bucket.
    expect(refusal(() => guard.admit('acme'))).toBeUndefined();
  });
});
