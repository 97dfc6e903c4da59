// An HMAC-SHA256 in a header, as most learning platforms sign (Thinkific: hex of the body;
// Northpass: base64 of the body; LearnHouse: "sha256=<hex>"), optionally over
// "{timestamp}.{body}" with a timestamp header and a tolerance, which makes a replay expire.
// The key is the secret as its UTF-8 bytes (platforms hand out a string: an API key, an app secret).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Verification } from '../partner-webhook-config.js';
import { missingHeaders, type SignedRequest, type Verdict } from './verdict.js';

type HmacVerification = Extract<Verification, { scheme: 'hmac-sha256' }>;

const ENCODED = { hex: /^[0-9a-fA-F]{64}$/, base64: /^[A-Za-z0-9+/]{43}=$/ } as const;

export function verifyHmac(v: HmacVerification, secrets: readonly string[], request: SignedRequest, now: Date): Verdict {
  const timed = v.signedContent === 'timestamp.body';
  const missing = missingHeaders(request, timed ? [v.header, v.timestampHeader!] : [v.header]);
  if (missing) return missing;
  let value = request.headers[v.header]!.trim();
  if (v.prefix) {
    if (!value.startsWith(v.prefix)) return { ok: false, problem: `${v.header} must start with "${v.prefix}"` };
    value = value.slice(v.prefix.length);
  }
  if (!ENCODED[v.encoding].test(value)) {
    return { ok: false, problem: `${v.header} is not a ${v.encoding}-encoded HMAC-SHA256 signature` };
  }
  const given = Buffer.from(value, v.encoding);
  let content = request.rawBody;
  if (timed) {
    const stamp = request.headers[v.timestampHeader!]!.trim();
    if (!/^\d{1,12}$/.test(stamp)) return { ok: false, problem: `${v.timestampHeader} is not a unix time in seconds` };
    const skew = now.getTime() / 1000 - Number(stamp);
    if (skew > v.toleranceSeconds) return { ok: false, problem: `${v.timestampHeader} is more than ${v.toleranceSeconds} seconds old` };
    if (-skew > v.toleranceSeconds) {
      return { ok: false, problem: `${v.timestampHeader} is more than ${v.toleranceSeconds} seconds in the future` };
    }
    content = `${stamp}.${request.rawBody}`;
  }
  for (const [secretIndex, secret] of secrets.entries()) {
    const expected = createHmac('sha256', secret).update(content, 'utf8').digest();
    if (timingSafeEqual(expected, given)) return { ok: true, secretIndex, body: request.rawBody };
  }
  return { ok: false, problem: `no ${v.header} signature matches this partner's secret` };
}
