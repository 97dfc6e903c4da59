// Compact JWS (RFC 7515) for Open Badges 3.0's JWT proof format: the header and payload are
// base64url JSON, the signature comes from the CredentialSigner port (RS256). Baton builds the
// JWS itself so the signing key can stay in KMS; tests verify what it builds with jose.
import { createHash } from 'node:crypto';
import type { CredentialSigner } from './ports/organization.js';

const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** RFC 7638: the SHA-256 of the required members in lexicographic order. */
export function jwkThumbprint(jwk: { e?: string; kty?: string; n?: string }): string {
  return createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
}

/** A compact JWS of `payload`, with `kid` the URL of the public key. */
export async function signJwt(signer: CredentialSigner, keyUrl: (keyId: string) => string, payload: unknown): Promise<string> {
  const { keyId } = await signer.publicKey();
  const header = { alg: 'RS256', typ: 'JWT', kid: keyUrl(keyId) };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = await signer.sign(new TextEncoder().encode(input));
  return `${input}.${base64url(signature)}`;
}
