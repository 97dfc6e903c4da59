// The API's JSON, typed by the very modules that produce it (type-only imports: nothing from
// functions/ is bundled), so a change to the contract fails the site's type check, not its users.
import type { Program as DomainProgram } from '../../../functions/domain/programs.js';
import type { CertificateVerification as Verification } from '../../../functions/use-cases/certificates.js';
import type { DismissedEvent as Dismissed } from '../../../functions/use-cases/dismiss-unmatched-event.js';
import type { AdminEnrollmentView, EnrollmentView, StepView } from '../../../functions/use-cases/enrollment-view.js';
import type { linkPartnerAccount, UnmatchedEventView } from '../../../functions/use-cases/partner-accounts.js';
import type { Pipeline as PipelineView } from '../../../functions/use-cases/pipeline.js';
import type { OrganizationView } from '../../../functions/use-cases/organization.js';
import type { PublicOrganization } from '../../../functions/domain/organization.js';
import type { adminCertificateView, listExpiringCertificates } from '../../../functions/use-cases/certificates.js';
import type { NudgeReport } from '../../../functions/use-cases/nudges.js';
import type { EnrollmentSummary as Summary } from '../../../functions/domain/enrollment-list.js';
import type { ExportView } from '../../../functions/use-cases/exports.js';
import type { ImportView } from '../../../functions/use-cases/imports.js';
import type { EndpointView } from '../../../functions/use-cases/outbound-endpoints.js';
import type { EventDelivery as Delivery } from '../../../functions/use-cases/ports/outbound.js';

/** An enrollment as its student sees it. */
export type Enrollment = EnrollmentView;
/** An enrollment as an admin sees it (with the workflow failure, if any). */
export type AdminEnrollment = AdminEnrollmentView;
export type Step = StepView;
export type Program = DomainProgram;
export type Pipeline = PipelineView;
export type ProviderCounts = PipelineView['providers'][number];
export type ProgramRate = PipelineView['programs'][number];
export type UnmatchedEvent = UnmatchedEventView;
export type LinkResult = Awaited<ReturnType<typeof linkPartnerAccount>>;
export type DismissedEvent = Dismissed;
export type CertificateVerification = Verification;
export type PartnerSummary = import('../../../functions/use-cases/partners.js').PartnerSummary;
export type PartnerDetail = import('../../../functions/use-cases/partners.js').PartnerDetail;
export type PartnerView = import('../../../functions/use-cases/partners.js').PartnerView;
export type SecretView = import('../../../functions/use-cases/partners.js').SecretView;
export type WebhookConfig = import('../../../functions/domain/partner-webhook-config.js').WebhookConfig;
export type PartnerDefinition = import('../../../functions/domain/partners.js').PartnerDefinition;
export type DeliveryLogEntry = import('../../../functions/use-cases/ports/deliveries.js').DeliveryLogEntry;
export type StoredDelivery = import('../../../functions/domain/delivery.js').Delivery;
export type WebhookTestResult = import('../../../functions/use-cases/webhook-test.js').WebhookTestResult;
export type ReplayResult = import('../../../functions/use-cases/delivery-log.js').ReplayResult;
export type MoveResult = import('../../../functions/use-cases/account-corrections.js').MoveResult;
export type ReapplyOutcome = import('../../../functions/use-cases/account-corrections.js').ReapplyOutcome;
/** The organization's settings as admins see and edit them. */
export type OrganizationSettings = OrganizationView;
export type Organization = PublicOrganization;
export type ExpiringCertificates = Awaited<ReturnType<typeof listExpiringCertificates>>;
export type ExpiringCertificate = ExpiringCertificates['certificates'][number];
export type AdminCertificate = ReturnType<typeof adminCertificateView>;
export type ReminderReport = NudgeReport;
/** A row of the enrollment lists. */
export type EnrollmentSummary = Summary;
export type ExportJob = ExportView;
export type EventEndpoint = EndpointView;
export type EventDelivery = Delivery & { deliveryId: string };
/** A piece of evidence as it shows on the student's step (oldest first). */
export type StepEvidence = NonNullable<StepView['evidence']>[number];
export type EvidenceQueueEntry = import('../../../functions/use-cases/evidence-review.js').EvidenceQueueEntry;
export type EvidenceStatus = import('../../../functions/domain/evidence.js').EvidenceStatus;
export type EvidenceFileType = import('../../../functions/domain/evidence.js').EvidenceFileType;

export type ImportJob = ImportView;
export type CsvMapping = import('../../../functions/domain/import-mapping.js').CsvMapping;
