// What an operator watches: alarms (to an SNS topic, optionally emailed) on API 5xx, every
// function's errors and throttles, failed and timed-out workflow executions, DynamoDB throttling
// and the dead-letter queue; and one dashboard for the pipeline. docs/operations.md says what to
// do for each alarm.
import { Duration, NestedStack, type RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  Metric,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, WEBHOOK_OUTCOMES } from '../../functions/custom-metrics.js';
import type { DeliveryOutcome } from '../../functions/domain/delivery.js';
import type { FunctionAlarms } from '../config.js';
import { acknowledgeNag } from '../nag.js';
import { topicKey } from './topic-key.js';

const FIVE_MINUTES = Duration.minutes(5);

export interface MonitoringProps {
  api: HttpApi;
  /** Every Baton function, by handler id. */
  functions: Record<string, IFunction>;
  stateMachine: StateMachine;
  table: Table;
  deadLetterQueue: Queue;
  /** The dead-letter queues of work run off requests (event deliveries, exports), by alarm name. */
  offRequestDeadLetters?: Record<string, Queue>;
  alarmEmail?: string;
  /** `account`: Lambda's metrics over every function in the account (2 alarm metrics); `grouped`: each function's own. */
  functionAlarms: FunctionAlarms;
  /** A customer managed KMS key for the alarm topic ($1 a month). */
  topicEncryption: boolean;
  removalPolicy: RemovalPolicy;
  /** The Baton stack's name, which alarm and dashboard names start with. */
  stackName: string;
}

/** CloudWatch reads at most 10 metrics in one alarm's math. */
const FUNCTIONS_PER_ALARM = 10;
const SUM_5_MINUTES = { period: Duration.minutes(5), statistic: 'Sum' } as const;

/**
 * A nested stack of its own: monitoring only reads the other resources (function names, the API
 * id, the table, the state machine and queues come in as the nested stack's parameters), and
 * CloudFormation allows 500 resources per stack.
 */
