// The public side of Open Badges 3.0: each certificate's credential, the issuer Profile, its
// public keys, and the revocation status lists (Bitstring Status List, signed like the
// credentials). A status list is rebuilt from the index of revoked certificates on every request
// and signed only when it changed since the last one this container signed.
import { gzipSync } from 'node:zlib';
import { CERTIFICATE_ID } from '../domain/certificates.js';
import { DomainError } from '../domain/errors.js';
import { organizationFileUrl } from '../domain/organization.js';
import { issuerProfile, issuerUrls, jwtClaims, statusBits, statusListCredential } from '../domain/open-badge.js';
import { signJwt } from './jws.js';
import { readOrganization, type OrganizationDeps } from './organization.js';
import type { CertificateRecords } from './ports/certificates.js';
import type { CredentialSigner } from './ports/organization.js';
import type { Settings } from './ports/services.js';

/** The credential (compact JWS) of a certificate; the same 404 for ids that cannot exist. */
export async function getCredential(deps: { certificateRecords: CertificateRecords }, id: string): Promise<string> {
  const normalized = id.toUpperCase();
  const certificate = CERTIFICATE_ID.test(normalized) ? await deps.certificateRecords.get(normalized) : undefined;
  if (!certificate?.credentialJwt) throw new DomainError('CERTIFICATE_NOT_FOUND', `no credential for certificate ${id.slice(0, 40)}`);
  return certificate.credentialJwt;
}

export async function getIssuerProfile(deps: OrganizationDeps) {
  const organization = await readOrganization(deps);
  const { siteUrl } = deps.settings;
  return issuerProfile(siteUrl, {
    name: organization.organizationName,
    ...(organization.websiteUrl ? { url: organization.websiteUrl } : {}),
    ...(organization.supportEmail ? { email: organization.supportEmail } : {}),
    ...(organization.logo ? { imageUrl: organizationFileUrl(siteUrl, organization.logo.pngFile) } : {}),
  });
}

export async function getJwks(deps: { signer: CredentialSigner; settings: Settings }) {
  const { keyId, jwk } = await deps.signer.publicKey();
  return { keys: [{ ...jwk, kid: issuerUrls(deps.settings.siteUrl).key(keyId) }] };
}

/** The one public key a credential's `kid` names; a 404 for any other id. */
export async function getPublicKey(deps: { signer: CredentialSigner; settings: Settings }, keyId: string) {
  const { keyId: current, jwk } = await deps.signer.publicKey();
  if (keyId !== current) throw new DomainError('NOT_FOUND', `no signing key ${keyId.slice(0, 60)}`);
  return { ...jwk, kid: issuerUrls(deps.settings.siteUrl).key(current) };
}

/** Status lists served so far are numbered from 1; beyond what could exist is a 404. */
const MAX_LISTS = 10_000;
const signedLists = new Map<string, { fingerprint: string; jwt: string }>();

/** Multibase base64url (prefix `u`) of the gzip'd bitstring, as Bitstring Status List v1.0 encodes it. */
export function encodeStatusList(revoked: readonly number[]): string {
  return `u${Buffer.from(gzipSync(statusBits(revoked), { level: 9 })).toString('base64url')}`;
}

export async function getStatusList(
  deps: { certificateRecords: CertificateRecords; signer: CredentialSigner; settings: Settings },
  listParam: string,
): Promise<string> {
  const list = /^[1-9][0-9]{0,4}$/.test(listParam) ? Number(listParam) : 0;
  if (list < 1 || list > MAX_LISTS) throw new DomainError('NOT_FOUND', `no status list ${listParam.slice(0, 20)}`);
  const revoked = (await deps.certificateRecords.listRevoked(list)).sort((a, b) => a.index - b.index);
  const { siteUrl } = deps.settings;
  const { keyId } = await deps.signer.publicKey();
  const fingerprint = `${keyId} ${revoked.map((r) => r.index).join(',')}`;
  const cached = signedLists.get(`${siteUrl} ${list}`);
  if (cached?.fingerprint === fingerprint) return cached.jwt;
  // The list is as of its latest revocation, so the same set of revocations is always the same document.
  const validFrom =
    revoked
      .map((r) => r.revokedAt)
      .sort()
      .at(-1) ?? '2025-01-01T00:00:00.000Z';
  const credential = statusListCredential(siteUrl, list, encodeStatusList(revoked.map((r) => r.index)), validFrom);
  const jwt = await signJwt(deps.signer, issuerUrls(siteUrl).key, jwtClaims(credential));
  signedLists.set(`${siteUrl} ${list}`, { fingerprint, jwt });
  return jwt;
}
