// Export throughput in local mode: writes N enrollments straight to the table (the bench's
// fixtures, completed and in progress, across the catalog's programs), exports them all through
// the API, and reports rows per second and what that means for a 100,000-row export on AWS
// (docs/exports.md). Usage: npx tsx bench/export-throughput.ts [rows=5000] [--metered]
import { randomUUID } from 'node:crypto';
import { SLICE_ROWS } from '../functions/use-cases/exports.js';
import { BenchDynamoDb } from './harness.js';
import { batchWrite, enrollmentItems, fixtureEnrollment, studentItems } from './fixtures.js';

/** The deployed worker's working time per run: 15 minutes less its reserve (functions/handlers/run-export.ts). */
const RUN_WORK_SECONDS = 15 * 60 - 180;

const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5000);
const metered = process.argv.includes('--metered');
const db = await BenchDynamoDb.start();
const bench = await db.baton(`baton-export-${randomUUID()}`);
try {
  const programs = await bench.baton.ports.catalog.list();
  const now = new Date();
  const items = [];
  for (let n = 0; n < rows; n++) {
    const program = programs[n % programs.length]!;
    const fixture = fixtureEnrollment(program, n, { kind: 'progressed', completedSequences: n % 3 }, now, n % 50);
    items.push(...enrollmentItems(fixture), ...studentItems(fixture));
  }
  await batchWrite(bench.loader, bench.baton.tableName, items);
  const started = performance.now();
  const exportAll = async () => {
    const answer = await bench.admin('POST', '/api/admin/exports', { kind: 'enrollments', filters: {} });
    await bench.baton.drain();
    return answer;
  };
  // Counting requests asks DynamoDB Local for consumed capacity, which slows it: only with --metered.
  const { result: answer, tally } = metered ? await bench.dynamo.measure(exportAll) : { result: await exportAll(), tally: undefined };
  if (answer.status !== 202) throw new Error(`POST /api/admin/exports answered ${answer.status}`);
  const seconds = (performance.now() - started) / 1000;
  const { exportId } = answer.body as { exportId: string };
  const job = await bench.baton.ports.exports.getJob(exportId);
  if (job?.status !== 'completed' || job.rows !== rows) throw new Error(`export ended ${job?.status} with ${job?.rows} rows`);
  const perSecond = rows / seconds;
  const hundredK = 100_000 / perSecond;
  console.log(
    JSON.stringify(
      {
        rows,
        seconds: Math.round(seconds * 10) / 10,
        rowsPerSecond: Math.round(perSecond),
        slices: job.parts.length,
        sliceRows: SLICE_ROWS,
        ...(tally
          ? {
              requestsPerRow: Object.fromEntries(Object.entries(tally.requests).map(([op, n]) => [op, Math.round((n / rows) * 100) / 100])),
            }
          : {}),
        hundredThousandRows: { minutes: Math.round((hundredK / 60) * 10) / 10, runs: Math.ceil(hundredK / RUN_WORK_SECONDS) },
      },
      null,
      2,
    ),
  );
} finally {
  await bench.stop();
  await db.local.stop();
}
