import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { logger } from '../observability.js';
import { confirmEvidenceFile } from '../use-cases/evidence-submission.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';

export const create = (ports: Pick<Ports, StoreName | 'uploads' | 'clock' | 'logger'>) =>
  httpRoute('confirm-evidence-file', async (request) => {
    const enrollmentId = pathParam(request, 'id');
    const evidenceId = pathParam(request, 'evidenceId');
    ports.logger.appendKeys({ enrollmentId, evidenceId });
    return ok(await confirmEvidenceFile(ports, { enrollmentId, evidenceId }, request.actor!));
  });

export const handler = create(
  productionPorts('confirm-evidence-file', { ...tableStores(), uploads: s3Uploads, clock: () => systemClock, logger: () => logger }),
);
