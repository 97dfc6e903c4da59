// Every port a handler may need, and the lazy container handlers are built with. A Lambda
// creates only the adapters its handler uses, on first use; local mode passes its own.
import type { CatalogStore } from './use-cases/ports/catalog.js';
import type { CertificateRecords } from './use-cases/ports/certificates.js';
import type { DeliveryStore } from './use-cases/ports/deliveries.js';
import type { EnrollmentStore } from './use-cases/ports/enrollments.js';
import type { JobCursors } from './use-cases/ports/jobs.js';
import type { PipelineReadModel } from './use-cases/ports/pipeline.js';
import type { CertificateStore, Clock, Mailer, PartnerSecrets, Settings, WorkflowStarter } from './use-cases/ports/services.js';
import type { StudentStore } from './use-cases/ports/students.js';
import type { Logger } from './use-cases/logger.js';

export interface Ports {
  catalog: CatalogStore;
  students: StudentStore;
  enrollments: EnrollmentStore;
  deliveries: DeliveryStore;
  pipeline: PipelineReadModel;
  certificateRecords: CertificateRecords;
  jobs: JobCursors;
  workflow: WorkflowStarter;
  certificates: CertificateStore;
  mailer: Mailer;
  secrets: PartnerSecrets;
  clock: Clock;
  settings: Settings;
  logger: Logger;
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
