// The reconciler on a schedule. It restarts advances that no execution finished (a crash between
// a committed transition and the workflow start, or a failed start); correctness depends on it
// running, and the interval bounds how late such an advance can be. Missed deliveries and failed
// runs land in the dead-letter queue, which has an alarm.
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

/** The certificate expiry reminders (60 and 14 days before): missed runs go to the dead-letter queue too. */
export class ExpiryReminderSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: { reminders: IFunction; deadLetterQueue: IQueue }) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Every6Hours', {
      description: 'Baton certificate expiry reminders: email students 60 and 14 days before a certificate expires',
      schedule: ScheduleExpression.rate(REMIND_EVERY),
      target: new InvokeFunction(props.reminders, { deadLetterQueue: props.deadLetterQueue, maxEventAge: REMIND_EVERY, retryAttempts: 2 }),
    });
  }
}

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

/**
 * The reminder sweep on a schedule: scheduled reminders, steps past their due date, and the
 * welcome emails a request did not send (a crash right after enrolling delays one by one interval).
 */
export class ReminderSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: { sweep: IFunction; deadLetterQueue: IQueue }) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Every15Minutes', {
      description: 'Baton reminder sweep: reminders, due dates, welcome emails a request did not send',
      schedule: ScheduleExpression.rate(SWEEP_EVERY),
      target: new InvokeFunction(props.sweep, { deadLetterQueue: props.deadLetterQueue, maxEventAge: SWEEP_EVERY, retryAttempts: 2 }),
    });
  }
}
