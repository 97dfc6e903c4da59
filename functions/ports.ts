// Every port a handler may need, and the lazy container handlers are built with. A Lambda
// creates only the adapters its handler uses, on first use; local mode passes its own.
import type { Logger } from './use-cases/logger.js';
import type { CertificateStore, Clock, Mailer, PartnerSecrets, Repository, Settings, WorkflowStarter } from './use-cases/ports.js';

export interface Ports {
  repo: Repository;
  workflow: WorkflowStarter;
  certificates: CertificateStore;
  mailer: Mailer;
  secrets: PartnerSecrets;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

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
