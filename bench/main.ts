// `npm run bench` (full: writes docs/benchmarks.md) and `npm run bench -- --quick` (the CI
// guard: counts only, compared with bench/budgets.json; fails on a regression).
import { cpus, platform, release } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../local/baton.js';
import { join as joinPath } from 'node:path';
import { checkBudgets, describeFailure, loadBudgets, type BudgetCheck, type Budgets } from './budgets.js';
import {
  monthlyBill,
  PROVIDERS,
  withSetting,
  PAID_SETTING_FIELDS,
  type BillInputs,
  type BillReport,
  type PaidSetting,
} from './bill/monthly-bill.js';
import { DEFAULT_DEPLOY, PAID_SETTINGS, synthesizeAndCount, type StackCounts } from './bill/stack-counts.js';
import { estimateCost, type CostScenario, type ScenarioCost, type WorkflowType } from './cost-model.js';
import { BenchDynamoDb } from './harness.js';
import { enrollmentUsage, guardedCounts } from './measurements.js';
import { enrollmentTotals } from './scenarios/counts.js';
import { renderReport, renderSummary, type BenchReport } from './report.js';
import { measureLifecycle, type LifecycleRun } from './scenarios/counts.js';
import { dashboardGrowth, measureDashboard, type DashboardPoint } from './scenarios/dashboard.js';
import { bundleGzipKib, measureFunctionWeight, type FunctionWeightResult } from './scenarios/function-weight.js';
import { directoryBytes, measureScheduledRuns } from './scenarios/scheduled.js';
import type { ScheduledRunMeasure } from './bill/monthly-bill.js';
import { measureLatency, type LatencyLevel } from './scenarios/latency.js';
import { measureSiteWeight, type SiteWeight } from './scenarios/site-weight.js';
import { measureImportThroughput, type ImportThroughput } from './scenarios/import-throughput.js';
import { spread } from './stats.js';

export const BUDGETS_FILE = join(REPO_ROOT, 'bench', 'budgets.json');
export const REPORT_FILE = join(REPO_ROOT, 'docs', 'benchmarks.md');

const FULL = { lifecycleRuns: 3, dashboardSizes: [1_000, 10_000, 100_000], dashboardRuns: 5, coldStartRuns: 5 };
/** Issue 11's import: 50,000 rows (`--import-rows=N` for another size), under a limit local mode does not reach. */
const IMPORT = { rows: 50_000, startsPerSecond: 100 };
const QUICK = { lifecycleRuns: 1, dashboardSizes: [1_000, 10_000], dashboardRuns: 1 };
const LATENCY_REQUESTS: Record<number, number> = { 1: 60, 8: 128, 32: 192 };
const LATENCY_RUNS: Record<number, number> = { 1: 4, 8: 3, 32: 3 };

/**
 * Two deployments the cost is computed for. What changes with volume is how often a function
 * starts cold. X-Ray's default rule records the first request each second and 5% of the rest;
 * below one request a second (≈2.6 million enrollments a month) that is nearly every request.
 */
export const COST_SCENARIOS: readonly CostScenario[] = [
  {
    name: 'small',
    label: '≈1,000 enrollments a month',
    why: 'a few requests an hour: every function has gone idle and starts cold',
    assumptions: { coldStartShare: 1, initMs: 500, expressMemoryMb: 64, traceShare: 1 },
  },
  {
    name: 'busy',
    label: '≈100,000 enrollments a month',
    why: 'functions stay warm; AWS reports cold starts in under 1% of invocations of production workloads',
    assumptions: { coldStartShare: 0.01, initMs: 500, expressMemoryMb: 64, traceShare: 1 },
  },
];

