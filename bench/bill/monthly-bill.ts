// The monthly bill of one Baton deployment: what the stack holds (counted from its template,
// bench/bill/stack-counts.ts) plus what its use costs (counted in local mode), for a provider of a
// given size. Pure arithmetic over measured inputs, unit-tested in test/unit/bench-bill.test.ts.
import { estimateCost, PRICES, type EnrollmentUsage, type PriceId } from '../cost-model.js';
import { EMF_LINE_BYTES, LAMBDA_PLATFORM_BYTES_PER_INVOCATION } from '../log-meter.js';
import { FIXED_PRICES, type FixedPriceId, type MonthlyPrice } from './prices.js';
import type { StackCounts } from './stack-counts.js';

export interface Provider {
  label: string;
  enrollmentsPerMonth: number;
  /** Admins and viewers who sign in during the month. */
  staff: number;
}

/** Idle, and the three sizes the goal is about. */
export const PROVIDERS: readonly Provider[] = [
  { label: 'idle', enrollmentsPerMonth: 0, staff: 0 },
  { label: '100 enrollments', enrollmentsPerMonth: 100, staff: 3 },
  { label: '1,000 enrollments', enrollmentsPerMonth: 1_000, staff: 5 },
  { label: '10,000 enrollments', enrollmentsPerMonth: 10_000, staff: 20 },
];

export const BILL_ASSUMPTIONS = {
  /** Months a student stays active (signs in) per enrollment: a program of about a quarter. */
  activeMonths: 3,
  /** Site loads a month per active user (first loads, nothing cached). */
  siteLoadsPerActiveUser: 20,
  /** Storage is priced after a year of certificates. */
  certificateMonthsKept: 12,
  /** Every API and task invocation starts cold (a few requests an hour spread over 70 functions). */
  coldStartShare: 1,
  initMs: 500,
  /** A schedule that runs at least every 5 minutes keeps its function warm. */
  warmScheduleSeconds: 300,
  /** One RSA signature per certificate (its Open Badges credential). */
  signaturesPerCertificate: 1,
  /**
   * Half the enrollments bring one proof file (a photo of a card or a PDF; up to 10 MB, a phone
   * photo is 1–3 MB). Evidence files have no expiry: the proof stays with its step.
   */
  evidenceShare: 0.5,
  evidenceFileBytes: 1.5 * 1024 * 1024,
  /**
   * Each enrollment is a row in about one report a month (the file, its chunk copy, its result
   * line: about 1 KB in all), kept 30 days by the uploads bucket's lifecycle rules.
   */
  importBytesPerEnrollment: 1024,
} as const;

/** What one enrollment uses and logs, measured in local mode. */
export interface EnrollmentMeasure {
  usage: EnrollmentUsage;
  /** Bytes the functions logged (Powertools lines). */
  logBytes: number;
  webhooks: number;
  /** Execution-log bytes at each level. */
  workflowLogBytes: { ALL: number; ERROR: number };
  certificateBytes: number;
}

/** One run of a scheduled function on a table with nothing due, measured in local mode. */
export interface ScheduledRunMeasure {
  target: string;
  ms: number;
  memoryMb: number;
  readUnits: number;
  writeUnits: number;
  logBytes: number;
}

export interface BillInputs {
  counts: StackCounts;
  enrollment: EnrollmentMeasure;
  scheduled: readonly ScheduledRunMeasure[];
  /** Bytes of the site's first load (gzip) and of its files in the bucket. */
  siteLoadBytes: number;
  siteBucketBytes: number;
}

export interface BillLine {
  service: string;
  item: string;
  kind: 'fixed' | 'use';
  quantity: number;
  unit: string;
  free: number;
  usd: number;
  price: { usd: number; per: string };
}

export interface Bill {
  provider: Provider;
  activeUsers: number;
  lines: BillLine[];
  total: number;
}

const GB = 1024 ** 3;

const line = (
  service: string,
  item: string,
  kind: BillLine['kind'],
  quantity: number,
  unit: string,
  price: { usd: number; per: string; free?: number },
): BillLine => {
  const free = Math.min(quantity, price.free ?? 0);
  return { service, item, kind, quantity, unit, free, usd: (quantity - free) * price.usd, price: { usd: price.usd, per: price.per } };
};

const fixed = (id: FixedPriceId): MonthlyPrice => FIXED_PRICES[id];
const perUse = (id: PriceId) => PRICES[id];

