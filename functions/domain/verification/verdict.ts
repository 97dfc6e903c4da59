// What every verification scheme takes and answers. A verdict that fails says why, in words the
// partner's integration engineer can act on; it never contains a secret or an expected signature.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export type Verdict =
  /** `body` is what was verified, to be read: the raw body, or a JWS's payload. `secretIndex`: which secret matched. */
  { ok: true; body: string; secretIndex?: number } | { ok: false; problem: string };

/** A failed verdict naming the missing headers, or undefined when all are there. */
export function missingHeaders(request: SignedRequest, names: readonly string[]): Verdict | undefined {
  const missing = names.filter((name) => !request.headers[name]);
  return missing.length > 0 ? { ok: false, problem: `missing ${missing.join(', ')} header` } : undefined;
}

/** Constant-time equality of two byte strings of any lengths (compared as SHA-256 digests, which have one length). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const digest = (value: Uint8Array) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}
