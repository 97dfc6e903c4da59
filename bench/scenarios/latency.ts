// Webhook latency and throughput in local mode at concurrency 1, 8 and 32, against DynamoDB
// Local, next to (a) the same DynamoDB requests the handler makes, issued directly ("bare"),
// and (b) GET /api/health, the cost of the local HTTP hop alone. Every webhook applies a fresh
// step (enrollments loaded with BatchWriteItem); workflow starts are counted but not run, since
// on AWS the workflow runs elsewhere and here it would compete for the same two cores.
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { counterShard } from '../../functions/adapters/dynamodb/keys.js';
import type { Program } from '../../functions/domain/programs.js';
import { answerStatus, type BenchBaton } from '../harness.js';
import { totalRequests, type RecordedCall } from '../instrument.js';
import { CounterTotals, batchWrite, enrollmentItems, fixtureEnrollment, studentItems, type FixtureEnrollment } from '../fixtures.js';
import { percentile, sortedCopy } from '../stats.js';
import { REFERENCE_PROGRAM } from './counts.js';

export const CONCURRENCY_LEVELS = [1, 8, 32] as const;

export interface LatencyRun {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}

export interface LatencyLevel {
  concurrency: number;
  webhook: LatencyRun[];
  bare: LatencyRun[];
  health: LatencyRun[];
  /** DynamoDB requests per webhook at this concurrency (above 4 means conflicts were retried). */
  requestsPerWebhook: number;
  /** Webhooks that did not answer 200 applied (should be none). */
  errors: number;
}

interface Target {
  fixture: FixtureEnrollment;
  step: number;
}

const COMMANDS: Record<string, new (input: never) => unknown> = {
  GetItem: GetItemCommand,
  Query: QueryCommand,
  TransactWriteItems: TransactWriteItemsCommand,
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
};

export async function measureLatency(
  bench: BenchBaton,
  options: { requests: Record<number, number>; runs: Record<number, number> },
  progress: (message: string) => void,
): Promise<LatencyLevel[]> {
  bench.ports.runWorkflows = false;
  bench.dynamo.modelTransactions = false; // the model's extra reads would slow both sides
  const program = (await bench.baton.ports.catalog.get(REFERENCE_PROGRAM))!;
  const webhooks = CONCURRENCY_LEVELS.reduce(
    (sum, c) => sum + (options.requests[c]! + chunksFor(c, options.requests[c]!)) * options.runs[c]!,
    0,
  );
  const warmUp = 100;
  const targets = await loadTargets(bench, program, Math.ceil((2 * webhooks + warmUp + 3) / program.steps.length) + 1);
  progress(`latency: ${targets.length.toLocaleString('en-US')} fresh steps loaded`);

  // The handler's requests for each step position, recorded from one webhook each.
  const templates: Array<{ source: FixtureEnrollment; calls: RecordedCall[] }> = [];
  const templateSource = targets.find((t) => t.step === 0)!.fixture;
  for (let step = 0; step < program.steps.length; step++) {
    const target = takeTarget(targets, (t) => t.fixture === templateSource && t.step === step);
    const { result, calls } = await bench.dynamo.record(() => sendWebhook(bench, program, target));
    if (result.status !== 'applied') throw new Error(`template webhook answered ${result.status}`);
    templates.push({ source: templateSource, calls });
  }
  const queue = targets.filter((t) => t.fixture !== templateSource);
  const next = () => {
    const target = queue.shift();
    if (!target) throw new Error('latency benchmark ran out of fresh steps');
    return target;
  };

  // Warm up the handlers, the SDK and the JIT.
  await runAtConcurrency(8, warmUp, async () => void (await sendWebhook(bench, program, next())));

  const levels: LatencyLevel[] = [];
  for (const concurrency of CONCURRENCY_LEVELS) {
    const count = options.requests[concurrency]!;
    const level: LatencyLevel = { concurrency, webhook: [], bare: [], health: [], requestsPerWebhook: 0, errors: 0 };
    let requests = 0;
    const chunks = chunksFor(concurrency, count);
    for (let run = 0; run < options.runs[concurrency]!; run++) {
      // Webhook, bare and HTTP-hop requests in alternating chunks, so a noisy moment hits all three alike.
      const samples = { webhook: new Samples(), bare: new Samples(), health: new Samples() };
      for (let chunk = 0; chunk < chunks; chunk++) {
        const size = Math.ceil(count / chunks);
        const webhook = await bench.dynamo.measure(() =>
          runAtConcurrency(concurrency, size, async () => {
            const outcome = await sendWebhook(bench, program, next());
            if (outcome.status !== 'applied') level.errors++;
          }),
        );
        samples.webhook.add(webhook.result);
        requests += totalRequests(webhook.tally);
        samples.bare.add(await runAtConcurrency(concurrency, size, () => replayBare(bench, templates, next())));
        samples.health.add(
          await runAtConcurrency(concurrency, size, async () => {
            const response = await fetch(`${bench.baton.url}/api/health`);
            await response.text();
          }),
        );
      }
      level.webhook.push(samples.webhook.summary());
      level.bare.push(samples.bare.summary());
      level.health.push(samples.health.summary());
    }
    level.requestsPerWebhook = requests / (Math.ceil(count / chunks) * chunks * options.runs[concurrency]!);
    levels.push(level);
    progress(`latency: concurrency ${concurrency} done`);
  }
  bench.dynamo.modelTransactions = true;
  return levels;
}

