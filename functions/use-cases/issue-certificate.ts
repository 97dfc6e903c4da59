// The workflow's IssueCertificate task, in a module of its own so pdf-lib is bundled only into
// the one function that renders PDFs.
import { renderCertificatePdf } from '../certificates/render-pdf.js';
import { certificateIdFor, certificateObjectKey, verifyUrl, type Certificate } from '../domain/certificates.js';
import { decide } from '../domain/enrollment-decider.js';
import type { EnrollmentState, EnrollmentStep } from '../domain/enrollment.js';
import { directoryOf, partnerName, type PartnerDirectory } from '../domain/partners.js';
import type { PartnerStore } from './ports/partners.js';
import type { Logger } from './logger.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { CertificateStore, Clock, Settings } from './ports/services.js';
import { transition } from './enrollment-transitions.js';
import { notFoundIsPermanent, PermanentTaskError, type WorkflowInput } from './workflow-tasks.js';

/**
 * Issues the enrollment's one certificate: the PDF to storage, then the record with the
 * enrollment's pointer to it in one save. The id is derived from the enrollment and the PDF from
 * the record, so a re-run writes the same bytes and finds the record already there.
 */
export async function issueCertificate(
  deps: {
    enrollments: EnrollmentStore;
    partners: PartnerStore;
    certificates: CertificateStore;
    clock: Clock;
    settings: Settings;
    logger: Logger;
  },
  { enrollmentId }: WorkflowInput,
): Promise<{ enrollmentId: string; certificateId: string }> {
  const snapshot = await deps.enrollments.load(enrollmentId);
  if (!snapshot) throw new PermanentTaskError(`enrollment ${enrollmentId} does not exist`);
  if (snapshot.state.enrollment.certificateId) return { enrollmentId, certificateId: snapshot.state.enrollment.certificateId };

  const issuedAt = deps.clock.now().toISOString();
  const certificate = certificateOf(snapshot.state, issuedAt, directoryOf(await deps.partners.list()));
  // Refused (not completed) before anything is rendered or stored.
  const decision = decide(snapshot.state, { type: 'issue_certificate', at: issuedAt, certificateId: certificate.id });
  if (!decision.ok) throw new PermanentTaskError(`enrollment ${enrollmentId}: ${decision.refusal.message}`);
  const pdf = await renderCertificatePdf(certificate, verifyUrl(deps.settings.siteUrl, certificate.id));
  await deps.certificates.put(certificateObjectKey(certificate.id), pdf);
  const result = await transition(
    deps,
    enrollmentId,
    { type: 'issue_certificate', at: issuedAt, certificateId: certificate.id },
    { extras: (events) => (events.length > 0 ? { certificate } : {}), from: snapshot },
  ).catch(notFoundIsPermanent(enrollmentId));
  if (!result.ok) throw new PermanentTaskError(`enrollment ${enrollmentId}: ${result.refusal.message}`);
  return { enrollmentId, certificateId: result.after.enrollment.certificateId! };
}

/** The certificate of a completed enrollment. */
function certificateOf({ enrollment, steps }: EnrollmentState, issuedAt: string, partners: PartnerDirectory): Certificate {
  return {
    id: certificateIdFor(enrollment.id),
    enrollmentId: enrollment.id,
    studentId: enrollment.studentId,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programId: enrollment.programId,
    programName: enrollment.programName,
    partners: completedPartners(steps, partners),
    completedAt: enrollment.completedAt ?? issuedAt,
    issuedAt,
    status: 'valid',
  };
}

function completedPartners(steps: readonly EnrollmentStep[], partners: PartnerDirectory): string[] {
  const ordered = [...steps].sort((a, b) => a.index - b.index).filter((s) => s.status === 'completed');
  return [...new Set(ordered.map((s) => partnerName(partners, s.partnerId)))];
}
