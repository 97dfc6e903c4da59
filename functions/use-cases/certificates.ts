// Public verification and owner-only download of certificates; admins' revocation and the list
// of certificates nearing expiry.
import { decideCertificate } from '../domain/certificate-decider.js';
import {
  CERTIFICATE_ID,
  certificateObjectKey,
  certificateStatus,
  credentialUrl,
  verifyUrl,
  type Certificate,
  type CertificateStatus,
} from '../domain/certificates.js';
import { DomainError, validationError } from '../domain/errors.js';
import type { Logger } from './logger.js';
import { owns, type Actor } from './enrollments.js';
import type { CertificateRecords } from './ports/certificates.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { CertificateStore, Clock, Settings } from './ports/services.js';
import type { StudentStore } from './ports/students.js';
import { decide } from '../domain/enrollment-decider.js';
import { retrying } from './retry.js';

export interface CertificateVerification {
  id: string;
  /** valid, expired (from its expiry on) or revoked, as of the time of the request. */
  status: CertificateStatus;
  studentName: string;
  programId: string;
  programName: string;
  /** Who issued it, as its settings were at issuance. */
  organization: { name: string; url?: string };
  partners: string[];
  courses: Array<{ partnerName: string; courseName: string; completedAt: string }>;
  completedAt: string;
  issuedAt: string;
  expiresAt?: string;
  /** The date only: the reason stays internal. */
  revokedAt?: string;
  verifyUrl: string;
  /** The Open Badges 3.0 credential (compact JWS). */
  credentialUrl: string;
}

async function findCertificate(records: CertificateRecords, id: string): Promise<Certificate> {
  const normalized = id.toUpperCase();
  const certificate = CERTIFICATE_ID.test(normalized) ? await records.get(normalized) : undefined;
  if (!certificate) throw new DomainError('CERTIFICATE_NOT_FOUND', `no certificate ${id.slice(0, 40)}`);
  return certificate;
}

/** Certificates issued before courses were recorded list their partners only. */
const coursesOf = (c: Certificate) =>
  (c.courses ?? []).map((course) => ({ partnerName: course.partnerName, courseName: course.courseName, completedAt: course.completedAt }));

/** What anyone holding the id may see: enough to check it, not the student's email or the revocation's reason. */
export async function verifyCertificate(
  deps: { certificateRecords: CertificateRecords; settings: Settings; clock: Clock },
  id: string,
): Promise<CertificateVerification> {
  const c = await findCertificate(deps.certificateRecords, id);
  return {
    id: c.id,
    status: certificateStatus(c, deps.clock.now()),
    studentName: c.studentName,
    programId: c.programId,
    programName: c.programName,
    organization: { name: c.issuer?.name ?? 'Baton', ...(c.issuer?.url ? { url: c.issuer.url } : {}) },
    partners: c.partners,
    courses: coursesOf(c),
    completedAt: c.completedAt,
    issuedAt: c.issuedAt,
    ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
    ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
    verifyUrl: verifyUrl(deps.settings.siteUrl, c.id),
    credentialUrl: credentialUrl(deps.settings.siteUrl, c.id),
  };
}

/** A short-lived download URL for the certificate's owner or an admin; others get a 404. */
export async function certificateDownload(
  deps: { certificateRecords: CertificateRecords; students: StudentStore; certificates: CertificateStore },
  id: string,
  actor: Actor,
) {
  const c = await findCertificate(deps.certificateRecords, id);
  const student = actor.isStaff ? undefined : await deps.students.get(c.studentId);
  if (!actor.isStaff && !(student && (await owns(deps, student, actor, { claim: false }))))
    throw new DomainError('CERTIFICATE_NOT_FOUND', `no certificate ${id}`);
  const fileName = `${c.programName} certificate ${c.id}.pdf`.replace(/[^A-Za-z0-9 ._-]/g, '');
  return deps.certificates.downloadUrl(certificateObjectKey(c.id), fileName);
}

