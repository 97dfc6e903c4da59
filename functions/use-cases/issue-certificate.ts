// The workflow's IssueCertificate task, in a module of its own so pdf-lib and the fonts are
// bundled only into the one function that renders PDFs.
import { renderCertificatePdf } from '../certificates/render-pdf.js';
import {
  addMonths,
  certificateIdFor,
  certificateObjectKey,
  verifyUrl,
  type Certificate,
  type CertificateCourse,
  type CertificateIssuer,
} from '../domain/certificates.js';
import { decide } from '../domain/enrollment-decider.js';
import type { EnrollmentState, EnrollmentStep } from '../domain/enrollment.js';
import type { OrganizationSettings } from '../domain/organization.js';
import { issuerUrls, jwtClaims, openBadgeCredential } from '../domain/open-badge.js';
import { directoryOf, partnerName, type PartnerDirectory } from '../domain/partners.js';
import type { PartnerStore } from './ports/partners.js';
import { signJwt } from './jws.js';
import type { Logger } from './logger.js';
import { readOrganization } from './organization.js';
import type { CertificateRecords } from './ports/certificates.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { CredentialSigner, OrganizationFiles, OrganizationStore } from './ports/organization.js';
import type { CertificateStore, Clock, Settings } from './ports/services.js';
import { transition } from './enrollment-transitions.js';
import { notFoundIsPermanent, PermanentTaskError, type WorkflowInput } from './workflow-tasks.js';

export interface IssueCertificateDeps {
  enrollments: EnrollmentStore;
  partners: PartnerStore;
  certificates: CertificateStore;
  certificateRecords: CertificateRecords;
  organization: OrganizationStore;
  organizationFiles: OrganizationFiles;
  signer: CredentialSigner;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

/**
 * Issues the enrollment's one certificate: the PDF to storage, then the record (with its signed
 * Open Badges credential) and the enrollment's pointer to it in one save. The id is derived from
 * the enrollment and the PDF from the record, so a re-run writes the same bytes and finds the
 * record already there. A run that dies after taking a status list bit leaves that bit unused.
 */
export async function issueCertificate(deps: IssueCertificateDeps, { enrollmentId }: WorkflowInput) {
  const snapshot = await deps.enrollments.load(enrollmentId);
  if (!snapshot) throw new PermanentTaskError(`enrollment ${enrollmentId} does not exist`);
  if (snapshot.state.enrollment.certificateId) return { enrollmentId, certificateId: snapshot.state.enrollment.certificateId };

  const issuedAt = deps.clock.now().toISOString();
  const [organization, partners] = await Promise.all([readOrganization(deps), deps.partners.list()]);
  const draft = certificateOf(snapshot.state, issuedAt, organization, directoryOf(partners));
  const command = {
    type: 'issue_certificate',
    at: issuedAt,
    certificateId: draft.id,
    ...(draft.expiresAt ? { expiresAt: draft.expiresAt } : {}),
  } as const;
  // Refused (not completed) before anything is rendered, signed or stored.
  const decision = decide(snapshot.state, command);
  if (!decision.ok) throw new PermanentTaskError(`enrollment ${enrollmentId}: ${decision.refusal.message}`);

  const { siteUrl } = deps.settings;
  const statusListIndex = await deps.certificateRecords.allocateStatusListIndex();
  const credential = openBadgeCredential(draft, siteUrl, statusListIndex);
  const certificate: Certificate = {
    ...draft,
    statusListIndex,
    credentialJwt: await signJwt(deps.signer, issuerUrls(siteUrl).key, jwtClaims(credential)),
  };
  const pdf = await renderCertificatePdf(certificate, verifyUrl(siteUrl, certificate.id), {
    ...(organization.logo ? { logoPng: await image(deps, organization.logo.pngFile) } : {}),
    ...(organization.signatory?.signature ? { signaturePng: await image(deps, organization.signatory.signature.pngFile) } : {}),
  });
  await deps.certificates.put(certificateObjectKey(certificate.id), pdf);
  const result = await transition(deps, enrollmentId, command, {
    extras: (events) => (events.length > 0 ? { certificate } : {}),
    from: snapshot,
  }).catch(notFoundIsPermanent(enrollmentId));
  if (!result.ok) throw new PermanentTaskError(`enrollment ${enrollmentId}: ${result.refusal.message}`);
  return { enrollmentId, certificateId: result.after.enrollment.certificateId! };
}

async function image(deps: Pick<IssueCertificateDeps, 'organizationFiles'>, file: string): Promise<Uint8Array> {
  const found = await deps.organizationFiles.get(file);
  // The settings name it, so it must be there: a retry may find it (and a missing logo is an admin's to see).
  if (!found) throw new Error(`organization file ${file} is missing`);
  return found.bytes;
}

/** The certificate of a completed enrollment, issued by the organization as its settings are now. */
function certificateOf(
  { enrollment, steps }: EnrollmentState,
  issuedAt: string,
  organization: OrganizationSettings,
  partners: PartnerDirectory,
): Certificate {
  const completedAt = enrollment.completedAt ?? issuedAt;
  const courses = completedCourses(steps, partners);
  return {
    id: certificateIdFor(enrollment.id),
    enrollmentId: enrollment.id,
    studentId: enrollment.studentId,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programId: enrollment.programId,
    programName: enrollment.programName,
    partners: [...new Set(courses.map((c) => c.partnerName))],
    courses,
    completedAt,
    issuedAt,
    ...(enrollment.certificateValidityMonths ? { expiresAt: addMonths(completedAt, enrollment.certificateValidityMonths) } : {}),
    status: 'valid',
    issuer: issuerOf(organization),
    ...(enrollment.renewalProgramId ? { renewalProgramId: enrollment.renewalProgramId } : {}),
  };
}

function issuerOf(organization: OrganizationSettings): CertificateIssuer {
  const { signatory } = organization;
  return {
    name: organization.organizationName,
    ...(organization.websiteUrl ? { url: organization.websiteUrl } : {}),
    ...(organization.supportEmail ? { email: organization.supportEmail } : {}),
    ...(organization.logo ? { logoFile: organization.logo.pngFile } : {}),
    ...(signatory
      ? {
          signatory: {
            name: signatory.name,
            title: signatory.title,
            ...(signatory.signature ? { signatureFile: signatory.signature.pngFile } : {}),
          },
        }
      : {}),
  };
}

/** The courses completed (not waived or skipped), in program order. */
function completedCourses(steps: readonly EnrollmentStep[], partners: PartnerDirectory): CertificateCourse[] {
  return [...steps]
    .sort((a, b) => a.index - b.index)
    .filter((s) => s.status === 'completed')
    .map((s) => ({
      partnerId: s.partnerId,
      partnerName: partnerName(partners, s.partnerId),
      courseId: s.courseId,
      courseName: s.courseName,
      completedAt: s.completedAt!,
    }));
}
