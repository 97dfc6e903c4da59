// Every port a handler may need, and the container handlers are built with. Each handler module
// exports `create(ports)` and `handler = create(productionPorts('<id>', {...factories}))`: local
// mode imports the same module and calls `create` with its own ports, so the production wiring
// builds nothing and checks nothing until it runs in Lambda.
import type { FunctionId } from './access.js';
import { checkConfiguration, inLambda } from './config.js';
import type { CatalogStore } from './use-cases/ports/catalog.js';
import type { CertificateRecords } from './use-cases/ports/certificates.js';
import type { DeliveryStore } from './use-cases/ports/deliveries.js';
import type { EnrollmentStore } from './use-cases/ports/enrollments.js';
import type { JobCursors } from './use-cases/ports/jobs.js';
import type { PartnerStore } from './use-cases/ports/partners.js';
import type { CredentialSigner, OrganizationFiles, OrganizationStore } from './use-cases/ports/organization.js';
import type { PipelineReadModel } from './use-cases/ports/pipeline.js';
import type {
  AdminDirectory,
  CertificateStore,
  Clock,
  KeySets,
  Mailer,
  PartnerSecrets,
  Settings,
  UnsubscribeKeys,
  WorkflowStarter,
} from './use-cases/ports/services.js';
import type { SuppressionList } from './use-cases/ports/suppressions.js';
import type { StudentStore } from './use-cases/ports/students.js';
import type { DeliveryQueue, OutboundStore, WebhookSender } from './use-cases/ports/outbound.js';
import type { ExportFiles, ExportQueue, ExportStore } from './use-cases/ports/exports.js';
import type { Logger } from './use-cases/logger.js';
import type { Uploads } from './use-cases/uploads.js';
import type { EvidenceStore } from './use-cases/ports/evidence.js';
import type { ImportQueue, ImportStore } from './use-cases/ports/imports.js';

export interface Ports {
  catalog: CatalogStore;
  students: StudentStore;
  enrollments: EnrollmentStore;
  deliveries: DeliveryStore;
  pipeline: PipelineReadModel;
  certificateRecords: CertificateRecords;
  jobs: JobCursors;
  partners: PartnerStore;
  suppressions: SuppressionList;
  workflow: WorkflowStarter;
  certificates: CertificateStore;
  mailer: Mailer;
  /** The admins, to email all of them (Cognito's admin groups on AWS). */
  admins: AdminDirectory;
  secrets: PartnerSecrets;
  keySets: KeySets;
  unsubscribeKeys: UnsubscribeKeys;
  clock: Clock;
  settings: Settings;
  logger: Logger;
  organization: OrganizationStore;
  organizationFiles: OrganizationFiles;
  signer: CredentialSigner;
  /** Outbound events: endpoints, the outbox, deliveries. */
  outbound: OutboundStore;
  /** One signed HTTP attempt to an endpoint (SSRF-checked). */
  webhookSender: WebhookSender;
  /** Runs delivery attempts (SQS on AWS). */
  deliveryQueue: DeliveryQueue;
  /** Export jobs, their files (S3) and the queue that runs them. */
  exports: ExportStore;
  exportFiles: ExportFiles;
  exportQueue: ExportQueue;
  /** Uploaded files (S3 on AWS): presigned slots, reads, download links. */
  uploads: Uploads;
  /** The evidence review queue (its writes are the enrollment save's). */
  evidence: EvidenceStore;
  /** Imports of report files and the queue that runs them in chunks. */
  imports: ImportStore;
  importQueue: ImportQueue;
}

/** The stores of the one table, by port name. */
export const STORE_PORTS = [
  'catalog',
  'students',
  'enrollments',
  'deliveries',
  'pipeline',
  'certificateRecords',
  'jobs',
  'partners',
  'organization',
  'suppressions',
  'outbound',
  'exports',
  'evidence',
  'imports',
] as const satisfies ReadonlyArray<keyof Ports>;
export type StoreName = (typeof STORE_PORTS)[number];
export type StorePorts = Pick<Ports, StoreName>;

export const systemClock: Clock = { now: () => new Date() };

/** An object whose properties are created by their factory on first access, then reused. */
export function lazyPorts<K extends keyof Ports>(factories: { [P in K]: () => Ports[P] }): Pick<Ports, K> {
  const ports = {} as Pick<Ports, K>;
  for (const name of Object.keys(factories) as K[]) {
    let value: Ports[K] | undefined;
    Object.defineProperty(ports, name, {
      enumerable: true,
      get: () => (value ??= factories[name]()),
    });
  }
  return ports;
}

/**
 * A handler's production ports. In Lambda (AWS_LAMBDA_FUNCTION_NAME set), at cold start: the
 * function's configuration is checked (a missing or malformed variable fails the init, naming
 * it), then every adapter is built, so one that reads a variable its function is not given fails
 * the init too. Anywhere else (local mode and tests import the module for `create`), the ports are
 * lazy and nothing is read until used.
 */
export function productionPorts<K extends keyof Ports>(functionId: FunctionId, factories: { [P in K]: () => Ports[P] }): Pick<Ports, K> {
  const ports = lazyPorts(factories);
  if (!inLambda()) return ports;
  checkConfiguration(functionId);
  for (const name of Object.keys(factories) as K[]) Reflect.get(ports, name);
  return ports;
}
