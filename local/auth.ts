// Local mode's stand-in for Cognito: tokens shaped like Cognito access tokens (sub, email,
// cognito:groups), signed with a key kept in the data dir, and verified the way API Gateway's
// JWT authorizer verifies Cognito's (signature, algorithm, issuer, expiry).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';

const ALGORITHM = 'ES256';
export const LOCAL_ISSUER = 'baton-local';
const TOKEN_HOURS = 12;

export interface LocalAuth {
  issue(email: string): Promise<{ token: string; expiresAt: string; groups: string[] }>;
  /** The verified claims, or why the token is rejected. */
  verify(token: string): Promise<{ claims: JWTPayload } | { error: string }>;
}

export async function createLocalAuth(keyFile: string, adminEmails: readonly string[]): Promise<LocalAuth> {
  const { privateKey, publicKey } = await loadOrCreateKey(keyFile);
  const admins = new Set(adminEmails.map((e) => e.toLowerCase()));
  return {
    async issue(rawEmail) {
      const email = rawEmail.trim().toLowerCase();
      const groups = admins.has(email) ? ['admin'] : [];
      const expires = Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600;
      const token = await new SignJWT({
        email,
        'cognito:groups': groups,
        token_use: 'access',
        scope: 'openid email profile',
        client_id: 'baton-local',
        username: email,
      })
        .setProtectedHeader({ alg: ALGORITHM, kid: 'baton-local' })
        .setSubject(subjectFor(email))
        .setIssuer(LOCAL_ISSUER)
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(privateKey);
      return { token, expiresAt: new Date(expires * 1000).toISOString(), groups };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, { algorithms: [ALGORITHM], issuer: LOCAL_ISSUER });
        return { claims: payload };
      } catch (error) {
        return { error: error instanceof Error ? error.message : 'invalid token' };
      }
    },
  };
}

/** A stable, UUID-shaped subject per email, as Cognito gives each user one. */
function subjectFor(email: string): string {
  const h = createHash('sha256').update(`baton-local-user:${email}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

async function loadOrCreateKey(keyFile: string) {
  if (existsSync(keyFile)) {
    const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
    const { d: _private, ...publicJwk } = jwk;
    return { privateKey: await importJWK(jwk, ALGORITHM), publicKey: await importJWK(publicJwk, ALGORITHM) };
  }
  const pair = await generateKeyPair(ALGORITHM, { extractable: true });
  writeFileSync(keyFile, JSON.stringify(await exportJWK(pair.privateKey)), { mode: 0o600 });
  return pair;
}
