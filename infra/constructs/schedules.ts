// The scheduled jobs. The reconciler restarts advances that no execution finished (a crash between
// a committed transition and the workflow start, or a failed start); correctness depends on it
// running, and the interval bounds how late such an advance can be. The sweeps (reminders,
// certificate expiry, outbound events) run on the same terms. Missed deliveries and failed runs
// land in the dead-letter queue, which has an alarm.
import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const RECONCILE_EVERY = Duration.minutes(5);

/** Invokes a function with permission on exactly its ARN (the stock target also grants every version, `<arn>:*`). */
class InvokeFunction extends ScheduleTargetBase {
  constructor(
    private readonly fn: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(props, fn.functionArn);
  }

  protected addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    );
  }
}

/** How often the certificate expiry reminders run (each reminder is due for days, and sent at most once). */
export const REMIND_EVERY = Duration.hours(6);

export class ReconcileSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: { reconciler: IFunction; deadLetterQueue: IQueue }) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Every5Minutes', {
      description: 'Baton reconciler: restart advances that no workflow execution finished',
      schedule: ScheduleExpression.rate(RECONCILE_EVERY),
      target: new InvokeFunction(props.reconciler, {
        deadLetterQueue: props.deadLetterQueue,
        // The next run comes in 5 minutes: a delivery older than that is superseded, not retried.
        maxEventAge: RECONCILE_EVERY,
        retryAttempts: 2,
      }),
    });
  }
}

export const SWEEP_EVERY = Duration.minutes(15);

/** Another scheduled function (the reminder sweeps, the outbound events sweep), on the same terms as the reconciler. */
export class EverySchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: { target: IFunction; deadLetterQueue: IQueue; every: Duration; description: string }) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Schedule', {
      description: props.description,
      schedule: ScheduleExpression.rate(props.every),
      target: new InvokeFunction(props.target, { deadLetterQueue: props.deadLetterQueue, maxEventAge: props.every, retryAttempts: 2 }),
    });
  }
}