export function monthlyBill(provider: Provider, inputs: BillInputs): Bill {
  const { counts, enrollment } = inputs;
  const n = provider.enrollmentsPerMonth;
  const activeUsers = provider.enrollmentsPerMonth * BILL_ASSUMPTIONS.activeMonths + provider.staff;
  const traced = counts.tracedFunctions > 0;
  const perEnrollment = estimateCost(
    enrollment.usage,
    {
      coldStartShare: BILL_ASSUMPTIONS.coldStartShare,
      initMs: BILL_ASSUMPTIONS.initMs,
      expressMemoryMb: 64,
      traceShare: traced ? 1 : 0,
    },
    'express',
  );
  const used = (price: PriceId) => perEnrollment.lines.filter((l) => l.price === price).reduce((sum, l) => sum + l.quantity, 0) * n;

  // Scheduled runs happen whether or not anyone enrolls.
  const schedule = counts.schedules.map((s) => {
    const run = inputs.scheduled.find((r) => r.target === s.target);
    if (!run) throw new Error(`no measured run of the scheduled function ${s.target}`);
    const coldShare = s.everySeconds > BILL_ASSUMPTIONS.warmScheduleSeconds ? 1 : 0;
    const gbSeconds = ((Math.ceil(run.ms) + coldShare * BILL_ASSUMPTIONS.initMs) / 1000) * (run.memoryMb / 1024);
    return { runs: s.runsPerMonth, gbSeconds: gbSeconds * s.runsPerMonth, run };
  });
  const scheduledRuns = schedule.reduce((sum, s) => sum + s.runs, 0);
  const sum = (pick: (s: (typeof schedule)[number]) => number) => schedule.reduce((total, s) => total + pick(s), 0);

  const workflowLogBytes =
    counts.workflowLogLevel === 'ALL'
      ? enrollment.workflowLogBytes.ALL
      : counts.workflowLogLevel === 'ERROR'
        ? enrollment.workflowLogBytes.ERROR
        : 0;
  const logBytesPerEnrollment =
    enrollment.logBytes +
    enrollment.usage.lambdaInvocations * LAMBDA_PLATFORM_BYTES_PER_INVOCATION +
    enrollment.webhooks * EMF_LINE_BYTES +
    workflowLogBytes;
  const idleLogBytes = sum((s) => s.runs * (s.run.logBytes + LAMBDA_PLATFORM_BYTES_PER_INVOCATION));
  const logGb = (n * logBytesPerEnrollment + idleLogBytes) / GB;
  const retentionMonths = counts.logRetentionDays / 30.44;
  const siteGb = (activeUsers * BILL_ASSUMPTIONS.siteLoadsPerActiveUser * inputs.siteLoadBytes) / GB;
  const keptMonths = BILL_ASSUMPTIONS.certificateMonthsKept;
  const storedGb = (n * keptMonths * enrollment.certificateBytes + inputs.siteBucketBytes) / GB;
  const uploadsGb =
    (n * keptMonths * BILL_ASSUMPTIONS.evidenceShare * BILL_ASSUMPTIONS.evidenceFileBytes + n * BILL_ASSUMPTIONS.importBytesPerEnrollment) /
    GB;
  const dashboardPrice = { ...fixed('dashboard'), free: counts.dashboardMetrics <= 50 ? fixed('dashboard').free : 0 };

  const lines: BillLine[] = [
    line(
      'CloudWatch',
      `${counts.alarms} alarms reading ${counts.alarmMetrics} metrics`,
      'fixed',
      counts.alarmMetrics,
      'alarm metrics',
      fixed('alarmMetric'),
    ),
    line('CloudWatch', 'Composite alarms', 'fixed', counts.compositeAlarms, 'alarms', fixed('compositeAlarm')),
    line(
      'CloudWatch',
      'Custom metrics (name × dimension values the code emits)',
      'fixed',
      counts.customMetrics,
      'metrics',
      fixed('customMetric'),
    ),
    line('CloudWatch', `Dashboards (${counts.dashboardMetrics} metrics)`, 'fixed', counts.dashboards, 'dashboards', dashboardPrice),
    line('KMS', 'Customer managed keys', 'fixed', counts.kmsKeys, 'keys', fixed('kmsKey')),
    line('Secrets Manager', 'Secrets', 'fixed', counts.secrets, 'secrets', fixed('secret')),
    line('WAF', 'Web ACLs and rules', 'fixed', counts.webAcls, 'web ACLs', fixed('wafWebAcl')),
    line('WAF', 'Rules', 'fixed', counts.webAclRules, 'rules', fixed('wafRule')),
    line(
      'Cognito',
      `Monthly active users (${counts.userPoolTier === 'PLUS' ? 'Plus' : 'Essentials'} plan)`,
      'use',
      activeUsers,
      'MAU',
      counts.userPoolTier === 'PLUS' ? fixed('cognitoPlusMau') : fixed('cognitoEssentialsMau'),
    ),
    line(
      'EventBridge Scheduler',
      `${counts.schedules.length} schedules`,
      'fixed',
      scheduledRuns,
      'invocations',
      fixed('schedulerInvocation'),
    ),
    line(
      'Lambda',
      'Requests (scheduled runs, API requests, workflow tasks)',
      'use',
      scheduledRuns + used('lambdaRequest'),
      'requests',
      fixed('lambdaRequest'),
    ),
    line(
      'Lambda',
      'Duration and cold-start INIT (arm64)',
      'use',
      sum((s) => s.gbSeconds) + used('lambdaArmGbSecond'),
      'GB-s',
      fixed('lambdaGbSecond'),
    ),
    line('API Gateway', 'HTTP API requests', 'use', used('apiGatewayHttpRequest'), 'requests', perUse('apiGatewayHttpRequest')),
    line(
      'DynamoDB',
      'Write request units (scheduled runs and use)',
      'use',
      sum((s) => s.runs * s.run.writeUnits) + used('dynamoWriteUnit'),
      'WRU',
      perUse('dynamoWriteUnit'),
    ),
    line(
      'DynamoDB',
      'Read request units (scheduled runs and use)',
      'use',
      sum((s) => s.runs * s.run.readUnits) + used('dynamoReadUnit'),
      'RRU',
      perUse('dynamoReadUnit'),
    ),
    line('Step Functions', 'Express requests', 'use', used('sfnExpressRequest'), 'executions', perUse('sfnExpressRequest')),
    line('Step Functions', 'Express duration', 'use', used('sfnExpressGbSecond'), 'GB-s', perUse('sfnExpressGbSecond')),
    line('S3', 'PUT requests (certificates)', 'use', used('s3Put'), 'requests', perUse('s3Put')),
    line(
      'S3',
      `Storage (site, and ${BILL_ASSUMPTIONS.certificateMonthsKept} months of certificates)`,
      'use',
      storedGb,
      'GB-month',
      fixed('s3StandardGbMonth'),
    ),
    line(
      'S3',
      `Storage (uploads: ${keptMonths} months of evidence files, 30 days of import files)`,
      'use',
      uploadsGb,
      'GB-month',
      fixed('s3StandardGbMonth'),
    ),
    // An import's PUTs are per file (upload, a chunk per 500 rows, the result), not per row: a few a month.
    line('S3', 'PUT requests (evidence files)', 'use', n * BILL_ASSUMPTIONS.evidenceShare, 'requests', perUse('s3Put')),
    line('KMS', 'Credential signatures', 'use', n * BILL_ASSUMPTIONS.signaturesPerCertificate, 'requests', fixed('kmsRsaSign')),
    line('SES', 'Emails', 'use', used('sesEmail'), 'emails', perUse('sesEmail')),
    line(
      'CloudWatch Logs',
      `Ingestion (functions at INFO, workflow at ${counts.workflowLogLevel})`,
      'use',
      logGb,
      'GB',
      fixed('logIngestGb'),
    ),
    line(
      'CloudWatch Logs',
      `Storage (${Math.round(counts.logRetentionDays)} days kept)`,
      'use',
      logGb * retentionMonths,
      'GB-month',
      fixed('logStoreGbMonth'),
    ),
    line(
      'X-Ray',
      traced ? 'Traces (every request and execution)' : 'Traces (tracing off)',
      'use',
      used('xrayTrace'),
      'traces',
      fixed('xrayTrace'),
    ),
    line('CloudFront', 'Site data out', 'use', siteGb, 'GB', fixed('cloudFrontGb')),
    line(
      'WAF',
      'Requests inspected',
      'use',
      counts.webAcls > 0 ? used('apiGatewayHttpRequest') + activeUsers * BILL_ASSUMPTIONS.siteLoadsPerActiveUser : 0,
      'requests',
      fixed('wafRequest'),
    ),
  ];
  return { provider, activeUsers, lines, total: lines.reduce((total, l) => total + l.usd, 0) };
}