export async function main(argv: readonly string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const updateBudgets = argv.includes('--update-budgets');
  const began = performance.now();
  const log = (message: string) => console.log(`[${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s] ${message}`);
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: `${platform()} ${release()}`,
  };
  log(`Baton benchmarks${quick ? ' (--quick: counts only)' : ''} on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}`);

  const stack = synthesizeAndCount({ ...DEFAULT_DEPLOY });
  log(`template counted: ${stack.functions.length} functions, ${stack.alarms} alarms reading ${stack.alarmMetrics} metrics`);
  const bundles = await bundleGzipKib();
  const unbundled = stack.functions.filter((id) => !(id in bundles));
  if (unbundled.length > 0) throw new Error(`the template deploys functions the benchmark does not bundle: ${unbundled.join(', ')}`);
  log(`bundles: ${Object.keys(bundles).length} functions bundled`);

  const db = await BenchDynamoDb.start();
  log('DynamoDB Local started');
  const lifecycle: LifecycleRun[] = [];
  let certificateBytes: number;
  let scheduled: ScheduledRunMeasure[] = [];
  let dashboard: DashboardPoint[];
  let latency: LatencyLevel[] | undefined;
  let imports: ImportThroughput | undefined;
  try {
    const counts = await db.baton('bench-counts');
    try {
      for (let run = 0; run < (quick ? QUICK : FULL).lifecycleRuns; run++) {
        lifecycle.push(await measureLifecycle(counts, run));
        log(`requests per operation: enrollment lifecycle run ${run + 1} done`);
      }
      // Each lifecycle issues one certificate.
      certificateBytes = directoryBytes(joinPath(counts.dataDir, 'certificates')) / lifecycle.length;
    } finally {
      await counts.stop();
    }

    const dash = await db.baton('bench-dashboard');
    try {
      dashboard = await measureDashboard(dash, (quick ? QUICK : FULL).dashboardSizes, (quick ? QUICK : FULL).dashboardRuns, log);
    } finally {
      await dash.stop();
    }

    if (!quick) {
      const idle = await db.baton('bench-idle');
      try {
        scheduled = await measureScheduledRuns(
          idle,
          stack.schedules.map((sch) => sch.target),
          3,
        );
        log('idle: every scheduled function run on a table with nothing due');
      } finally {
        await idle.stop();
      }
      const lat = await db.baton('bench-latency');
      try {
        latency = await measureLatency(lat, { requests: LATENCY_REQUESTS, runs: LATENCY_RUNS }, log);
      } finally {
        await lat.stop();
      }
      const rows = Number(argv.find((a) => a.startsWith('--import-rows='))?.slice('--import-rows='.length) ?? IMPORT.rows);
      const imp = await db.baton('bench-imports', { importStartsPerSecond: IMPORT.startsPerSecond });
      try {
        imports = await measureImportThroughput(imp, rows, IMPORT.startsPerSecond, log);
      } finally {
        await imp.stop();
      }
    }
  } finally {
    await db.stop();
  }

  // Without DynamoDB Local running, so cold starts have the machine to themselves.
  let functionWeight: FunctionWeightResult | undefined;
  let site: SiteWeight | undefined;
  if (!quick) {
    functionWeight = await measureFunctionWeight(FULL.coldStartRuns, log);
    site = measureSiteWeight(REPO_ROOT);
  }

  const measured = guardedCounts(lifecycle, stack, bundles);
  if (updateBudgets) {
    writeBudgets(measured);
    log(`budgets written to ${BUDGETS_FILE}`);
  }
  const checks = checkBudgets(loadBudgets(BUDGETS_FILE), measured);
  const growth = dashboardGrowth(dashboard[0]!, dashboard[1]!);

  console.log(renderSummary(checks, dashboard, growth));
  if (!quick) {
    const costs = costRuns(lifecycle);
    const paid = synthesizeAndCount({ ...DEFAULT_DEPLOY, ...PAID_SETTINGS });
    const bill = bills(stack, paid, {
      lifecycle: lifecycle[0]!,
      certificateBytes,
      scheduled,
      siteLoadBytes: site!.built ? site!.js + site!.css : 0,
      siteBucketBytes: directoryBytes(joinPath(REPO_ROOT, 'web', 'dist')),
    });
    const report: BenchReport = {
      generatedAt: new Date().toISOString(),
      seconds: (performance.now() - began) / 1000,
      machine,
      lifecycle,
      costs,
      latency: latency!,
      imports: imports!,
      dashboard,
      growth,
      functionWeight: functionWeight!,
      site: site!,
      checks,
      bill,
    };
    mkdirSync(dirname(REPORT_FILE), { recursive: true });
    writeFileSync(REPORT_FILE, renderReport(report));
    log(`wrote ${REPORT_FILE}`);
  }
  const failed = checks.filter((c) => c.status === 'over' || c.status === 'unbudgeted');
  if (failed.length > 0 || growth.length > 0) {
    console.error(
      `\nFAIL: ${[...failed.map(describeFailure), ...growth.map((g) => `read cost grows with enrollments: ${g}`)].join('\n      ')}`,
    );
    return 1;
  }
  const loose = checks.filter((c) => c.status === 'under');
  if (loose.length > 0)
    console.log(`\nBelow budget (lower bench/budgets.json to lock the gain in): ${loose.map(describeCheck).join('; ')}`);
  log('done');
  return 0;
}

function describeCheck(check: BudgetCheck): string {
  return `${check.scope}.${check.metric} measured ${check.measured}, budget ${check.budget}`;
}

function bills(
  defaults: StackCounts,
  paid: StackCounts,
  measured: {
    lifecycle: LifecycleRun;
    certificateBytes: number;
    scheduled: ScheduledRunMeasure[];
    siteLoadBytes: number;
    siteBucketBytes: number;
  },
): BillReport {
  const totals = enrollmentTotals(measured.lifecycle);
  const inputs: BillInputs = {
    counts: defaults,
    enrollment: {
      usage: enrollmentUsage(measured.lifecycle),
      logBytes: totals.logBytes,
      webhooks: totals.webhooks,
      workflowLogBytes: totals.workflow.logBytes,
      certificateBytes: measured.certificateBytes,
    },
    scheduled: measured.scheduled,
    siteLoadBytes: measured.siteLoadBytes,
    siteBucketBytes: measured.siteBucketBytes,
  };
  return {
    defaults,
    paid,
    inputs,
    bills: PROVIDERS.map((p) => monthlyBill(p, inputs)),
    settings: (Object.keys(PAID_SETTING_FIELDS) as PaidSetting[]).map((setting) => ({
      setting,
      bills: PROVIDERS.map((p) => monthlyBill(p, { ...inputs, counts: withSetting(defaults, paid, setting) })),
    })),
  };
}

/** Cost of each lifecycle run (durations differ run to run; counts do not), per scenario and workflow type. */
function costRuns(runs: readonly LifecycleRun[]): ScenarioCost[] {
  const workflows: WorkflowType[] = ['express', 'standard'];
  return workflows.flatMap((workflow) =>
    COST_SCENARIOS.map((scenario) => {
      const estimates = runs.map((r) => estimateCost(enrollmentUsage(r), scenario.assumptions, workflow));
      return { scenario, workflow, estimates, total: spread(estimates.map((c) => c.total)) };
    }),
  );
}

function writeBudgets(measured: Record<string, Record<string, number>>) {
  const budgets: Record<string, string | Budgets[string]> = {
    $comment:
      'Counts per operation that `npm run bench -- --quick` (CI) must not exceed. Lower them when a change saves requests; raise one only with a reason in the commit. Regenerate with `npm run bench -- --quick --update-budgets`.',
    ...measured,
  };
  writeFileSync(BUDGETS_FILE, `${JSON.stringify(budgets, null, 2)}\n`);
}
