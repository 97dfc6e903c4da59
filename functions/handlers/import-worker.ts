// Off the imports queue (SQS): one step of an import run per message, or the uploads bucket's
// notification of files dropped under imports/<partnerId>/ (each becomes an import, run for real).
// A message that throws (one it cannot read included) is retried by SQS (it comes back) and,
// after its last receive, kept in the dead-letter queue.
import type { SQSEvent } from 'aws-lambda';
import { tableStores } from '../adapters/dynamodb/client.js';
import { droppedObjectsOf } from '../adapters/aws/s3-events.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { importMessageOf, sqsImportQueue } from '../adapters/aws/sqs-queues.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { envSettings, importStartsPerSecond } from '../config.js';
import { logger } from '../observability.js';
import { importDroppedFile } from '../use-cases/drop-zone.js';
import { runImportStep, type ImportWorkerDeps } from '../use-cases/import-worker.js';
import { productionPorts, systemClock } from '../wiring.js';

export const create =
  (ports: Omit<ImportWorkerDeps, 'importStartsPerSecond'>, startsPerSecond: () => number) => async (event: SQSEvent) => {
    const deps: ImportWorkerDeps = { ...ports, importStartsPerSecond: startsPerSecond() };
    for (const record of event.Records) {
      const message = importMessageOf(record.body);
      const dropped = message ? undefined : droppedObjectsOf(record.body);
      if (message) await runImportStep(deps, message);
      else if (dropped) for (const object of dropped) await importDroppedFile(deps, object);
      // Thrown, not dropped: SQS receives it again, then keeps it in the dead-letter queue (alarmed).
      else throw new Error(`message ${record.messageId} is neither an import step nor an S3 notification`);
    }
  };

export const handler = create(
  productionPorts('import-worker', {
    ...tableStores(),
    uploads: s3Uploads,
    importQueue: sqsImportQueue,
    workflow: stepFunctionsWorkflow(systemClock),
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
  () => importStartsPerSecond(),
);