/** Sequential requests alternate every 10; concurrent ones in 4 chunks, each long enough to reach a steady state. */
const chunksFor = (concurrency: number, count: number) => (concurrency === 1 ? Math.ceil(count / 10) : 4);

async function loadTargets(bench: BenchBaton, program: Program, enrollments: number): Promise<Target[]> {
  const now = new Date();
  const counters = new CounterTotals();
  const fixtures: FixtureEnrollment[] = [];
  const items = [];
  for (let n = 0; n < enrollments; n++) {
    const fixture = fixtureEnrollment(program, n, { kind: 'fresh' }, now);
    fixtures.push(fixture);
    counters.add(fixture);
    items.push(...enrollmentItems(fixture), ...studentItems(fixture));
  }
  await batchWrite(bench.loader, bench.baton.tableName, [...items, ...counters.items()]);
  // Step-major order: consecutive webhooks hit different enrollments, as independent students would.
  return program.steps.flatMap((_, step) => fixtures.map((fixture) => ({ fixture, step })));
}

function takeTarget(targets: Target[], match: (t: Target) => boolean): Target {
  const index = targets.findIndex(match);
  return targets.splice(index, 1)[0]!;
}

async function sendWebhook(bench: BenchBaton, program: Program, target: Target): Promise<{ status: string }> {
  const step = program.steps[target.step]!;
  const response = await bench.webhook(step.partnerId, {
    studentId: target.fixture.accounts[step.partnerId]!,
    courseId: step.courseId,
    email: target.fixture.student.email,
    score: 92,
  });
  return { status: String(answerStatus(response.body)) };
}

let bareCounter = 0;

/** The handler's recorded requests, re-targeted at another enrollment, sent in the same order. */
async function replayBare(
  bench: BenchBaton,
  templates: ReadonlyArray<{ source: FixtureEnrollment; calls: RecordedCall[] }>,
  target: Target,
) {
  const template = templates[target.step]!;
  const from = template.source;
  const to = target.fixture;
  const webhookId = `msg_bare${String(bareCounter++).padStart(28, '0')}`;
  let text = JSON.stringify(template.calls);
  const swap = (a: string, b: string) => (text = text.split(a).join(b));
  swap(from.enrollment.id, to.enrollment.id);
  swap(from.student.id, to.student.id);
  swap(from.student.email, to.student.email);
  for (const [partnerId, externalId] of Object.entries(from.accounts)) swap(externalId, to.accounts[partnerId]!);
  swap(`"COUNTERS#${counterShard(from.enrollment.id)}"`, `"COUNTERS#${counterShard(to.enrollment.id)}"`);
  text = text.replace(/msg_[0-9a-f]{32}/g, webhookId);
  for (const call of JSON.parse(text) as RecordedCall[]) {
    const Command = COMMANDS[call.operation];
    if (!Command) throw new Error(`bare replay does not know ${call.operation}`);
    try {
      await bench.client.send(new Command(call.input as never) as never);
    } catch (error) {
      // A write the webhook makes at most once (a secret's "last used", once an hour; an item a
      // transaction creates once) fails its condition when replayed: the round trip it measures is the same.
      const conditionOnly =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).every((r) => r.Code === 'None' || r.Code === 'ConditionalCheckFailed');
      if (!(error instanceof ConditionalCheckFailedException) && !conditionOnly) throw error;
    }
  }
}

interface Timings {
  latencies: number[];
  elapsedMs: number;
}

/** Latencies and busy time collected over several chunks of one run. */
class Samples {
  private readonly latencies: number[] = [];
  private elapsedMs = 0;

  add(timings: Timings) {
    this.latencies.push(...timings.latencies);
    this.elapsedMs += timings.elapsedMs;
  }

  summary(): LatencyRun {
    const sorted = sortedCopy(this.latencies);
    return {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      perSecond: (sorted.length / this.elapsedMs) * 1000,
    };
  }
}

/** Runs `count` calls of `task`, `concurrency` at a time; returns each call's latency and the time it all took. */
export async function runAtConcurrency(concurrency: number, count: number, task: () => Promise<void>): Promise<Timings> {
  const latencies: number[] = [];
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < count) {
      started++;
      const t0 = performance.now();
      await task();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, elapsedMs: performance.now() - begin };
}
