// Local mode's stand-in for Cognito: tokens shaped like Cognito access tokens (sub, email,
// cognito:groups, token_use, client_id), signed with a key kept in the data dir, and verified the
// way API Gateway's JWT authorizer verifies Cognito's: the key by `kid`, the algorithm, the issuer,
// `exp`, and the audience (`aud` when the token has one, else `client_id`, against the app client
// id). Like API Gateway it does not look at `token_use`: a Cognito ID token of the app client
// passes (its `aud` is the client id), and the handlers refuse it (functions/http/handler.ts).
// Issuing (`iat`, `exp`) and checking `exp` both read local mode's clock, so a token issued after
// the clock was moved (POST /api/dev/clock) verifies, and one issued before a move longer than its
// 12 hours has expired, as it would have had that much time passed.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
import { uuidShapedHash } from '../functions/domain/hashed-id.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { foldEmail } from '../functions/domain/email.js';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { systemClock } from '../functions/wiring.js';
import type { AdminDirectory, Clock } from '../functions/use-cases/ports/services.js';

const ALGORITHM = 'ES256';
export const LOCAL_ISSUER = 'baton-local';
/** The one app client local tokens are for: the authorizer's audience. */
export const LOCAL_CLIENT_ID = 'baton-local-site';
export const LOCAL_KEY_ID = 'baton-local';
const TOKEN_HOURS = 12;

/** Local mode's users are its admin directory too: the admins are the demo users given the admin group. */
export interface LocalAuth extends AdminDirectory {
  issue(email: string): Promise<{ token: string; expiresAt: string; groups: string[] }>;
  /** The verified claims, or why the token is rejected (API Gateway's `error_description`). */
  verify(token: string): Promise<{ claims: JWTPayload } | { error: string }>;
}

export async function createLocalAuth(
  keyFile: string,
  adminEmails: readonly string[],
  clock: Clock = systemClock,
  viewerEmails: readonly string[] = [],
): Promise<LocalAuth> {
  const { privateKey, publicJwk } = await loadOrCreateKey(keyFile);
  const keySet = createLocalJWKSet({ keys: [{ ...publicJwk, kid: LOCAL_KEY_ID, alg: ALGORITHM, use: 'sig' }] });
  const admins = new Set(adminEmails.map(foldEmail));
  const viewers = new Set(viewerEmails.map(foldEmail));
  return {
    adminEmails: async () => [...admins],
    async issue(rawEmail) {
      const email = foldEmail(rawEmail.trim());
      const groups = admins.has(email) ? ['admin'] : viewers.has(email) ? ['viewer'] : [];
      const issuedAt = Math.floor(clock.now().getTime() / 1000);
      const expires = issuedAt + TOKEN_HOURS * 3600;
      const token = await new SignJWT({
        email,
        'cognito:groups': groups,
        token_use: 'access',
        scope: 'openid email profile',
        client_id: LOCAL_CLIENT_ID,
        username: email,
      })
        .setProtectedHeader({ alg: ALGORITHM, kid: LOCAL_KEY_ID })
        .setSubject(subjectFor(email))
        .setIssuer(LOCAL_ISSUER)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expires)
        .sign(privateKey);
      return { token, expiresAt: new Date(expires * 1000).toISOString(), groups };
    },
    async verify(token) {
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, keySet, {
          algorithms: [ALGORITHM],
          issuer: LOCAL_ISSUER,
          requiredClaims: ['exp'],
          currentDate: clock.now(),
        }));
      } catch (error) {
        return { error: error instanceof Error ? error.message : 'invalid token' };
      }
      if (!audienceMatches(claims)) return { error: 'the token does not have a valid audience' };
      return { claims };
    },
  };
}

/** API Gateway evaluates `aud` when present and `client_id` only when it is not. */
function audienceMatches(claims: JWTPayload): boolean {
  const audience = claims.aud ?? claims.client_id;
  return Array.isArray(audience) ? audience.includes(LOCAL_CLIENT_ID) : audience === LOCAL_CLIENT_ID;
}

/** A stable, UUID-shaped subject per email, as Cognito gives each user one. */
function subjectFor(email: string): string {
  return uuidShapedHash(`baton-local-user:${email}`);
}

async function loadOrCreateKey(keyFile: string) {
  if (existsSync(keyFile)) {
    const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
    const { d: _private, ...publicJwk } = jwk;
    return { privateKey: await importJWK(jwk, ALGORITHM), publicJwk };
  }
  const pair = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(pair.privateKey);
  writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  const { d: _private, ...publicJwk } = jwk;
  return { privateKey: pair.privateKey, publicJwk };
}