/** What admins see of a certificate. */
export function adminCertificateView(c: Certificate, siteUrl: string, now: Date) {
  return {
    ...verifyView(c, siteUrl, now),
    enrollmentId: c.enrollmentId,
    studentEmail: c.studentEmail,
    ...(c.revokedBy ? { revokedBy: c.revokedBy } : {}),
    ...(c.revokedReason ? { revokedReason: c.revokedReason } : {}),
    ...(c.renewalProgramId ? { renewalProgramId: c.renewalProgramId } : {}),
    reminders: c.reminders ?? [],
  };
}

const verifyView = (c: Certificate, siteUrl: string, now: Date) => ({
  id: c.id,
  status: certificateStatus(c, now),
  studentName: c.studentName,
  programId: c.programId,
  programName: c.programName,
  issuedAt: c.issuedAt,
  completedAt: c.completedAt,
  ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
  ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
  courses: coursesOf(c),
  verifyUrl: verifyUrl(siteUrl, c.id),
  credentialUrl: credentialUrl(siteUrl, c.id),
});

type RevokeDeps = {
  certificateRecords: CertificateRecords;
  enrollments: EnrollmentStore;
  clock: Clock;
  settings: Settings;
  logger: Logger;
};

/**
 * Revokes a valid certificate: the certificate (conditional on its version) and its enrollment's
 * timeline (conditional on the enrollment's) in one transaction, decided again if either changed.
 */
export async function revokeCertificate(deps: RevokeDeps, id: string, reason: string, admin: Actor) {
  const normalized = id.toUpperCase();
  if (!CERTIFICATE_ID.test(normalized)) throw new DomainError('CERTIFICATE_NOT_FOUND', `no certificate ${id.slice(0, 40)}`);
  const revoked = await retrying<Certificate>(`revoking certificate ${normalized}`, async () => {
    const before = await deps.certificateRecords.load(normalized);
    if (!before) throw new DomainError('CERTIFICATE_NOT_FOUND', `no certificate ${normalized}`);
    const at = deps.clock.now().toISOString();
    const decision = decideCertificate(before.certificate, { type: 'revoke', at, by: admin.email, reason });
    if (!decision.ok) throw new DomainError(decision.refusal.code, decision.refusal.message);
    const enrollment = await deps.enrollments.load(before.certificate.enrollmentId);
    const command = { type: 'record_certificate_revoked', certificateId: normalized, at, by: admin.email, reason } as const;
    const recorded = enrollment ? decide(enrollment.state, command) : undefined;
    const saved = await deps.enrollments.save(recorded?.ok ? [{ before: enrollment, events: recorded.events }] : [], {
      certificateChange: { before, events: decision.events },
    });
    if (saved.ok) return { done: before.certificate };
    return { again: saved.conflict };
  });
  deps.logger.info('certificate revoked', { certificateId: normalized, enrollmentId: revoked.enrollmentId });
  const after = await deps.certificateRecords.get(normalized);
  return adminCertificateView(after!, deps.settings.siteUrl, deps.clock.now());
}

const DAY_MS = 24 * 3600 * 1000;
const MAX_WINDOW_DAYS = 3650;

/** Valid certificates expiring from now to `days` days from now, soonest first (index-backed). */
export async function listExpiringCertificates(
  deps: { certificateRecords: CertificateRecords; settings: Settings; clock: Clock },
  days: number,
  cursor?: string,
) {
  if (!Number.isFinite(days) || days < 1 || days > MAX_WINDOW_DAYS) {
    throw validationError(`expiringWithinDays must be a number of days from 1 to ${MAX_WINDOW_DAYS}`);
  }
  const now = deps.clock.now();
  const to = new Date(now.getTime() + days * DAY_MS).toISOString();
  const page = await deps.certificateRecords.listExpiring(now.toISOString(), to, 100, cursor);
  return {
    expiringWithinDays: days,
    from: now.toISOString(),
    to,
    certificates: page.items.map((c) => ({
      ...c,
      status: 'valid' as const,
      daysLeft: Math.max(0, Math.ceil((Date.parse(c.expiresAt) - now.getTime()) / DAY_MS)),
      verifyUrl: verifyUrl(deps.settings.siteUrl, c.id),
    })),
    ...(page.next ? { next: page.next } : {}),
  };
}
