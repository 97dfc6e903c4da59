// Checks a certificate's Open Badges 3.0 credential in the browser, as any verifier would and
// without trusting Baton's API: the compact JWS's RS256 signature against the public key its
// `kid` names (only a key of this site's issuer is accepted), its claims against the credential
// (iss, jti, sub, nbf, exp), and its revocation bit in the signed Bitstring Status List.
export interface CredentialCheck {
  /** The signature is the issuer's and the claims match the credential. */
  verified: boolean;
  /** The status list, itself verified, has the credential's bit set. */
  revoked?: boolean;
  problem?: string;
  issuerName?: string;
  keyId?: string;
}

const decodeBase64Url = (value: string) => Uint8Array.from(atob(value.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
/** The parts of a credential (or status list) payload this check reads. */
interface Payload {
  iss?: string;
  jti?: string;
  sub?: string;
  nbf?: number;
  exp?: number;
  id?: string;
  validFrom: string;
  validUntil?: string;
  issuer?: { id?: string; name?: string };
  credentialSubject?: { id?: string; encodedList?: string };
  credentialStatus?: { statusListCredential?: string; statusListIndex?: string };
}

const decodeJson = <T>(value: string) => JSON.parse(new TextDecoder().decode(decodeBase64Url(value))) as T;

/** Verifies a JWS with the key its kid names, fetched from this site's issuer; returns its payload. */
async function verifyJws(jws: string, fetchText: (path: string) => Promise<string>, origin: string) {
  const [header, payload, signature] = jws.trim().split('.');
  if (!header || !payload || !signature) throw new Error('the credential is not a compact JWS');
  const protectedHeader = decodeJson<{ alg?: unknown; kid?: unknown }>(header);
  if (protectedHeader.alg !== 'RS256') throw new Error(`unexpected algorithm ${String(protectedHeader.alg)}`);
  const keyPrefix = `${origin}/api/issuer/keys/`;
  if (typeof protectedHeader.kid !== 'string' || !protectedHeader.kid.startsWith(keyPrefix))
    throw new Error('the credential names a key of another issuer');
  const jwk = JSON.parse(await fetchText(protectedHeader.kid.slice(origin.length))) as JsonWebKey;
  if ('d' in jwk) throw new Error('the published key holds a private part');
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: jwk.kty, n: jwk.n, e: jwk.e },
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const valid = await crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    key,
    decodeBase64Url(signature),
    new TextEncoder().encode(`${header}.${payload}`),
  );
  if (!valid) throw new Error('the signature does not match the issuer’s key');
  return { payload: decodeJson<Payload>(payload), keyId: protectedHeader.kid.slice(keyPrefix.length) };
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function checkCredential(
  jws: string,
  expected: { certificateId: string; credentialUrl: string },
  fetchText: (path: string) => Promise<string>,
  origin = window.location.origin,
): Promise<CredentialCheck> {
  try {
    const { payload, keyId } = await verifyJws(jws, fetchText, origin);
    const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    const claimsMatch =
      payload.iss === payload.issuer?.id &&
      payload.jti === payload.id &&
      payload.id === expected.credentialUrl &&
      payload.sub === payload.credentialSubject?.id &&
      payload.nbf === seconds(payload.validFrom) &&
      (payload.validUntil ? payload.exp === seconds(payload.validUntil) : payload.exp === undefined);
    if (!claimsMatch) return { verified: false, problem: 'its claims do not match the credential' };
    const status = payload.credentialStatus;
    let revoked: boolean | undefined;
    if (status?.statusListCredential?.startsWith(`${origin}/api/issuer/status/`)) {
      const list = await verifyJws(await fetchText(status.statusListCredential.slice(origin.length)), fetchText, origin);
      const encoded = list.payload.credentialSubject?.encodedList ?? '';
      const bits = await gunzip(decodeBase64Url(encoded.slice(1)));
      const index = Number(status.statusListIndex);
      revoked = (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
    }
    return { verified: true, ...(revoked !== undefined ? { revoked } : {}), issuerName: payload.issuer?.name ?? '', keyId };
  } catch (error) {
    return { verified: false, problem: error instanceof Error ? error.message : String(error) };
  }
}
