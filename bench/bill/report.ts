// The monthly bill's section of docs/benchmarks.md and its summary rows, from one run's BillReport.
import { PRICES, PRICES_TAKEN_ON } from '../cost-model.js';
import { BILL_ASSUMPTIONS, BILL_GOALS, PROVIDERS, type Bill, type BillLine, type BillReport, type PaidSetting } from './monthly-bill.js';
import { FIXED_PRICES, FIXED_PRICES_TAKEN_ON } from './prices.js';
import type { StackCounts } from './stack-counts.js';

const dollars = (n: number) => (n === 0 ? '$0' : n < 0.01 ? '<$0.01' : `$${n.toFixed(2)}`);
const amount = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n < 10 ? n.toPrecision(3) : Math.round(n).toLocaleString('en-US');
/** Goals are judged on the figure as printed (two decimals), so the table and the verdict agree. */
const within = (value: number, goal: number) => Math.round(value * 100) / 100 <= goal;
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ not met');
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const head = (cells: string[], textColumns = 1) => [row(cells), row(cells.map((_, i) => (i < textColumns ? '---' : '---:')))].join('\n');

const key = (l: BillLine) => `${l.service}: ${l.item}`;

export function billSummaryRows(r: BillReport): string {
  return PROVIDERS.filter((p) => p.label in BILL_GOALS)
    .map((p) => {
      const bill = r.bills.find((b) => b.provider === p)!;
      const goal = BILL_GOALS[p.label as keyof typeof BILL_GOALS];
      const largest = bill.lines.reduce((a, b) => (b.usd > a.usd ? b : a));
      return row([
        `Monthly bill, ${p.label} (default deploy, Essentials)`,
        `**${dollars(bill.total)}** (largest line: ${key(largest)}, ${dollars(largest.usd)})`,
        `≤ $${goal} ${verdict(within(bill.total, goal))}`,
      ]);
    })
    .join('\n');
}

function billTable(bills: readonly Bill[]): string {
  const keys: string[] = [];
  for (const b of bills) for (const l of b.lines) if ((l.quantity > 0 || l.usd > 0) && !keys.includes(key(l))) keys.push(key(l));
  const cell = (b: Bill, k: string) => {
    const l = b.lines.find((x) => key(x) === k);
    if (!l || l.quantity === 0) return '—';
    const freeNote = l.free > 0 ? (l.free === l.quantity ? ', free' : `, ${amount(l.free)} free`) : '';
    return `${dollars(l.usd)} <br><sub>${amount(l.quantity)} ${l.unit}${freeNote}</sub>`;
  };
  const fixedFirst = [...keys].sort((a, b) => kindOf(bills, a).localeCompare(kindOf(bills, b)));
  return [
    head(['Line', 'Kind', ...bills.map((b) => `${b.provider.label} (${amount(b.activeUsers)} MAU)`)], 2),
    ...fixedFirst.map((k) => row([k, kindOf(bills, k), ...bills.map((b) => cell(b, k))])),
    row(['**Total a month**', '', ...bills.map((b) => `**${dollars(b.total)}**`)]),
    row([
      '**Goal**',
      '',
      ...bills.map((b) => {
        const goal = BILL_GOALS[b.provider.label as keyof typeof BILL_GOALS];
        return goal === undefined ? '—' : `≤ $${goal} ${verdict(within(b.total, goal))}`;
      }),
    ]),
  ].join('\n');
}

const kindOf = (bills: readonly Bill[], k: string) => bills[0]!.lines.find((l) => key(l) === k)?.kind ?? 'use';

const SETTING_LABELS: Record<PaidSetting, { on: string; what: string }> = {
  threatProtection: { on: '`threatProtection=true`', what: 'Cognito Plus plan: every MAU at $0.02, no free tier' },
  workflowLogLevel: { on: '`workflowLogLevel=ALL`', what: 'every workflow event with its data into CloudWatch Logs' },
  tracing: { on: '`tracing=true`', what: 'X-Ray traces of every request and execution' },
  functionAlarms: { on: '`functionAlarms=grouped`', what: 'each function’s own errors and throttles alarmed (2 alarm metrics a function)' },
  topicEncryption: { on: '`topicEncryption=true`', what: 'a customer managed KMS key for the alarm topic' },
  partnerWebhookRateLimit: { on: '`partnerWebhookRateLimit=<n>`', what: 'a WAF web ACL with one rate rule on the distribution' },
};

function settingsTable(r: BillReport): string {
  return [
    head(['Setting turned on', 'What it buys', ...PROVIDERS.map((p) => `adds, ${p.label}`)], 2),
    ...r.settings.map(({ setting, bills }) =>
      row([SETTING_LABELS[setting].on, SETTING_LABELS[setting].what, ...bills.map((b, i) => `+${dollars(b.total - r.bills[i]!.total)}`)]),
    ),
  ].join('\n');
}

