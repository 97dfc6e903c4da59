// A completion report of N rows imported for real in local mode (issue 11's 50,000): every row
// accounted for, and the advancement workflow's starts paced inside the configured limit. The
// students are written straight to the table (fresh Medical Assistant enrollments, HSI's step
// open); the report is HSI's (card holder id, course name, date, result), uploaded through the
// API's slot and run off the request path like any import. Measured: rows per second, and the most
// workflow starts in any one second (a sliding window over every start's time, taken where Step
// Functions would see them). The executions themselves are not run here: on AWS they run in Step
// Functions, beside the import, and locally they would take the same two cores from it (the
// import burst, test/reliability/import.burst.ts, runs them, under a limit that binds).
import {
  DEFAULT_IMPORT_STARTS_PER_SECOND as DEFAULT_STARTS_PER_SECOND,
  IMPORT_WORKER_CONCURRENCY,
  startsPerStep,
} from '../../functions/use-cases/paced-workflow.js';
import type { BenchBaton } from '../harness.js';
import { batchWrite, CounterTotals, enrollmentItems, fixtureEnrollment, studentItems } from '../fixtures.js';

export interface ImportThroughput {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  startsPerSecondLimit: number;
  starts: number;
  peakStartsPerSecond: number;
  outcomes: Record<string, number>;
  rowsDone: number;
}

const PROGRAM_ID = 'medical-assistant';
const COURSE = 'BLS, CPR, AED & First Aid';
const MAPPING = {
  columns: { studentId: 'Student ID', courseName: 'Course', completedAt: 'Completed', status: 'Result' },
  statusValues: { Pass: 'passed', Fail: 'ignore' },
  dateFormat: 'MM/DD/YYYY',
};

/** The most entries of `times` (milliseconds, ascending) inside any window of `windowMs`. */
export function peakInWindow(times: readonly number[], windowMs = 1000): number {
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= windowMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

export async function measureImportThroughput(
  bench: BenchBaton,
  rows: number,
  startsPerSecondLimit: number,
  log: (message: string) => void,
): Promise<ImportThroughput> {
  const program = (await bench.baton.ports.catalog.list()).find((p) => p.id === PROGRAM_ID);
  if (!program) throw new Error(`the catalog has no ${PROGRAM_ID}`);
  const now = bench.baton.clock.now();
  const fixtures = Array.from({ length: rows }, (_, n) => fixtureEnrollment(program, n, { kind: 'fresh' }, now));
  const counters = new CounterTotals();
  for (const fixture of fixtures) counters.add(fixture);
  await batchWrite(bench.loader, bench.baton.tableName, [
    ...fixtures.flatMap((f) => [...enrollmentItems(f), ...studentItems(f)]),
    ...counters.items(),
  ]);
  log(`imports: ${rows.toLocaleString('en-US')} enrollments written`);

  const partner = (await bench.admin('GET', '/api/admin/partners/hsi')).body as Record<string, unknown>;
  const { name, courses, status, webhook } = partner;
  const saved = await bench.admin('PUT', '/api/admin/partners/hsi', { name, courses, status, webhook, csv: MAPPING });
  if (saved.status !== 200) throw new Error(`saving HSI's mapping answered ${saved.status} ${JSON.stringify(saved.body)}`);

  const day = `${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}/${now.getUTCFullYear()}`;
  const report = ['Student ID,Course,Completed,Result', ...fixtures.map((f) => `${f.accounts.hsi},"${COURSE}",${day},Pass`)].join('\r\n');
  const created = await bench.admin('POST', '/api/admin/imports', { kind: 'completions', partnerId: 'hsi', fileName: 'hsi-cards.csv' });
  const { importId, uploadUrl, uploadHeaders } = created.body as {
    importId: string;
    uploadUrl: string;
    uploadHeaders: Record<string, string>;
  };
  const put = await fetch(uploadUrl, { method: 'PUT', headers: uploadHeaders, body: report });
  if (put.status !== 200) throw new Error(`uploading the report answered ${put.status}`);

  const starts: number[] = [];
  bench.ports.onWorkflowStart = () => starts.push(performance.now());
  bench.ports.runWorkflows = false;
  bench.dynamo.modelTransactions = false;
  const began = performance.now();
  const run = await bench.admin('POST', `/api/admin/imports/${importId}/run`, { dryRun: false });
  if (run.status !== 202) throw new Error(`running the import answered ${run.status} ${JSON.stringify(run.body)}`);
  await bench.baton.drain();
  const seconds = (performance.now() - began) / 1000;
  bench.ports.onWorkflowStart = undefined;
  bench.ports.runWorkflows = true;
  bench.dynamo.modelTransactions = true;

  const job = (await bench.admin('GET', `/api/admin/imports/${importId}`)).body as {
    status: string;
    rows: { total: number; done: number };
    outcomes: Record<string, number>;
  };
  const accounted = Object.values(job.outcomes).reduce((sum, n) => sum + n, 0);
  if (job.status !== 'done' || job.rows.total !== rows || job.rows.done !== rows || accounted !== rows)
    throw new Error(`the import ended ${job.status}: ${JSON.stringify(job.rows)}, outcomes ${JSON.stringify(job.outcomes)}`);
  const result = {
    rows,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / seconds),
    startsPerSecondLimit,
    starts: starts.length,
    peakStartsPerSecond: peakInWindow(starts),
    outcomes: job.outcomes,
    rowsDone: job.rows.done,
  };
  log(`imports: ${rows.toLocaleString('en-US')} rows in ${result.seconds} s, peak ${result.peakStartsPerSecond} starts/s`);
  return result;
}

