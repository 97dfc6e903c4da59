// The one entry to a partner's verification scheme: which module checks a delivery.
import type { JWTVerifyGetKey } from 'jose';
import type { Verification } from '../partner-webhook-config.js';
import { verifyHmac } from './hmac.js';
import { verifyJwt } from './jwt.js';
import { verifyStandardWebhooks } from './standard-webhooks.js';
import { verifyToken } from './token.js';
import type { SignedRequest, Verdict } from './verdict.js';

export type { SignedRequest, Verdict } from './verdict.js';

export interface VerifyContext {
  /** The receiving server's clock (timestamped HMACs and JWTs). Standard Webhooks reads the real clock itself. */
  now: Date;
  /** The key set of a JWKS URL (cached by the adapter behind it). */
  jwks: (url: string) => JWTVerifyGetKey;
}

export async function verifyDelivery(
  verification: Verification,
  secrets: readonly string[],
  request: SignedRequest,
  context: VerifyContext,
): Promise<Verdict> {
  switch (verification.scheme) {
    case 'standard-webhooks':
      return verifyStandardWebhooks(secrets, request);
    case 'hmac-sha256':
      return verifyHmac(verification, secrets, request, context.now);
    case 'token':
      return verifyToken(verification, secrets, request);
    case 'jwt':
      return verifyJwt(context.jwks(verification.jwksUrl), request, context.now);
  }
}
