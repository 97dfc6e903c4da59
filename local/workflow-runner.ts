// Runs the advancement state machine in-process with aws-local-stepfunctions: the same ASL file
// CDK deploys, with the same substitutions, each Lambda Task mapped to the same handler code, and
// the DynamoDB service integration executed as the equivalent SDK call against DynamoDB Local,
// its errors named the way Step Functions names them. Executions behave like the deployed
// workflow type: EXPRESS (the default deploy) starts every start, STANDARD runs a name once.
import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, UpdateItemCommand, type DynamoDBClientConfig, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Ports } from '../functions/wiring.js';
import type { Clock, WorkflowStarter } from '../functions/use-cases/ports/services.js';
import {
  STATE_MACHINE_FILE,
  TABLE_NAME_SUBSTITUTION,
  WORKFLOW_TASK_HANDLERS,
  executionInput,
  executionName,
  type WorkflowTaskSubstitution,
} from '../functions/workflow/definition.js';
import { WORKFLOW_TASK_ACCESS } from '../functions/access.js';
import { runAs } from './iam.js';
import { fakeLambdaContext } from './lambda-context.js';

const LOCAL_FUNCTION_ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:baton-local-${name}`;
const DYNAMODB_UPDATE_ITEM = 'arn:aws:states:::dynamodb:updateItem';
const DEFAULT_KEEP_FINISHED = 5_000;

/** How the deployed state machine treats execution names (infra/config.ts `workflowType`). */
export type WorkflowType = 'EXPRESS' | 'STANDARD';

export interface ExecutionRecord {
  /** Unique per execution: the name under STANDARD, the name and a random suffix under EXPRESS (like its ARN). */
  id: string;
  name: string;
  enrollmentId: string;
  startedAt: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  error?: string;
}

type TaskFn = (input: unknown) => Promise<unknown>;

/**
 * A Task failure that Step Functions reports without our function's code failing: a Lambda
 * service error (`Lambda.ServiceException`, `Lambda.TooManyRequestsException`…) or a timeout
 * (`States.Timeout`). Such errors may come with no Cause at all; leave `cause` out to model that.
 */
export interface TaskFailure {
  error: string;
  cause?: string;
}

/** Decides, for each attempt of a Lambda Task (by state name), whether it fails that way instead of running. */
export type TaskFault = (state: string, input: unknown) => TaskFailure | undefined;

export interface LocalWorkflowOptions {
  repoRoot: string;
  tableName: string;
  dynamoDb: DynamoDBClientConfig;
  ports: Ports;
  clock: Clock;
  /** Pause before a Retry, in ms (the definition's 2 s, 4 s… are real time on AWS; tests shorten them). */
  retryIntervalMs?: number;
  /**
   * EXPRESS (default, like the default deploy): every start is a new execution, even under a name
   * already used. STANDARD: a name already used is not started again.
   */
  type?: WorkflowType;
  /**
   * How many finished executions' records to keep, oldest dropped first (default 5,000); running
   * ones are always kept. Under STANDARD a dropped name can be started again.
   */
  keepFinished?: number;
  /** Called when an execution fails (the failure is already recorded on the enrollment). */
  onFailure?: (record: ExecutionRecord) => void;
  instrument?: WorkflowInstrumentation;
  /** Fault injection for tests: Task attempts that fail outside the function (see TaskFailure). */
  taskFault?: TaskFault;
}

/** One event of an execution's log (the library does not export the type by name). */
export type WorkflowEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** Hooks for benchmarks that count what an execution costs on AWS. */
export interface WorkflowInstrumentation {
  /** Called with the client that runs the DynamoDB service integration (RecordFailure), e.g. to add middleware. */
  dynamoDbClient?: (client: DynamoDBClient) => void;
  /** Called with every event of every execution (by its ExecutionRecord id: state entered, retried, …), before drain() resolves. */
  workflowEvent?: (execution: string, event: WorkflowEvent) => void;
}

/** Reads the ASL file and applies substitutions exactly as CDK's definitionSubstitutions do. */
export function loadDefinition(repoRoot: string, substitutions: Record<string, string>): Record<string, unknown> {
  let text = readFileSync(resolve(repoRoot, STATE_MACHINE_FILE), 'utf8');
  text = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, name: string) => {
    if (!(name in substitutions)) throw new Error(`${STATE_MACHINE_FILE} uses \${${name}}, which has no substitution`);
    return substitutions[name]!;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

export class LocalWorkflowRunner implements WorkflowStarter {
  private readonly machine: StateMachine;
  private readonly tasks: Record<string, TaskFn> = {};
  private readonly running = new Map<string, Promise<void>>();
  /** Execution records by id, oldest first: every running one, and the last `keepFinished` finished ones. */
  readonly executions = new Map<string, ExecutionRecord>();
  readonly type: WorkflowType;
  private readonly keepFinished: number;
  private finished = 0;
  private readonly dynamoDb: DynamoDBClient;

  private constructor(
    private readonly definition: { States: Record<string, { Type: string; Resource?: string }> },
    private readonly options: LocalWorkflowOptions,
  ) {
    this.machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
    this.type = options.type ?? 'EXPRESS';
    this.keepFinished = options.keepFinished ?? DEFAULT_KEEP_FINISHED;
    this.dynamoDb = new DynamoDBClient(options.dynamoDb);
    options.instrument?.dynamoDbClient?.(this.dynamoDb);
  }

  static async create(options: LocalWorkflowOptions): Promise<LocalWorkflowRunner> {
    const substitutions: Record<string, string> = { [TABLE_NAME_SUBSTITUTION]: options.tableName };
    for (const [name, handlerId] of Object.entries(WORKFLOW_TASK_HANDLERS)) substitutions[name] = LOCAL_FUNCTION_ARN(handlerId);
    const definition = loadDefinition(options.repoRoot, substitutions) as never;
    const runner = new LocalWorkflowRunner(definition, options);
    await runner.mapTasks();
    return runner;
  }

  /** Maps each Task state (keyed by state name, as the interpreter wants) to what runs it. */
  private async mapTasks() {
    const byArn = new Map<string, WorkflowTaskSubstitution>();
    for (const [name, handlerId] of Object.entries(WORKFLOW_TASK_HANDLERS))
      byArn.set(LOCAL_FUNCTION_ARN(handlerId), name as WorkflowTaskSubstitution);
    for (const [stateName, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const substitution = state.Resource ? byArn.get(state.Resource) : undefined;
      if (substitution) {
        const handlerId = WORKFLOW_TASK_HANDLERS[substitution];
        const module = (await import(`../functions/handlers/${handlerId}.ts`)) as {
          create: (ports: Ports) => (event: unknown, context: Context) => Promise<unknown>;
        };
        const handler = module.create(this.options.ports);
        // Each task runs as its own function, with that function's declared access.
        this.tasks[stateName] = async (input) => {
          const fault = this.options.taskFault?.(stateName, input);
          if (fault) throw taskFailureError(fault);
          return runAs(handlerId, WORKFLOW_TASK_ACCESS[substitution], () => handler(input, fakeLambdaContext(handlerId)));
        };
      } else if (state.Resource === DYNAMODB_UPDATE_ITEM) {
        this.tasks[stateName] = async (input) => {
          try {
            await this.dynamoDb.send(new UpdateItemCommand(input as UpdateItemCommandInput));
          } catch (error) {
            throw asServiceIntegrationError('DynamoDB', error);
          }
          return {};
        };
      } else {
        throw new Error(`state ${stateName}: resource ${state.Resource} has no local implementation`);
      }
    }
  }

  async start(enrollmentId: string, trigger: string): Promise<void> {
    const name = executionName(enrollmentId, trigger);
    // STANDARD runs a name once (AWS answers ExecutionAlreadyExists, which the AWS starter treats as
    // started); EXPRESS starts it again, as AWS does.
    if (this.type === 'STANDARD' && this.executions.has(name)) return;
    const id = this.type === 'STANDARD' ? name : `${name}:${randomUUID()}`;
    const startedAt = this.options.clock.now().toISOString();
    const record: ExecutionRecord = { id, name, enrollmentId, startedAt, status: 'RUNNING' };
    this.executions.set(id, record);

    const retryOverrides =
      this.options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(Object.keys(this.definition.States).map((state) => [state, this.options.retryIntervalMs!]));
    const execution = this.machine.run(executionInput(enrollmentId, startedAt), {
      overrides: { taskResourceLocalHandlers: this.tasks as never, ...(retryOverrides ? { retryIntervalOverrides: retryOverrides } : {}) },
    });
    const settled = execution.result.then(
      () => {
        record.status = 'SUCCEEDED';
      },
      (error: unknown) => {
        record.status = 'FAILED';
        record.error = error instanceof Error ? error.message : String(error);
        this.options.onFailure?.(record);
      },
    );
    const observe = this.options.instrument?.workflowEvent;
    const done = observe
      ? Promise.all([settled, forEachEvent(execution.eventLogs, (event) => observe(id, event))]).then(() => undefined)
      : settled;
    this.running.set(id, done);
    void done.finally(() => {
      this.running.delete(id);
      this.finished++;
      this.forgetOldFinished();
    });
  }

  /** Drops the oldest finished records beyond `keepFinished`, so a long `npm start` stays bounded. */
  private forgetOldFinished() {
    for (const id of this.executions.keys()) {
      if (this.finished <= this.keepFinished) return;
      if (this.running.has(id)) continue;
      this.executions.delete(id);
      this.finished--;
    }
  }

  /** Resolves when no execution is running (executions started meanwhile are awaited too). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  close() {
    this.dynamoDb.destroy();
  }
}

/**
 * Step Functions names an error of an optimized service integration after the service and the
 * SDK's exception ("DynamoDB.ConditionalCheckFailedException"), and Retry/Catch match that name;
 * so does the local interpreter, by `error.name`.
 */
function asServiceIntegrationError(service: string, error: unknown): unknown {
  if (!(error instanceof Error) || !('$metadata' in error)) return error;
  const named = new Error(error.message, { cause: error });
  named.name = `${service}.${error.name}`;
  return named;
}

/**
 * The interpreter reports a Task error as {Error: error.name, Cause: error.message}: an error
 * whose message is undefined has no Cause, as Step Functions reports some service errors and
 * timeouts.
 */
function taskFailureError(failure: TaskFailure): Error {
  const error = new Error();
  error.name = failure.error;
  Object.defineProperty(error, 'message', { value: failure.cause, enumerable: false, writable: true, configurable: true });
  return error;
}

async function forEachEvent(events: AsyncGenerator<WorkflowEvent>, handle: (event: WorkflowEvent) => void): Promise<void> {
  for await (const event of events) handle(event);
}
