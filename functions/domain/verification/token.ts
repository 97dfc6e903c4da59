// A static shared value in a header (LearnWorlds documents its signature header this way): the
// weakest scheme — anyone who sees one request can send more — so it is for platforms that offer
// nothing else. Compared in constant time against each active secret.
import type { Verification } from '../partner-webhook-config.js';
import { constantTimeEqual, missingHeaders, type SignedRequest, type Verdict } from './verdict.js';

type TokenVerification = Extract<Verification, { scheme: 'token' }>;

export function verifyToken(v: TokenVerification, secrets: readonly string[], request: SignedRequest): Verdict {
  const missing = missingHeaders(request, [v.header]);
  if (missing) return missing;
  let value = request.headers[v.header]!.trim();
  if (v.prefix) {
    if (!value.startsWith(v.prefix)) return { ok: false, problem: `${v.header} must start with "${v.prefix}"` };
    value = value.slice(v.prefix.length);
  }
  const given = Buffer.from(value, 'utf8');
  for (const [secretIndex, secret] of secrets.entries()) {
    if (constantTimeEqual(Buffer.from(secret, 'utf8'), given)) return { ok: true, secretIndex, body: request.rawBody };
  }
  return { ok: false, problem: `${v.header} does not match this partner's token` };
}
