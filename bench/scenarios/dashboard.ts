// Admin dashboard cost vs size: GET /api/admin/pipeline with 1,000, 10,000 and 100,000
// enrollments in the table, loaded with BatchWriteItem. Enrollments are spread over the whole
// catalog (round robin) in every state: just started, part done, completed; in-progress steps
// started over the last 60 days, so most of them count as stuck. A fixed handful of workflow
// failures (failures are rare events admins clear, not a share of enrollments).
import { indexKeys } from '../../functions/adapters/dynamodb/keys.js';
import type { Program } from '../../functions/domain/programs.js';
import type { BenchBaton } from '../harness.js';
import { totalRequests, type DynamoTally } from '../instrument.js';
import { CounterTotals, batchWrite, enrollmentItems, fixtureEnrollment, type FixtureEnrollment } from '../fixtures.js';
import { spread, type Spread } from '../stats.js';
import { listGrowth, measureListReads, type ListRead } from './lists.js';

const FAILED_WORKFLOWS = 5;

export interface DashboardPoint {
  enrollments: number;
  /** The cost of one pipeline read (the same on every run: reads are deterministic). */
  dynamo: DynamoTally;
  requests: number;
  ms: Spread;
  /** What the page showed, to prove the counts are right. */
  shown: { enrollments: number; stuck: number; failures: number };
  /** One page of each kind of enrollment list (GET /api/admin/enrollments). */
  lists: ListRead[];
}

export function dashboardFixture(programs: readonly Program[], n: number, now: Date): FixtureEnrollment {
  const program = programs[n % programs.length]!;
  const sequences = new Set(program.steps.map((s) => s.sequence)).size;
  // Deterministic spread of states and ages (a multiplicative hash of n).
  const hash = (n * 2654435761) >>> 0;
  const completedSequences = hash % (sequences + 1);
  const fixture = fixtureEnrollment(program, n, { kind: 'progressed', completedSequences }, now, (hash % 60_000) / 1000);
  if (n < FAILED_WORKFLOWS && fixture.enrollment.status === 'active') {
    fixture.enrollment.workflowFailure = { error: 'States.Timeout', cause: 'fixture', at: now.toISOString() };
  }
  return fixture;
}

export async function measureDashboard(
  bench: BenchBaton,
  sizes: readonly number[],
  runs: number,
  progress: (message: string) => void,
): Promise<DashboardPoint[]> {
  const programs = await bench.baton.ports.catalog.list();
  const now = new Date();
  const counters = new CounterTotals();
  const points: DashboardPoint[] = [];
  let loaded = 0;
  for (const size of sizes) {
    const started = performance.now();
    const items = [];
    for (let n = loaded; n < size; n++) {
      const fixture = dashboardFixture(programs, n, now);
      counters.add(fixture);
      const [enrollment, ...steps] = enrollmentItems(fixture);
      const failure = fixture.enrollment.workflowFailure;
      // As the RecordFailure state leaves it: in the attention index under WORKFLOW_FAILED.
      items.push(failure ? { ...enrollment, ...indexKeys.workflowFailed(failure.at, fixture.enrollment.id) } : enrollment!, ...steps);
    }
    await batchWrite(bench.loader, bench.baton.tableName, items);
    await batchWrite(bench.loader, bench.baton.tableName, counters.items());
    loaded = size;
    progress(
      `dashboard: ${size.toLocaleString('en-US')} enrollments loaded (${items.length.toLocaleString('en-US')} items, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );

    // The first read, untimed, gives the cost (reads are deterministic) and warms the handler up.
    const { result: first, tally } = await bench.dynamo.measure(() => bench.admin('GET', '/api/admin/pipeline?stuckDays=7'));
    if (first.status !== 200) throw new Error(`pipeline answered ${first.status}`);
    const body = first.body as { programs: Array<{ total: number }>; stuck: unknown[]; failures: unknown[] };
    const cost = {
      dynamo: tally,
      shown: { enrollments: body.programs.reduce((s, p) => s + p.total, 0), stuck: body.stuck.length, failures: body.failures.length },
    };
    const times: number[] = [];
    for (let run = 0; run < runs; run++) times.push((await bench.admin('GET', '/api/admin/pipeline?stuckDays=7')).ms);
    if (cost.shown.enrollments !== size) throw new Error(`pipeline counts ${cost.shown.enrollments} enrollments, ${size} loaded`);
    const lists = await measureListReads(bench, programs[0]!.id, now);
    points.push({
      enrollments: size,
      dynamo: cost.dynamo,
      requests: totalRequests(cost.dynamo),
      ms: spread(times),
      shown: cost.shown,
      lists,
    });
  }
  return points;
}

/** Whether reading the dashboard costs more at a larger size (the CI guard's question). */
export function dashboardGrowth(small: DashboardPoint, large: DashboardPoint): string[] {
  const grew: string[] = [];
  if (large.requests > small.requests) grew.push(`requests ${small.requests} → ${large.requests}`);
  if (large.dynamo.itemsRead > small.dynamo.itemsRead) grew.push(`items read ${small.dynamo.itemsRead} → ${large.dynamo.itemsRead}`);
  if (large.dynamo.readUnits > small.dynamo.readUnits) grew.push(`read units ${small.dynamo.readUnits} → ${large.dynamo.readUnits}`);
  return [...grew, ...listGrowth(small.lists, large.lists)];
}