/** The deploy settings that change the bill, and the template counts each one changes. */
export const PAID_SETTING_FIELDS = {
  threatProtection: ['userPoolTier'],
  workflowLogLevel: ['workflowLogLevel'],
  tracing: ['tracedFunctions', 'workflowTracing'],
  functionAlarms: ['alarms', 'alarmMetrics'],
  topicEncryption: ['kmsKeys'],
  partnerWebhookRateLimit: ['webAcls', 'webAclRules'],
} as const satisfies Record<string, ReadonlyArray<keyof StackCounts>>;

export type PaidSetting = keyof typeof PAID_SETTING_FIELDS;

/** The default stack's counts with one setting's fields taken from the stack with every paid setting on. */
export function withSetting(defaults: StackCounts, paid: StackCounts, setting: PaidSetting): StackCounts {
  const counts = { ...defaults } as Record<keyof StackCounts, unknown>;
  for (const field of PAID_SETTING_FIELDS[setting]) counts[field] = paid[field];
  return counts as unknown as StackCounts;
}

/** The bill section of docs/benchmarks.md: the default deploy's bills and each paid setting's. */
export interface BillReport {
  defaults: StackCounts;
  paid: StackCounts;
  inputs: BillInputs;
  /** The bill of the default deploy, per provider size. */
  bills: Bill[];
  /** What turning each paid setting on adds, per provider size. */
  settings: Array<{ setting: PaidSetting; bills: Bill[] }>;
}

export const BILL_GOALS = { idle: 2, '1,000 enrollments': 5 } as const;