/** The section of docs/benchmarks.md. */
export function renderImportSection(m: ImportThroughput): string {
  const accounted = m.rowsDone === m.rows;
  // One import alone gets its step's share of the limit: the worker runs up to IMPORT_WORKER_CONCURRENCY steps at once.
  const minutes = Math.max(1, Math.round(m.rows / startsPerStep(DEFAULT_STARTS_PER_SECOND) / 60));
  return `## Imports: ${m.rows.toLocaleString('en-US')} rows

A completion report of ${m.rows.toLocaleString('en-US')} rows (HSI, one per Medical Assistant student whose first step is open),
uploaded through the import's slot and applied for real in local mode, with the workflow-start limit at
${m.startsPerSecondLimit} a second; the worker runs up to ${IMPORT_WORKER_CONCURRENCY} import steps at once, so one import alone paces its
starts at ${startsPerStep(m.startsPerSecondLimit)} a second (\`bench/scenarios/import-throughput.ts\`).

| Rows | Accounted for | Outcomes | Time | Rows per second | Workflow starts | Peak starts in one second |
|---|---|---|---|---|---|---|
| ${m.rows.toLocaleString('en-US')} | ${m.rowsDone.toLocaleString('en-US')} ${verdict(accounted)} | ${Object.entries(m.outcomes)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${o} ${n.toLocaleString('en-US')}`)
    .join(
      ', ',
    )} | ${m.seconds} s | ${m.rowsPerSecond} | ${m.starts.toLocaleString('en-US')} | ${m.peakStartsPerSecond} (limit ${m.startsPerSecondLimit}) ${verdict(m.peakStartsPerSecond <= m.startsPerSecondLimit)} |

Here DynamoDB Local (one Java process, writes serialized) and the pacing bound the rate together. On AWS the
limit does: at the default ${DEFAULT_STARTS_PER_SECOND} starts a second (${startsPerStep(DEFAULT_STARTS_PER_SECOND)} for one import alone), ${m.rows.toLocaleString('en-US')} applied rows take
about ${minutes} minute${minutes === 1 ? '' : 's'}, a chunk of 500 rows at a time (\`-c importStartsPerSecond\` raises it, within the account's
StartExecution quota, which the rest of Baton shares). Rows that start nothing (duplicates, unmatched, ignored) are not paced.
The burst suite runs the same pacing where it binds, with the executions: at most the limit in any second
(docs/reliability.md, "Import burst").`;
}

const verdict = (ok: boolean) => (ok ? '✅' : '❌');
