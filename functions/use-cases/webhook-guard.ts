// The webhook function's own defence against junk aimed at one partner's URL, before any I/O:
// each partner id has a token bucket, kept in the warm function, that only rejected requests
// (unknown or disabled partner, failed verification) draw from. While a partner's bucket is
// empty, requests for that partner are refused with 429 at once — no DynamoDB read, no
// verification — and every other partner is served as before. Valid deliveries cost no token.
// (API Gateway's route throttle is still shared by every partner; the optional WAF rule in
// docs/partners.md limits each partner's URL before the gateway.)
import { DomainError } from '../domain/errors.js';

export interface GuardOptions {
  /** Rejections a partner id may accumulate at once. */
  burst: number;
  /** Tokens given back per second. */
  refillPerSecond: number;
  /** Partner ids tracked at most (the least recently seen are forgotten first), so junk ids cannot fill memory. */
  maxTracked: number;
}

export const DEFAULT_GUARD: GuardOptions = { burst: 20, refillPerSecond: 1, maxTracked: 1000 };

export class WebhookGuard {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: GuardOptions = DEFAULT_GUARD,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Throws RATE_LIMITED while the partner's bucket is empty. */
  admit(partnerId: string): void {
    const bucket = this.refilled(partnerId);
    if (bucket && bucket.tokens < 1) {
      const wait = Math.ceil((1 - bucket.tokens) / this.options.refillPerSecond);
      throw new DomainError(
        'RATE_LIMITED',
        `too many rejected requests for partner "${partnerId}"; this URL is refused for about ${wait} s (other partners are not affected)`,
        { retryAfterSeconds: wait },
      );
    }
  }

  /** A rejected request for this partner id: one token less. */
  reject(partnerId: string): void {
    const bucket = this.refilled(partnerId) ?? { tokens: this.options.burst, at: this.now() };
    bucket.tokens -= 1;
    this.buckets.delete(partnerId);
    this.buckets.set(partnerId, bucket);
    if (this.buckets.size > this.options.maxTracked) this.buckets.delete(this.buckets.keys().next().value!);
  }

  private refilled(partnerId: string) {
    const bucket = this.buckets.get(partnerId);
    if (!bucket) return undefined;
    const now = this.now();
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond);
    bucket.at = now;
    return bucket;
  }
}
