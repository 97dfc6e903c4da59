// Public verification and owner-only download of certificates.
import { CERTIFICATE_ID, certificateObjectKey, verifyUrl, type Certificate } from '../domain/certificates.js';
import { DomainError } from '../domain/errors.js';
import { owns, type Actor } from './enrollments.js';
import type { CertificateRecords } from './ports/certificates.js';
import type { CertificateStore, Settings } from './ports/services.js';
import type { StudentStore } from './ports/students.js';

export interface CertificateVerification {
  id: string;
  status: Certificate['status'];
  studentName: string;
  programId: string;
  programName: string;
  partners: string[];
  completedAt: string;
  issuedAt: string;
  revokedAt?: string;
  revokedReason?: string;
  verifyUrl: string;
}

async function findCertificate(records: CertificateRecords, id: string): Promise<Certificate> {
  const normalized = id.toUpperCase();
  const certificate = CERTIFICATE_ID.test(normalized) ? await records.get(normalized) : undefined;
  if (!certificate) throw new DomainError('CERTIFICATE_NOT_FOUND', `no certificate ${id.slice(0, 40)}`);
  return certificate;
}

/** What anyone holding the id may see: enough to check it, not the student's email. */
export async function verifyCertificate(
  deps: { certificateRecords: CertificateRecords; settings: Settings },
  id: string,
): Promise<CertificateVerification> {
  const c = await findCertificate(deps.certificateRecords, id);
  return {
    id: c.id,
    status: c.status,
    studentName: c.studentName,
    programId: c.programId,
    programName: c.programName,
    partners: c.partners,
    completedAt: c.completedAt,
    issuedAt: c.issuedAt,
    ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
    ...(c.revokedReason ? { revokedReason: c.revokedReason } : {}),
    verifyUrl: verifyUrl(deps.settings.siteUrl, c.id),
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
