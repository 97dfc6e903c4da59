// Certificate identity and contents. The id is derived from the enrollment, so however many
// times the workflow's certificate task runs, one enrollment has one certificate.
import { createHash } from 'node:crypto';

/** A course the certificate lists: what was completed, where and when. */
export interface CertificateCourse {
  partnerId: string;
  partnerName: string;
  courseId: string;
  courseName: string;
  completedAt: string;
}

/** Who issued the certificate, as the organization's settings were when it was issued (the PDF and credential show this). */
export interface CertificateIssuer {
  name: string;
  url?: string;
  email?: string;
  /** The logo's PNG rendition and the signatory's signature image (files of the organization's store). */
  logoFile?: string;
  signatory?: { name: string; title: string; signatureFile?: string };
}

/** A reminder email before expiry, at `daysBefore` days: claimed before it is sent, so it is sent at most once. */
export interface ExpiryReminder {
  daysBefore: number;
  claimedAt?: string;
  sentAt?: string;
  messageId?: string;
  /** Not sent: the certificate was issued (or renewed) after this threshold had passed. */
  passedAt?: string;
  /** The mail service may or may not have accepted it; never sent again automatically. */
  outcomeUnknownAt?: string;
  error?: string;
  /** Not sent: the student's address is suppressed (it bounced or complained). */
  skippedAt?: string;
  skipReason?: 'suppressed';
}

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
  /** The completed courses, in program order. */
  courses?: CertificateCourse[];
  completedAt: string;
  issuedAt: string;
  /** When it stops certifying (the program's certificateValidityMonths after completion); none: it never expires. */
  expiresAt?: string;
  /** The stored state; `expired` is computed from expiresAt and the clock (certificateStatus). */
  status: 'valid' | 'revoked';
  revokedAt?: string;
  revokedBy?: string;
  /** Internal: admins see it, verification does not. */
  revokedReason?: string;
  issuer?: CertificateIssuer;
  /** A program that renews this one (a shorter path), named in reminders. */
  renewalProgramId?: string;
  /** Its bit in the issuer's revocation status list (Bitstring Status List). */
  statusListIndex?: number;
  /** The Open Badges 3.0 credential, a compact JWS (RS256). */
  credentialJwt?: string;
  reminders?: ExpiryReminder[];
}

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

/** Revoked wins; otherwise expired from its expiry instant on. */
export function certificateStatus(certificate: Pick<Certificate, 'status' | 'expiresAt'>, now: Date): CertificateStatus {
  if (certificate.status === 'revoked') return 'revoked';
  if (certificate.expiresAt && Date.parse(certificate.expiresAt) <= now.getTime()) return 'expired';
  return 'valid';
}

/** The instant `months` calendar months after `iso` (UTC), on the last day of a shorter month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(iso: string, months: number): string {
  const date = new Date(iso);
  const day = date.getUTCDate();
  const target = new Date(date);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString();
}

/** Reminder emails go this many days before expiry (each at most once). */
export const EXPIRY_REMINDER_DAYS = [60, 14] as const;

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

/** Where the credential of a certificate is served (also its `id`): a compact JWS as text/plain. */
export const credentialUrl = (siteUrl: string, certificateId: string) => `${siteUrl}/api/certificates/${certificateId}/credential`;

/** `siteUrl` has no trailing slash (Settings.siteUrl). */
export function verifyUrl(siteUrl: string, certificateId: string): string {
  return `${siteUrl}/verify/${certificateId}`;
}
