// Off the exports queue (SQS): one run of an export per message (a run out of time queues the next).
import type { Context, SQSEvent } from 'aws-lambda';
import { tableStores } from '../adapters/dynamodb/client.js';
import { s3ExportFiles } from '../adapters/aws/s3-exports.js';
import { sqsExportQueue } from '../adapters/aws/sqs-queues.js';
import { envSettings } from '../config.js';
import { logger } from '../observability.js';
import { runExport, type RunDeps } from '../use-cases/exports.js';
import { productionPorts, systemClock } from '../wiring.js';
import { exportRequest } from './export-request.js';

/** Time kept back for the slice under way and the file's assembly (a 100,000-row file is read, padded and uploaded in well under this). */
const RESERVE_MS = 180_000;

/** Runs one queued export (local mode's queue calls this too). */
export async function runQueuedExport(deps: RunDeps, exportId: string, timeLeft: () => boolean, options: { sliceRows?: number } = {}) {
  const job = await deps.exports.getJob(exportId);
  if (!job) return 'skipped';
  return runExport(deps, exportId, exportRequest(job.kind, job.filters), timeLeft, options);
}

export const create = (ports: RunDeps) => async (event: SQSEvent, context?: Context) => {
  const timeLeft = () => (context ? context.getRemainingTimeInMillis() > RESERVE_MS : true);
  for (const record of event.Records) {
    const { exportId } = JSON.parse(record.body) as { exportId?: unknown };
    if (typeof exportId === 'string') await runQueuedExport(ports, exportId, timeLeft);
    else ports.logger.error('not an export message; dropped', { messageId: record.messageId });
  }
};

export const handler = create(
  productionPorts('run-export', {
    ...tableStores(),
    exportFiles: s3ExportFiles,
    exportQueue: sqsExportQueue,
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
