import { s3CertificateStore } from '../adapters/aws/s3-certificates.js';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { issueCertificate } from '../use-cases/issue-certificate.js';
import { workflowTask } from '../workflow/task-handler.js';

export const create = (ports: Pick<Ports, StoreName | 'certificates' | 'clock' | 'settings' | 'logger'>) =>
  workflowTask((input) => issueCertificate(ports, input));
export const handler = create(
  productionPorts('workflow-issue-certificate', {
    ...tableStores(),
    certificates: s3CertificateStore,
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
