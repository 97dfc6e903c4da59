import { s3CertificateStore } from '../adapters/aws/s3-certificates.js';
import { kmsCredentialSigner } from '../adapters/aws/kms-signer.js';
import { s3OrganizationFiles } from '../adapters/aws/s3-organization-files.js';
import { cachedOrganization, tableStores } from '../adapters/dynamodb/client.js';
import { envOrganizationSettings } from '../config.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { issueCertificate } from '../use-cases/issue-certificate.js';
import { workflowTask } from '../workflow/task-handler.js';

export const create = (ports: Pick<Ports, StoreName | 'certificates' | 'organizationFiles' | 'signer' | 'clock' | 'settings' | 'logger'>) =>
  workflowTask((input) => issueCertificate(ports, input));
const stores = tableStores();
export const handler = create(
  productionPorts('workflow-issue-certificate', {
    ...stores,
    organization: cachedOrganization(stores),
    certificates: s3CertificateStore,
    organizationFiles: s3OrganizationFiles,
    signer: kmsCredentialSigner,
    clock: () => systemClock,
    settings: envOrganizationSettings,
    logger: () => logger,
  }),
);
