// What the deployed stack holds that is billed by the month, counted from the synthesized
// template (the stack and its nested stacks) and, for custom metrics, from the code's closed
// catalog: so the bill and the CI budgets follow the product as it ships.
import { customMetricCount } from '../../functions/custom-metrics.js';
import { removeSynthesized, resourcesOf, synthesize, type CfnJson, type Synthesized } from '../../test/infra/synth.js';
import { render } from '../../test/infra/template.js';

/** The deploy a small provider runs: every setting at its default. */
export const DEFAULT_DEPLOY = { stage: 'prod', senderEmail: 'certificates@example.org' } as const;
/** Every setting that costs money turned on, to price each one from a template too. */
export const PAID_SETTINGS = {
  threatProtection: 'true',
  workflowLogLevel: 'ALL',
  tracing: 'true',
  functionAlarms: 'grouped',
  topicEncryption: 'true',
  partnerWebhookRateLimit: '300',
} as const;

export interface ScheduleCount {
  /** The handler id of the function it invokes. */
  target: string;
  everySeconds: number;
  runsPerMonth: number;
}

export interface StackCounts {
  functions: string[];
  alarms: number;
  /** Metrics the alarms read: CloudWatch bills each (a metric-math alarm over 5 metrics is 5). */
  alarmMetrics: number;
  compositeAlarms: number;
  dashboards: number;
  /** The most metrics one dashboard names (searches count once): the free tier covers 50 a dashboard. */
  dashboardMetrics: number;
  customMetrics: number;
  kmsKeys: number;
  secrets: number;
  schedules: ScheduleCount[];
  webAcls: number;
  webAclRules: number;
  userPoolTier: string;
  workflowLogLevel: string;
  workflowTracing: boolean;
  tracedFunctions: number;
  /** Days the logs are kept. */
  logRetentionDays: number;
}

export const SECONDS_PER_MONTH = 30.44 * 24 * 3600;

const RATE_UNITS: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400 };

/** `rate(5 minutes)` → 300. */
export function rateSeconds(expression: string): number {
  const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (!match) throw new Error(`schedule expression ${expression} is not a rate(): the bill cannot count its runs`);
  return Number(match[1]) * RATE_UNITS[match[2]!]!;
}

/** Metrics one alarm reads: its metric-math's metric queries, or its one metric. */
export function alarmMetricCount(alarm: CfnJson): number {
  const metrics = alarm.Properties?.Metrics as Array<{ MetricStat?: unknown }> | undefined;
  return metrics ? metrics.filter((m) => m.MetricStat).length : 1;
}

/** Metrics a dashboard body names (an expression — a search — counts once). */
export function dashboardMetricCount(body: string): number {
  const widgets = (JSON.parse(body.replace(/<[^>]+>/g, 'x')) as { widgets: Array<{ properties: { metrics?: unknown[][] } }> }).widgets;
  return widgets.flatMap((w) => w.properties.metrics ?? []).length;
}

export function countStack(s: Synthesized): StackCounts {
  const prefix = `${s.stack.stackName}-`;
  const functionIdOf = new Map(
    resourcesOf(s, 'AWS::Lambda::Function')
      .filter(([, f]) => String(f.Properties?.FunctionName ?? '').startsWith(prefix))
      .map(([logicalId, f]) => [logicalId, String(f.Properties!.FunctionName).slice(prefix.length)]),
  );
  const alarms = resourcesOf(s, 'AWS::CloudWatch::Alarm').map(([, a]) => a);
  const dashboards = resourcesOf(s, 'AWS::CloudWatch::Dashboard').map(([, d]) => render(d.Properties!.DashboardBody));
  const schedules = resourcesOf(s, 'AWS::Scheduler::Schedule').map(([id, schedule]) => {
    const props = schedule.Properties as { Target: { Arn: unknown }; ScheduleExpression: string };
    const arn = render(props.Target.Arn);
    const target = functionIdOf.get(/^<(.+)\.Arn>$/.exec(arn)?.[1] ?? '');
    if (!target) throw new Error(`schedule ${id} targets ${arn}, not a Baton function`);
    const everySeconds = rateSeconds(props.ScheduleExpression);
    return { target, everySeconds, runsPerMonth: SECONDS_PER_MONTH / everySeconds };
  });
  const [machine] = resourcesOf(s, 'AWS::StepFunctions::StateMachine').map(
    ([, m]) => m.Properties as { LoggingConfiguration?: { Level: string }; TracingConfiguration?: { Enabled: boolean } },
  );
  const [pool] = resourcesOf(s, 'AWS::Cognito::UserPool').map(([, p]) => p.Properties as { UserPoolTier?: string });
  const rulesOf = (acl: CfnJson) => (acl.Properties as { Rules?: unknown[] }).Rules?.length ?? 0;
  const traced = (f: CfnJson) => (f.Properties as { TracingConfig?: { Mode: string } }).TracingConfig?.Mode === 'Active';
  const functions = [...functionIdOf.values()].sort();
  const retention = resourcesOf(s, 'AWS::Logs::LogGroup').map(([, g]) => Number(g.Properties?.RetentionInDays ?? 0));
  return {
    functions,
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((sum, a) => sum + alarmMetricCount(a), 0),
    compositeAlarms: resourcesOf(s, 'AWS::CloudWatch::CompositeAlarm').length,
    dashboards: dashboards.length,
    dashboardMetrics: Math.max(0, ...dashboards.map(dashboardMetricCount)),
    customMetrics: customMetricCount(),
    kmsKeys: resourcesOf(s, 'AWS::KMS::Key').length,
    secrets: resourcesOf(s, 'AWS::SecretsManager::Secret').length,
    schedules,
    webAcls: resourcesOf(s, 'AWS::WAFv2::WebACL').length,
    webAclRules: resourcesOf(s, 'AWS::WAFv2::WebACL').reduce((sum, [, acl]) => sum + rulesOf(acl), 0),
    userPoolTier: pool?.UserPoolTier ?? 'ESSENTIALS',
    workflowLogLevel: machine?.LoggingConfiguration?.Level ?? 'OFF',
    workflowTracing: machine?.TracingConfiguration?.Enabled === true,
    tracedFunctions: resourcesOf(s, 'AWS::Lambda::Function').filter(([id, f]) => functionIdOf.has(id) && traced(f)).length,
    logRetentionDays: Math.max(...retention),
  };
}

/** Synthesizes the app with these settings (bundling skipped: the template does not depend on it) and counts it. */
export function synthesizeAndCount(context: Record<string, string>): StackCounts {
  try {
    return countStack(synthesize(context));
  } finally {
    removeSynthesized();
  }
}
