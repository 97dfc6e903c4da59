// The bytes Baton's functions write to CloudWatch Logs, counted in local mode: the structured
// lines Powertools prints (at the level deployed functions log at), plus the lines Lambda itself
// writes for every invocation. CloudWatch Logs bills ingestion per byte of these.

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

let counted: number | undefined;

/**
 * Routes the process's output: while measureLogBytes runs, everything written is counted and
 * swallowed (local mode runs every function in this process, so it is all of theirs); otherwise the
 * functions' JSON log lines are dropped and the benchmark's own output passes. Call it before any
 * handler module loads, with POWERTOOLS_LOG_LEVEL at the deployed level, so every logger and its
 * children log as deployed.
 */
export function captureFunctionLogs(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (counted !== undefined) {
        counted += Buffer.byteLength(text);
        return true;
      }
      if (text.startsWith('{"level":') || text.startsWith('{"_aws":')) return true;
      return write(chunk, ...rest);
    };
  }
}

/** Runs `action`, counting the bytes the functions log meanwhile (see captureFunctionLogs). */
export async function measureLogBytes<T>(action: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  counted = 0;
  try {
    const result = await action();
    return { result, bytes: counted };
  } finally {
    counted = undefined;
  }
}
