// Reads an issued Open Badges 3.0 credential the way an employer's wallet or verifier would, and
// checks all of it: 1EdTech's published AchievementCredential schema, the JWT proof format's claims
// against the credential's fields, and the signature with jose (Baton signs without jose) against
// the key its `kid` URL serves, which the published JWKS lists. One check for every credential the
// tests issue: with and without an expiry, a renewal's, a revoked one read again.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import type { TestBaton } from './test-baton.js';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/ob3/${name}`, import.meta.url), 'utf8'));
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats.default(ajv);
export const validateCredential = ajv.compile(schema('ob3-achievementcredential.schema.json'));
export const validateProfile = ajv.compile(schema('ob3-profile.schema.json'));

/** A Bitstring Status List is at least 131,072 entries (16 KB), so one entry says nothing about the others. */
const STATUS_LIST_BITS = 131_072;

export type Credential = Record<string, any>;

/** Verifies a compact JWS with the key its `kid` dereferences to; `at` is the verifier's clock. */
export async function verifyJws(baton: TestBaton, jws: string, at: Date): Promise<JWTPayload> {
  const { kid, alg } = decodeProtectedHeader(jws);
  expect(alg).toBe('RS256');
  expect(kid).toMatch(new RegExp(`^${baton.url}/api/issuer/keys/`));
  const jwk = (await (await fetch(kid!)).json()) as Record<string, unknown>;
  expect(jwk).not.toHaveProperty('d');
  const jwks = (await baton.api('GET', '/api/issuer/jwks')).body as { keys: Array<Record<string, unknown>> };
  expect(jwks.keys.map((k) => k.kid)).toContain(kid);
  const { payload } = await jwtVerify(jws, await importJWK(jwk as never, 'RS256'), { currentDate: at });
  return payload;
}

/**
 * The certificate's credential, downloaded as the student does (text/plain), checked whole: its
 * signature at `at`, the schema, and the JWT claims that must equal the credential's own fields.
 */
export async function readCredential(baton: TestBaton, certificateId: string, at: Date): Promise<{ jws: string; credential: Credential }> {
  const response = await fetch(`${baton.url}/api/certificates/${certificateId}/credential`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const jws = await response.text();
  expect(jws.split('.')).toHaveLength(3);
  const payload = await verifyJws(baton, jws, at);
  validateCredential(payload);
  expect(validateCredential.errors ?? [], JSON.stringify(validateCredential.errors)).toEqual([]);
  const credential = payload as Credential;
  expect(credential['@context']).toEqual([
    'https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  ]);
  expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
  expect(payload.iss).toBe(credential.issuer.id);
  expect(payload.jti).toBe(credential.id);
  expect(payload.sub).toBe(credential.credentialSubject.id);
  expect(payload.nbf).toBe(Math.floor(Date.parse(credential.validFrom) / 1000));
  // `exp` exactly when the credential expires.
  expect(payload.exp).toBe(credential.validUntil === undefined ? undefined : Math.floor(Date.parse(credential.validUntil) / 1000));
  return { jws, credential };
}

/** Whether the (signed) status list the credential names has its entry set: revoked. */
export async function revokedInStatusList(baton: TestBaton, credential: Credential, at: Date): Promise<boolean> {
  const status = credential.credentialStatus;
  expect(status.statusPurpose).toBe('revocation');
  const list = await fetch(status.statusListCredential).then((r) => r.text());
  const payload = await verifyJws(baton, list, at);
  expect(payload.type).toContain('BitstringStatusListCredential');
  const encoded = (payload.credentialSubject as { encodedList: string }).encodedList;
  expect(encoded.startsWith('u')).toBe(true);
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  expect(bits.length).toBe(STATUS_LIST_BITS / 8);
  const index = Number(status.statusListIndex);
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
