// Open Badges 3.0: every certificate is also an OpenBadgeCredential (VC Data Model 2.0 with the
// OB 3.0 context), secured with OB 3.0's JSON Web Token proof format. This module builds the
// documents (credential, issuer Profile, status list credential) and the JWT claims; signing is a
// port (CredentialSigner), so nothing here does I/O. Every URL is under the site's /api/issuer.
import { createHash } from 'node:crypto';
import { credentialUrl, type Certificate } from './certificates.js';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB_SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/**
 * Bits per revocation status list: the Bitstring Status List minimum (16 KB before compression),
 * so a list never tells how many credentials there are.
 */
export const STATUS_LIST_SIZE = 131_072;

/** Where the n-th certificate's bit is: list 1 holds the first STATUS_LIST_SIZE certificates. */
export function statusListPosition(statusListIndex: number): { list: number; index: number } {
  return { list: Math.floor(statusListIndex / STATUS_LIST_SIZE) + 1, index: statusListIndex % STATUS_LIST_SIZE };
}

/** The issuer's public URLs (`siteUrl` without a trailing slash). */
export function issuerUrls(siteUrl: string) {
  return {
    issuerId: `${siteUrl}/api/issuer`,
    jwks: `${siteUrl}/api/issuer/jwks`,
    key: (keyId: string) => `${siteUrl}/api/issuer/keys/${keyId}`,
    statusList: (list: number) => `${siteUrl}/api/issuer/status/${list}`,
    achievement: (programId: string) => `${siteUrl}/api/issuer#achievement-${programId}`,
  };
}

/** A stable, opaque subject id for a student (no email or name in it): a UUID-shaped hash of the student id. */
export function subjectId(studentId: string): string {
  const hex = createHash('sha256').update(`baton-subject:${studentId}`).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const emailHash = (email: string, salt: string) => `sha256$${createHash('sha256').update(`${email}${salt}`, 'utf8').digest('hex')}`;

/** The OB 3.0 credential of a certificate (unsigned). */
export function openBadgeCredential(certificate: Certificate, siteUrl: string, statusListIndex: number): Record<string, unknown> {
  const urls = issuerUrls(siteUrl);
  const issuer = certificate.issuer;
  const courses = certificate.courses ?? [];
  const { list, index } = statusListPosition(statusListIndex);
  const courseList = courses.map((c) => `${c.courseName} (${c.partnerName})`).join('; ');
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: credentialUrl(siteUrl, certificate.id),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${certificate.programName} certificate`,
    description: `Certificate ${certificate.id}: ${certificate.studentName} completed ${certificate.programName}.`,
    issuer: {
      id: urls.issuerId,
      type: ['Profile'],
      name: issuer?.name ?? 'Baton',
      ...(issuer?.url ? { url: issuer.url } : {}),
      ...(issuer?.email ? { email: issuer.email } : {}),
    },
    validFrom: certificate.issuedAt,
    ...(certificate.expiresAt ? { validUntil: certificate.expiresAt } : {}),
    credentialSubject: {
      id: subjectId(certificate.studentId),
      type: ['AchievementSubject'],
      activityEndDate: certificate.completedAt,
      identifier: [
        { type: 'IdentityObject', hashed: false, identityHash: certificate.studentName, identityType: 'name' },
        {
          type: 'IdentityObject',
          hashed: true,
          identityHash: emailHash(certificate.studentEmail, certificate.id),
          identityType: 'emailAddress',
          salt: certificate.id,
        },
      ],
      achievement: {
        id: urls.achievement(certificate.programId),
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: certificate.programName,
        description: `The ${certificate.programName} program${courses.length ? `: ${courseList}` : ''}.`,
        criteria: {
          narrative: `Complete every required course of the ${certificate.programName} program${courses.length ? ` (${courseList})` : ''}.`,
        },
        creator: { id: urls.issuerId, type: ['Profile'], name: issuer?.name ?? 'Baton' },
      },
    },
    evidence: courses.map((c) => ({
      type: ['Evidence'],
      name: c.courseName,
      description: `Completed at ${c.partnerName} on ${c.completedAt.slice(0, 10)}`,
    })),
    credentialStatus: {
      id: `${urls.statusList(list)}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: urls.statusList(list),
    },
    credentialSchema: [{ id: OB_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

/** OB 3.0's JWT proof format: the credential plus iss/jti/nbf/sub (and exp) taken from it. */
export function jwtClaims(credential: Record<string, unknown>): Record<string, unknown> {
  const seconds = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000);
  const subject = credential.credentialSubject as { id?: string } | undefined;
  const issuer = credential.issuer as { id: string } | string;
  return {
    ...credential,
    iss: typeof issuer === 'string' ? issuer : issuer.id,
    jti: credential.id,
    nbf: seconds(credential.validFrom),
    ...(subject?.id ? { sub: subject.id } : {}),
    ...(credential.validUntil ? { exp: seconds(credential.validUntil) } : {}),
  };
}

/** The issuer's OB 3.0 Profile, from the organization's current settings. */
export function issuerProfile(
  siteUrl: string,
  organization: { name: string; url?: string; email?: string; imageUrl?: string },
): Record<string, unknown> {
  const urls = issuerUrls(siteUrl);
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: urls.issuerId,
    type: ['Profile'],
    name: organization.name,
    ...(organization.url ? { url: organization.url } : {}),
    ...(organization.email ? { email: organization.email } : {}),
    ...(organization.imageUrl ? { image: { id: organization.imageUrl, type: 'Image', caption: `${organization.name} logo` } } : {}),
    description: `${organization.name} issues its certificates as Open Badges 3.0 credentials. Public keys: ${urls.jwks}`,
  };
}

/** The status list credential (Bitstring Status List v1.0) of one list; `encodedList` is the gzip'd, multibase bitstring. */
export function statusListCredential(siteUrl: string, list: number, encodedList: string, validFrom: string): Record<string, unknown> {
  const urls = issuerUrls(siteUrl);
  return {
    '@context': [VC_CONTEXT],
    id: urls.statusList(list),
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: urls.issuerId,
    validFrom,
    credentialSubject: { id: `${urls.statusList(list)}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
  };
}

/** The bitstring of a list: bit `i` (the leftmost bit of byte 0 is bit 0) set for each revoked index. */
export function statusBits(revokedIndexes: readonly number[]): Uint8Array {
  const bits = new Uint8Array(STATUS_LIST_SIZE / 8);
  for (const i of revokedIndexes) bits[i >> 3]! |= 0x80 >> (i & 7);
  return bits;
}
