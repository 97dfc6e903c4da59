// The bytes Baton's functions write to CloudWatch Logs, counted in local mode: the structured
// lines Powertools prints (at the level deployed functions log at), plus the lines Lambda itself
// writes for every invocation. CloudWatch Logs bills ingestion per byte of these.
import { FUNCTION_DEFAULTS } from '../infra/constructs/baton-function.js';
import { logger } from '../functions/observability.js';

/**
 * Lambda's own lines for one invocation, in the text log format Baton's functions use: START,
 * END and REPORT (a cold start's REPORT adds "Init Duration"). Lengths of lines as Lambda writes them:
 *   START RequestId: 8f5c3b0e-4b6a-4c1e-9f0a-2d7e1c9b3a41 Version: $LATEST
 *   END RequestId: 8f5c3b0e-4b6a-4c1e-9f0a-2d7e1c9b3a41
 *   REPORT RequestId: 8f5c3b0e-4b6a-4c1e-9f0a-2d7e1c9b3a41	Duration: 12.34 ms	Billed Duration: 13 ms	Memory Size: 512 MB	Max Memory Used: 92 MB	Init Duration: 412.56 ms
 */
export const LAMBDA_PLATFORM_BYTES_PER_INVOCATION =
  'START RequestId: 8f5c3b0e-4b6a-4c1e-9f0a-2d7e1c9b3a41 Version: $LATEST\n'.length +
  'END RequestId: 8f5c3b0e-4b6a-4c1e-9f0a-2d7e1c9b3a41\n'.length +
  'REPORT RequestId: 8f5c3b0e-4b6a-4c1e-9f0a-2d7e1c9b3a41\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 92 MB\tInit Duration: 412.56 ms\t\n'
    .length;

/**
 * One EMF line as Powertools prints a count (the webhook's outcome metric), measured on the
 * format: {"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":"Baton","Dimensions":[["service"]],"Metrics":[{"Name":"Webhook_applied","Unit":"Count"}]}]},"service":"baton","Webhook_applied":1}
 */
export const EMF_LINE_BYTES =
  '{"_aws":{"Timestamp":1764650000000,"CloudWatchMetrics":[{"Namespace":"Baton","Dimensions":[["service"]],"Metrics":[{"Name":"Webhook_unmatched","Unit":"Count","StorageResolution":60}]}]},"service":"baton","Webhook_unmatched":1}\n'
    .length;

/**
 * Runs `action` with the logger at the deployed level, counting (and swallowing) what it writes
 * to stdout and stderr. Local mode runs every function in this process, so it is all of theirs.
 */
export async function measureLogBytes<T>(action: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let bytes = 0;
  const count = (chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  };
  const level = logger.getLevelName();
  logger.setLogLevel(FUNCTION_DEFAULTS.environment.POWERTOOLS_LOG_LEVEL);
  process.stdout.write = count;
  process.stderr.write = count;
  try {
    const result = await action();
    return { result, bytes };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    logger.setLogLevel(level);
  }
}
