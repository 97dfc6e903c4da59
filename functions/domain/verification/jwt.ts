// A JWS body checked against the partner's published JSON Web Key Set (Canvas Live Events signs
// its events this way and rotates its keys monthly). The key set is fetched and cached by the
// caller's resolver (jose's createRemoteJWKSet: an unknown key id triggers a refetch, so a rotation
// is picked up). A token must be signed with an asymmetric algorithm, unexpired, and when it says
// when it was issued, issued within 5 minutes of the server's clock either way.
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { SignedRequest, Verdict } from './verdict.js';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
export const JWT_TOLERANCE_SECONDS = 300;

/** The partner's key set could not be fetched: nothing is wrong with the delivery, so it is not stored; the partner retries. */
export class KeySetUnavailable extends Error {
  override readonly name = 'KeySetUnavailable';
}

export async function verifyJwt(keys: JWTVerifyGetKey, request: SignedRequest, now: Date): Promise<Verdict> {
  const token = request.rawBody.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    return { ok: false, problem: 'the body is not a signed JWT (a JWS in compact serialization)' };
  }
  try {
    const { payload } = await jwtVerify(token, keys, { algorithms: ALGORITHMS, currentDate: now, clockTolerance: 5 });
    if (typeof payload.iat === 'number') {
      const skew = now.getTime() / 1000 - payload.iat;
      if (skew > JWT_TOLERANCE_SECONDS) return { ok: false, problem: 'the JWT was issued (iat) more than 5 minutes ago' };
      if (-skew > JWT_TOLERANCE_SECONDS) return { ok: false, problem: 'the JWT is issued (iat) more than 5 minutes in the future' };
    }
    return { ok: true, body: JSON.stringify(payload) };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, problem: 'the JWT has expired (exp)' };
    if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, problem: `the JWT's ${error.claim} claim is not valid now` };
    if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, problem: "no key in the partner's JWKS matches the JWT's key id" };
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return { ok: false, problem: "the JWT's signature does not match the partner's keys" };
    if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, problem: 'the JWT is not signed with an asymmetric algorithm' };
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof TypeError) {
      throw new KeySetUnavailable(`the partner's JWKS could not be read: ${error.message}`);
    }
    if (error instanceof errors.JOSEError) return { ok: false, problem: `the body is not a valid signed JWT (${error.code})` };
    throw error;
  }
}
