// The monthly bill's arithmetic and the template counting it reads, on hand-made inputs.
import { describe, expect, it } from 'vitest';
import { monthlyBill, PROVIDERS, withSetting, type BillInputs } from '../../bench/bill/monthly-bill.js';
import { alarmMetricCount, dashboardMetricCount, rateSeconds, type StackCounts } from '../../bench/bill/stack-counts.js';

const counts: StackCounts = {
  functions: ['health', 'sweep-events'],
  alarms: 9,
  alarmMetrics: 10,
  compositeAlarms: 0,
  dashboards: 1,
  dashboardMetrics: 23,
  customMetrics: 4,
  kmsKeys: 1,
  secrets: 2,
  schedules: [{ target: 'sweep-events', everySeconds: 60, runsPerMonth: 43_833.6 }],
  webAcls: 0,
  webAclRules: 0,
  userPoolTier: 'ESSENTIALS',
  workflowLogLevel: 'ERROR',
  workflowTracing: false,
  tracedFunctions: 0,
  logRetentionDays: 180,
};

const inputs: BillInputs = {
  counts,
  enrollment: {
    usage: {
      apiRequests: 7,
      lambdaInvocations: 13,
      lambdaRuns: [{ ms: 50, memoryMb: 512 }],
      dynamoReadUnits: 40,
      dynamoWriteUnits: 500,
      executions: [{ ms: 400, lambdaTasks: 3 }],
      stateTransitions: 14,
      s3Puts: 1,
      emails: 2,
    },
    logBytes: 5_000,
    webhooks: 6,
    workflowLogBytes: { ALL: 20_000, ERROR: 0 },
    certificateBytes: 50_000,
  },
  scheduled: [{ target: 'sweep-events', ms: 20, memoryMb: 512, readUnits: 0.5, writeUnits: 0, logBytes: 0 }],
  siteLoadBytes: 90_000,
  siteBucketBytes: 1_000_000,
};

const usd = (bill: ReturnType<typeof monthlyBill>, service: string, item: RegExp) =>
  bill.lines.filter((l) => l.service === service && item.test(l.item)).reduce((sum, l) => sum + l.usd, 0);

describe('the monthly bill', () => {
  it('charges what the stack holds beyond the free allowances: keys and secrets, not the 10 alarm metrics or 4 custom metrics', () => {
    const idle = monthlyBill(PROVIDERS[0]!, inputs);
    expect(usd(idle, 'KMS', /keys/)).toBe(1);
    expect(usd(idle, 'Secrets Manager', /Secrets/)).toBeCloseTo(0.8);
    expect(usd(idle, 'CloudWatch', /alarms reading/)).toBe(0);
    expect(usd(idle, 'CloudWatch', /Custom metrics/)).toBe(0);
    expect(idle.activeUsers).toBe(0);
    expect(monthlyBill(PROVIDERS[0]!, { ...inputs, counts: { ...counts, alarmMetrics: 148 } }).total - idle.total).toBeCloseTo(13.8);
  });

  it('bills Cognito Essentials only beyond 10,000 monthly active users, and Plus for every one', () => {
    const big = PROVIDERS.find((p) => p.enrollmentsPerMonth === 10_000)!;
    const essentials = monthlyBill(big, inputs);
    expect(essentials.activeUsers).toBe(30_000 + big.staff);
    expect(usd(essentials, 'Cognito', /Essentials/)).toBeCloseTo((essentials.activeUsers - 10_000) * 0.015);
    const plus = monthlyBill(big, { ...inputs, counts: { ...counts, userPoolTier: 'PLUS' } });
    expect(usd(plus, 'Cognito', /Plus/)).toBeCloseTo(essentials.activeUsers * 0.02);
    const small = PROVIDERS.find((p) => p.enrollmentsPerMonth === 1_000)!;
    expect(usd(monthlyBill(small, inputs), 'Cognito', /Essentials/)).toBe(0);
  });

  it('ingests the workflow execution log at the configured level only', () => {
    const small = PROVIDERS.find((p) => p.enrollmentsPerMonth === 1_000)!;
    const ingested = (level: string) =>
      monthlyBill(small, { ...inputs, counts: { ...counts, workflowLogLevel: level } }).lines.find((l) => /Ingestion/.test(l.item))!
        .quantity;
    expect((ingested('ALL') - ingested('ERROR')) * 1024 ** 3).toBeCloseTo(1_000 * 20_000, -1);
    expect(ingested('OFF')).toBeCloseTo(ingested('ERROR'));
  });

  it('stores the evidence files and import files that accumulate with enrollments, none when idle', () => {
    const uploads = (provider: (typeof PROVIDERS)[number]) =>
      monthlyBill(provider, inputs).lines.find((l) => l.service === 'S3' && /evidence files, 30 days of import files/.test(l.item))!;
    const [idle, , thousand, tenThousand] = PROVIDERS.map(uploads);
    expect(idle!.quantity).toBe(0);
    // Half of 1,000 enrollments a month keep a 1.5 MB proof for a year: about 8.8 GB, billed beyond no free tier.
    expect(thousand!.quantity).toBeGreaterThan(8);
    expect(thousand!.quantity).toBeLessThan(10);
    expect(tenThousand!.quantity).toBeCloseTo(thousand!.quantity * 10, 6);
    expect(thousand!.usd).toBeGreaterThan(0);
  });

  it('counts X-Ray traces only when functions are traced', () => {
    const small = PROVIDERS.find((p) => p.enrollmentsPerMonth === 1_000)!;
    const traces = (c: StackCounts) => monthlyBill(small, { ...inputs, counts: c }).lines.find((l) => l.service === 'X-Ray')!.quantity;
    expect(traces(counts)).toBe(0);
    expect(traces({ ...counts, tracedFunctions: 2, workflowTracing: true })).toBe(1_000 * (7 + 1));
  });

  it("prices one paid setting by taking only its counts from the paid stack's", () => {
    const paid = { ...counts, alarms: 21, alarmMetrics: 148, kmsKeys: 3, userPoolTier: 'PLUS' };
    expect(withSetting(counts, paid, 'functionAlarms')).toMatchObject({ alarmMetrics: 148, kmsKeys: 1, userPoolTier: 'ESSENTIALS' });
    expect(withSetting(counts, paid, 'topicEncryption')).toMatchObject({ alarmMetrics: 10, kmsKeys: 3 });
  });
});

describe('counting the template', () => {
  it('counts a metric-math alarm as each metric it reads, a plain alarm as one', () => {
    expect(alarmMetricCount({ Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors' } })).toBe(1);
    expect(
      alarmMetricCount({
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { Metrics: [{ Expression: 'a + b' }, { MetricStat: {} }, { MetricStat: {} }] },
      }),
    ).toBe(2);
  });

  it('reads schedule rates and refuses what it cannot count', () => {
    expect(rateSeconds('rate(1 minute)')).toBe(60);
    expect(rateSeconds('rate(6 hours)')).toBe(21_600);
    expect(() => rateSeconds('cron(0 12 * * ? *)')).toThrow(/not a rate/);
  });

  it("counts a dashboard's metrics, a search as one", () => {
    const body = JSON.stringify({
      widgets: [{ properties: { metrics: [['AWS/Lambda', 'Errors'], [{ expression: "SEARCH('x', 'Sum', 300)" }]] } }, { properties: {} }],
    });
    expect(dashboardMetricCount(body)).toBe(2);
  });
});