const COUNT_ROWS: Array<[keyof StackCounts, string]> = [
  ['alarms', 'CloudWatch alarms'],
  ['alarmMetrics', 'Metrics the alarms read (billed each)'],
  ['compositeAlarms', 'Composite alarms'],
  ['customMetrics', 'Custom metrics the code emits (name × dimension values)'],
  ['dashboards', 'Dashboards'],
  ['dashboardMetrics', 'Metrics on the dashboard (free tier: 50)'],
  ['kmsKeys', 'KMS keys'],
  ['secrets', 'Secrets Manager secrets'],
  ['webAcls', 'WAF web ACLs'],
  ['userPoolTier', 'Cognito feature plan'],
  ['workflowLogLevel', 'Workflow log level'],
  ['tracedFunctions', 'Functions traced by X-Ray'],
];

function countsTable(r: BillReport): string {
  const value = (c: StackCounts, k: keyof StackCounts) => (Array.isArray(c[k]) ? String(c[k].length) : String(c[k]));
  return [
    head(['What the template holds', 'Default deploy', 'Every paid setting on']),
    row(['Functions', String(r.defaults.functions.length), String(r.paid.functions.length)]),
    ...COUNT_ROWS.map(([k, label]) => row([label, value(r.defaults, k), value(r.paid, k)])),
    row([
      'Schedules (runs a month)',
      r.defaults.schedules.map((s) => `${s.target} every ${s.everySeconds / 60} min (${amount(s.runsPerMonth)})`).join('; '),
      'same',
    ]),
  ].join('\n');
}

export function billSection(r: BillReport): string {
  const e = r.inputs.enrollment;
  const priceRows = Object.values(FIXED_PRICES).map((p) =>
    row([p.per, `$${p.usd < 0.01 ? p.usd.toPrecision(3) : p.usd}`, 'free' in p ? amount(p.free) : '—', p.source]),
  );
  return `## 3. The monthly bill, fixed costs included

What one Baton deployment costs a month, **every line**: what the stack holds whether or not anyone uses it, counted from
the synthesized template of the default deploy (\`-c stage=prod\`, every other setting at its default; the stack and its
nested stacks) — and what its use costs, counted in local mode: section 2's per-enrollment counts, the scheduled
functions' runs on a table with nothing due, and the bytes every function and the workflow log. Nothing in the table is
typed by hand; a new alarm, key, secret, schedule or function changes it on the next run.

**Assumptions.** Monthly active users (Cognito's billing unit) = enrollments a month × ${BILL_ASSUMPTIONS.activeMonths} months a student stays
active + staff (${PROVIDERS.map((p) => `${p.staff} for ${p.label}`).join(', ')}). Only free allowances that never expire are applied, as a
provider pays from its second year; they are per AWS account, so Baton is assumed in an account of its own (as docs/deploy.md
advises; the \`account\` function alarms assume it too). Every API request and workflow task starts cold (${BILL_ASSUMPTIONS.initMs} ms INIT billed);
schedules running at least every ${BILL_ASSUMPTIONS.warmScheduleSeconds / 60} minutes stay warm. S3 holds ${BILL_ASSUMPTIONS.certificateMonthsKept} months of certificates
(${(e.certificateBytes / 1024).toFixed(1)} KB each, measured) and the site. The site's first load (${(r.inputs.siteLoadBytes / 1024).toFixed(1)} KB gzip)
is fetched ${BILL_ASSUMPTIONS.siteLoadsPerActiveUser} times a month per active user, nothing cached. Logs: ${amount(e.logBytes)} bytes of Powertools lines per
enrollment at INFO, plus Lambda's START/END/REPORT lines per invocation and one metric line per webhook; the workflow's execution
log is ${amount(e.workflowLogBytes.ERROR)} bytes per enrollment at ERROR (a healthy enrollment fails nothing) and ${amount(e.workflowLogBytes.ALL)} at ALL.
Scheduled runs with nothing due: ${r.inputs.scheduled.map((s) => `${s.target} ${Math.round(s.ms)} ms, ${s.readUnits} RRU, ${s.logBytes} log bytes`).join('; ')}.

${billTable(r.bills)}

Not on the bill because they are free at these sizes or not used: SQS and SNS (within their always-free million requests),
DynamoDB storage (within 25 GB free), Secrets Manager API calls (each function caches the secret for 5 minutes),
CloudFront requests (within 10 million free), data transfer between services in one region.

### Deploy settings that change the bill

The defaults are what a small provider should run; each paid setting is one \`-c\` flag (docs/deploy.md). What turning
one on adds to the default bill, computed from a second template with every paid setting on:

${settingsTable(r)}

### What the template holds

${countsTable(r)}

### Monthly prices (us-east-1, taken ${FIXED_PRICES_TAKEN_ON}; per-use prices in section 2, taken ${PRICES_TAKEN_ON})

${head(['Price', 'USD', 'Always free a month', 'Source'])}
${priceRows.join('\n')}

Per-use prices reused from section 2: ${Object.values(PRICES)
    .map((p) => p.per)
    .join('; ')}.
`;
}
