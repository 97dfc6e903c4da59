// The API's JSON, typed by the very modules that produce it (type-only imports: nothing from
// functions/ is bundled), so a change to the contract fails the site's type check, not its users.
import type { Program as DomainProgram } from '../../../functions/domain/programs.js';
import type { CertificateVerification as Verification } from '../../../functions/use-cases/certificates.js';
import type { DismissedEvent as Dismissed } from '../../../functions/use-cases/dismiss-unmatched-event.js';
import type { AdminEnrollmentView, EnrollmentView, StepView } from '../../../functions/use-cases/enrollment-view.js';
import type { linkPartnerAccount, UnmatchedEventView } from '../../../functions/use-cases/partner-accounts.js';
import type { Pipeline as PipelineView } from '../../../functions/use-cases/pipeline.js';
import type { EnrollmentSummary as Summary } from '../../../functions/domain/enrollment-list.js';
import type { ExportView } from '../../../functions/use-cases/exports.js';
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
/** A row of the enrollment lists. */
export type EnrollmentSummary = Summary;
export type ExportJob = ExportView;
export type EventEndpoint = EndpointView;
export type EventDelivery = Delivery & { deliveryId: string };
