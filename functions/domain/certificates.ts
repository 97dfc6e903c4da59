// Certificate identity and contents. The id is derived from the enrollment, so however many
// times the workflow's certificate task runs, one enrollment has one certificate.
import { createHash } from 'node:crypto';

export interface Certificate {
  id: string;
  enrollmentId: string;
  studentId: string;
  studentName: string;
  studentEmail: string;
  programId: string;
  programName: string;
  /** Display names of the partners whose courses the student completed, in program order. */
  partners: string[];
  completedAt: string;
  issuedAt: string;
  status: 'valid' | 'revoked';
  revokedAt?: string;
  revokedReason?: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short, readable, unguessable id (80 bits of a hash of the random enrollment id). */
export function certificateIdFor(enrollmentId: string): string {
  const digest = createHash('sha256').update(`baton-certificate:${enrollmentId}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 16; i++) {
    id = CROCKFORD[Number(bits & 31n)] + id;
    bits >>= 5n;
  }
  return `${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8, 12)}-${id.slice(12)}`;
}

export const CERTIFICATE_ID = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

/** Certificate PDFs live under this key prefix (infra grants access to exactly these objects). */
export const CERTIFICATE_OBJECT_PREFIX = 'certificates/';
export const certificateObjectKey = (certificateId: string) => `${CERTIFICATE_OBJECT_PREFIX}${certificateId}.pdf`;

/** `siteUrl` has no trailing slash (Settings.siteUrl). */
export function verifyUrl(siteUrl: string, certificateId: string): string {
  return `${siteUrl}/verify/${certificateId}`;
}
