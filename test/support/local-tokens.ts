// Tokens signed with local mode's own key, shaped as a test needs them (an ID token, another app
// client's token, admin claims broken in one way…), to exercise the emulated JWT authorizer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, importJWK, type JWK, type JWTPayload } from 'jose';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, LOCAL_KEY_ID } from '../../local/auth.js';

/** Local mode's signing key (private) and its public half, as local mode stores them. */
export async function localKey(dataDir: string) {
  const jwk = JSON.parse(readFileSync(join(dataDir, 'local-auth-key.json'), 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = jwk;
  return { privateKey: await importJWK(jwk, 'ES256'), publicJwk };
}

/** Claims of a Cognito ID token for this app client: `aud` instead of `client_id`, `token_use: id`. */
export const idTokenClaims = (email: string, groups: string[] = []): JWTPayload => ({
  email,
  email_verified: false,
  'cognito:groups': groups,
  token_use: 'id',
  aud: LOCAL_CLIENT_ID,
});

/** Signs claims with local mode's key, valid for an hour unless the claims say otherwise. */
export async function signWithLocalKey(dataDir: string, claims: JWTPayload & { sub?: string }) {
  const { privateKey } = await localKey(dataDir);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: LOCAL_ISSUER, iat: now, exp: now + 3600, sub: 'test-user', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: LOCAL_KEY_ID })
    .sign(privateKey);
}
