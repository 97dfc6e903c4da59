import { s3CertificateStore } from '../adapters/aws/s3-certificates.js';
import { dynamoRepository } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { lazyPorts, systemClock, type Ports } from '../ports.js';
import { issueCertificate } from '../use-cases/issue-certificate.js';
import { workflowTask } from '../workflow/task-handler.js';

export const create = (ports: Pick<Ports, 'repo' | 'certificates' | 'clock' | 'settings'>) =>
  workflowTask((input) => issueCertificate(ports, input));
export const handler = create(
  lazyPorts({ repo: dynamoRepository, certificates: s3CertificateStore, clock: () => systemClock, settings: envSettings }),
);