export class BatonMonitoring extends NestedStack {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, { description: `Baton alarms and dashboard (${props.stackName})` });
    const stackName = props.stackName;

    // CloudWatch can publish to an encrypted topic only with a customer managed key (the AWS managed
    // SNS key's policy cannot name it); alarm messages carry alarm names and values, no personal data.
    const key = props.topicEncryption
      ? topicKey(this, 'AlarmTopicKey', {
          description: 'Baton alarm notifications',
          publisher: 'cloudwatch.amazonaws.com',
          removalPolicy: props.removalPolicy,
        })
      : undefined;
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Baton alarms', enforceSSL: true, ...(key ? { masterKey: key } : {}) });
    if (!key)
      acknowledgeNag(
        this.topic.node.defaultChild!,
        'SNS2',
        'Alarm notifications name an alarm and a metric value, no personal data; a customer managed key would cost $1 a month (deploy setting topicEncryption=true adds it). Publishing requires TLS.',
      );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const alarm = (name: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, `Alarm-${name}`, {
        alarmName: `${stackName}-${name}`,
        alarmDescription: `${description} See docs/operations.md#${name.replace(/^functions-(errors|throttles)(-\d+)?$/, 'function-$1')}.`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      created.addOkAction(new SnsAction(this.topic));
      this.alarms.push(created);
      return created;
    };

    alarm(
      'api-5xx',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'The API answered 5xx (a function crashed, timed out or returned 500).',
    );
    const fns = Object.entries(props.functions);
    if (props.functionAlarms === 'account') {
      // Lambda's own totals over every function in the account and region: Baton's all, for 2 alarm
      // metrics instead of 2 per function (in an account of its own, exactly Baton's). The dashboard shows which one.
      for (const kind of ['errors', 'throttles'] as const) {
        alarm(
          `functions-${kind}`,
          new Metric({ namespace: 'AWS/Lambda', metricName: kind === 'errors' ? 'Errors' : 'Throttles', ...SUM_5_MINUTES }),
          kind === 'errors'
            ? 'A function failed (unhandled error or timeout): any function in the account and region, so every Baton function.'
            : 'A function was throttled (concurrency limit): any function in the account and region, so every Baton function.',
        );
      }
    } else {
      // Every function's errors and throttles, 10 functions to an alarm (the most metrics one alarm's
      // math may read): a page names the functions it covers. Each metric read is billed as an alarm metric.
      for (let group = 0; group * FUNCTIONS_PER_ALARM < fns.length; group++) {
        const members = fns.slice(group * FUNCTIONS_PER_ALARM, (group + 1) * FUNCTIONS_PER_ALARM);
        const names = members.map(([handlerId]) => handlerId).join(', ');
        for (const kind of ['errors', 'throttles'] as const) {
          const usingMetrics = Object.fromEntries(
            members.map(([, fn], i) => [`f${i}`, kind === 'errors' ? fn.metricErrors(SUM_5_MINUTES) : fn.metricThrottles(SUM_5_MINUTES)]),
          );
          alarm(
            `functions-${kind}-${group + 1}`,
            new MathExpression({ expression: `SUM([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, period: FIVE_MINUTES }),
            kind === 'errors'
              ? `A function failed (unhandled error or timeout), one of: ${names}.`
              : `A function was throttled (concurrency limit), one of: ${names}.`,
          );
        }
      }
    }
    alarm(
      'workflow-failed',
      props.stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'A workflow execution failed; its failure is recorded on the enrollment.',
    );
    alarm(
      'workflow-timed-out',
      props.stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'A workflow execution timed out.',
    );
    alarm('table-throttles', tableThrottles(props.table), 'DynamoDB throttled requests to the Baton table.');
    alarm(
      'dead-letter-queue',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      'A scheduled reconciler run was not delivered or failed after its retries.',
    );
    for (const [name, queue] of Object.entries(props.offRequestDeadLetters ?? {})) {
      alarm(
        `${name}-dead-letters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        `Messages of the ${name} queue failed every receive (the sweep still retries due deliveries; a failed export is marked failed on its job; an import step stays unrecorded: docs/operations.md#imports).`,
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${stackName}-pipeline`, defaultInterval: Duration.days(1) });
    const graph = (title: string, left: IMetric[], width = 8) => new GraphWidget({ title, left, width, height: 6 });
    const sum = { period: FIVE_MINUTES, statistic: 'Sum' } as const;
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Baton (${stackName})\nPartner webhook → API → Lambda → DynamoDB → Step Functions → S3/SES. Alarms are explained in docs/operations.md.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }));
    this.dashboard.addWidgets(
      graph('API requests and errors', [props.api.metricCount(sum), props.api.metricClientError(sum), props.api.metricServerError(sum)]),
      graph('API latency (ms)', [
        props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50' }),
        props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      ]),
      graph(
        'Webhook outcomes (all partners)',
        WEBHOOK_OUTCOMES.map((outcome) => webhookOutcome(outcome)),
      ),
    );
    this.dashboard.addWidgets(
      graph('Workflow executions', [
        props.stateMachine.metricStarted(sum),
        props.stateMachine.metricSucceeded(sum),
        props.stateMachine.metricFailed(sum),
        props.stateMachine.metricTimedOut(sum),
      ]),
      graph('Workflow duration (ms)', [props.stateMachine.metricTime({ period: FIVE_MINUTES, statistic: 'p99' })], 16),
    );
    // One search per graph finds every Baton function (their names start with the stack's): the
    // dashboard stays within the free tier's 50 metrics however many functions there are.
    const perFunction = (metricName: string, statistic: string) =>
      new MathExpression({
        expression: `SEARCH('{AWS/Lambda,FunctionName} MetricName="${metricName}" FunctionName=${stackName}', '${statistic}', 300)`,
        label: '',
        period: FIVE_MINUTES,
      });
    this.dashboard.addWidgets(
      graph('Function errors', [perFunction('Errors', 'Sum')]),
      graph('Function throttles', [perFunction('Throttles', 'Sum')]),
      graph('Function duration p99 (ms)', [perFunction('Duration', 'p99')]),
    );
    this.dashboard.addWidgets(
      graph('DynamoDB capacity consumed', [
        props.table.metricConsumedReadCapacityUnits(sum),
        props.table.metricConsumedWriteCapacityUnits(sum),
      ]),
      graph('DynamoDB throttled requests', [tableThrottles(props.table)]),
      graph('Dead-letter queue (reconciler)', [
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      ]),
    );
  }
}

/** Webhook outcomes, counted by the webhook function (EMF; functions/custom-metrics.ts). */
function webhookOutcome(outcome: DeliveryOutcome): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: `Webhook_${outcome}`,
    dimensionsMap: { ...METRIC_DIMENSIONS },
    label: outcome,
    ...SUM_5_MINUTES,
  });
}

/**
 * The table's read and write throttle events: 2 alarm metrics (one per operation would be 5). An
 * index's throttled write throttles the table write, so it shows here too.
 */
function tableThrottles(table: Table): IMetric {
  return new MathExpression({
    expression: 'reads + writes',
    usingMetrics: {
      reads: table.metric('ReadThrottleEvents', SUM_5_MINUTES),
      writes: table.metric('WriteThrottleEvents', SUM_5_MINUTES),
    },
    label: 'Throttle events',
    period: FIVE_MINUTES,
  });
}
