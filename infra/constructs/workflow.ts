// The advancement state machine: the ASL file in state-machines/ that local mode also runs,
// deployed unchanged with CloudFormation substituting the task function ARNs and the table name.
//
// The file is inlined as the DefinitionString (DefinitionBody.fromString of the file's text)
// rather than uploaded by DefinitionBody.fromFile, which would make it an S3 asset: inline, the
// exact ASL is visible in change sets and the template test can compare it with the file.
//
// EXPRESS by default: an execution lasts seconds, and Standard's $25 per million state
// transitions would break the cost goal. Execution names are deterministic; Standard dedupes
// them, Express does not, and correctness never depends on it: every task is idempotent.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Stack, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowLogLevel, WorkflowType } from '../config.js';
import { STATE_MACHINE_FILE, TABLE_NAME_SUBSTITUTION, type WorkflowTaskSubstitution } from '../../functions/workflow/definition.js';
import { REPO_ROOT } from './baton-function.js';
import { acknowledgeNag } from '../nag.js';
import { stackIdSuffix } from '../stack-suffix.js';

export interface WorkflowProps {
  type: WorkflowType;
  table: ITable;
  tasks: Record<WorkflowTaskSubstitution, IFunction>;
  /** ERROR (default) logs failed executions with their data; ALL every state (about 1 KB a transition); OFF nothing. */
  logLevel: WorkflowLogLevel;
  tracing: boolean;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class AdvancementWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      // The vended-logs prefix keeps CloudWatch's resource policy small however many state machines
      // log; the suffix lets a re-created stack start while a retained log group of the old one exists.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-advance-enrollment-${stackIdSuffix()}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: 'Baton advancement workflow: invoke its three task functions, record failures on the table',
    });
    // Tasks are invoked by their unqualified ARN (Resource in the ASL), so only those ARNs.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(props.tasks).map((f) => f.functionArn),
      }),
    );
    // RecordFailure is a direct DynamoDB UpdateItem on the enrollment item.
    role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:UpdateItem'], resources: [props.table.tableArn] }),
    );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: `${Stack.of(this).stackName}-advance-enrollment`,
      comment: 'Baton: advance one enrollment (state-machines/advance-enrollment.asl.json)',
      stateMachineType: props.type === 'STANDARD' ? StateMachineType.STANDARD : StateMachineType.EXPRESS,
      definitionBody: DefinitionBody.fromString(readFileSync(resolve(REPO_ROOT, STATE_MACHINE_FILE), 'utf8')),
      definitionSubstitutions: {
        ...Object.fromEntries(Object.entries(props.tasks).map(([name, fn]) => [name, fn.functionArn])),
        [TABLE_NAME_SUBSTITUTION]: props.table.tableName,
      },
      role,
      logs: { destination: this.logGroup, level: LogLevel[props.logLevel], includeExecutionData: true },
      // The execution timeout is the ASL's own TimeoutSeconds (270 s, inside Express's 5 minutes).
      tracingEnabled: props.tracing,
    });
    if (props.logLevel !== 'ALL')
      acknowledgeNag(
        this.stateMachine,
        'SF1',
        `Logs at ${props.logLevel} (deploy setting workflowLogLevel): a failed execution is logged with its data and recorded on the enrollment; every state of every execution (ALL) is about 1 KB of CloudWatch Logs per transition.`,
      );
    if (!props.tracing)
      acknowledgeNag(
        this.stateMachine,
        'SF2',
        'X-Ray tracing is the deploy setting tracing (off by default: each execution and request is a trace, $5 per million beyond 100,000 a month); an enrollment’s history and failures are on the enrollment and in the logs.',
      );

    acknowledgeNag(
      role.node.findChild('DefaultPolicy'),
      'IAM5[Resource::*]',
      'Only what CDK adds for logging and tracing: CloudWatch Logs log-delivery actions (logs:CreateLogDelivery, logs:GetLogDelivery, …) and X-Ray writes support no resource-level permissions. Task invocation and the table write name their ARNs.',
    );
  }
}
