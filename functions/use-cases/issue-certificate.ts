// The workflow's IssueCertificate task, in a module of its own so pdf-lib is bundled only into
// the one function that renders PDFs.
import { renderCertificatePdf } from '../certificates/render-pdf.js';
import { certificateIdFor, certificateObjectKey, verifyUrl, type Certificate } from '../domain/certificates.js';
import type { EnrollmentStep } from '../domain/enrollment.js';
import { partnerName } from '../domain/partners.js';
import type { CertificateStore, Clock, Repository, Settings } from './ports.js';
import { PermanentTaskError, type WorkflowInput } from './workflow-tasks.js';

/** Issues the enrollment's one certificate: PDF to storage, then the record (both idempotent). */
export async function issueCertificate(
  deps: { repo: Repository; certificates: CertificateStore; clock: Clock; settings: Settings },
  { enrollmentId }: WorkflowInput,
): Promise<{ enrollmentId: string; certificateId: string }> {
  const data = await deps.repo.getEnrollment(enrollmentId);
  if (!data) throw new PermanentTaskError(`enrollment ${enrollmentId} does not exist`);
  const { enrollment, steps } = data;
  if (enrollment.status !== 'completed' || !enrollment.completedAt) {
    throw new PermanentTaskError(`enrollment ${enrollmentId} is ${enrollment.status}, not completed`);
  }
  if (enrollment.certificateId) return { enrollmentId, certificateId: enrollment.certificateId };

  const certificate: Certificate = {
    id: certificateIdFor(enrollmentId),
    enrollmentId,
    studentId: enrollment.studentId,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programId: enrollment.programId,
    programName: enrollment.programName,
    partners: completedPartners(steps),
    completedAt: enrollment.completedAt,
    issuedAt: deps.clock.now().toISOString(),
    status: 'valid',
  };
  const pdf = await renderCertificatePdf(certificate, verifyUrl(deps.settings.siteUrl, certificate.id));
  await deps.certificates.put(certificateObjectKey(certificate.id), pdf);
  await deps.repo.saveCertificate(certificate);
  return { enrollmentId, certificateId: certificate.id };
}

function completedPartners(steps: readonly EnrollmentStep[]): string[] {
  const ordered = [...steps].sort((a, b) => a.index - b.index).filter((s) => s.status === 'completed');
  return [...new Set(ordered.map((s) => partnerName(s.partnerId)))];
}
