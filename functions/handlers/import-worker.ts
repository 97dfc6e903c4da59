// Off the imports queue (SQS): one step of an import run per message. A step that throws is
// retried by SQS (the message comes back) and, after its last receive, kept in the dead-letter queue.
import type { SQSEvent } from 'aws-lambda';
import { tableStores } from '../adapters/dynamodb/client.js';
import { s3Uploads } from '../adapters/aws/s3-uploads.js';
import { importMessageOf, sqsImportQueue } from '../adapters/aws/sqs-queues.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { envSettings, importStartsPerSecond } from '../config.js';
import { logger } from '../observability.js';
import { runImportStep, type ImportWorkerDeps } from '../use-cases/import-worker.js';
import { productionPorts, systemClock } from '../wiring.js';

export const create =
  (ports: Omit<ImportWorkerDeps, 'importStartsPerSecond'>, startsPerSecond: () => number) => async (event: SQSEvent) => {
    const deps: ImportWorkerDeps = { ...ports, importStartsPerSecond: startsPerSecond() };
    for (const record of event.Records) {
      const message = importMessageOf(record.body);
      if (message) await runImportStep(deps, message);
      else ports.logger.error('not an import message; dropped', { messageId: record.messageId });
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
