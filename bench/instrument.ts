// Counting what Baton asks of AWS while the real handlers and workflow run in local mode:
// DynamoDB requests by operation with the capacity DynamoDB Local reports for them (every
// request carries ReturnConsumedCapacity), workflow state transitions and task invocations from
// the execution event log, and calls to Step Functions, S3 and SES through the ports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../functions/adapters/dynamodb/schema.js';
import type { Ports } from '../functions/wiring.js';
import { STATE_MACHINE_FILE, WORKFLOW_TASK_HANDLERS } from '../functions/workflow/definition.js';
import type { WorkflowEvent } from '../local/workflow-runner.js';
import { writeUnits, type ItemImage, type WriteUnits } from './capacity-model.js';

const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const CAPACITY_OPERATIONS = new Set([...READ_OPERATIONS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface DynamoTally {
  /** Requests by operation (GetItem, Query, TransactWriteItems, …), failed ones included. */
  requests: Record<string, number>;
  /** Requests that failed (a failed condition, a cancelled transaction), by operation. */
  failed: Record<string, number>;
  /** Read request units, as DynamoDB reports them (0.5 per 4 KB eventually consistent, 1 strongly consistent). */
  readUnits: number;
  /** Write request units, table and index writes together (transactional writes count double). */
  writeUnits: number;
  /** The part of writeUnits spent on global secondary indexes. */
  indexWriteUnits: number;
  /** Items read (Query/Scan: scanned items; GetItem: 1 when found). */
  itemsRead: number;
}

export const emptyTally = (): DynamoTally => ({ requests: {}, failed: {}, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, itemsRead: 0 });

export const totalRequests = (tally: DynamoTally) => Object.values(tally.requests).reduce((a, b) => a + b, 0);

/** What happened between two snapshots of a running tally. */
export function tallySince(now: DynamoTally, before: DynamoTally): DynamoTally {
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(a)
        .map(([k, v]): [string, number] => [k, v - (b[k] ?? 0)])
        .filter(([, v]) => v !== 0),
    );
  return {
    requests: diff(now.requests, before.requests),
    failed: diff(now.failed, before.failed),
    readUnits: round(now.readUnits - before.readUnits),
    writeUnits: round(now.writeUnits - before.writeUnits),
    indexWriteUnits: round(now.indexWriteUnits - before.indexWriteUnits),
    itemsRead: now.itemsRead - before.itemsRead,
  };
}

export function addTallies(tallies: readonly DynamoTally[]): DynamoTally {
  const sum = emptyTally();
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  for (const t of tallies) {
    add(sum.requests, t.requests);
    add(sum.failed, t.failed);
    sum.readUnits = round(sum.readUnits + t.readUnits);
    sum.writeUnits = round(sum.writeUnits + t.writeUnits);
    sum.indexWriteUnits = round(sum.indexWriteUnits + t.indexWriteUnits);
    sum.itemsRead += t.itemsRead;
  }
  return sum;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

interface ConsumedCapacity {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/**
 * Adds one response's consumed capacity and items read to a tally (pure, for tests). `modelled`
 * replaces the reported write units where DynamoDB Local reports them wrongly (transactions).
 */
export function recordResponse(tally: DynamoTally, operation: string, output: Record<string, unknown>, modelled?: WriteUnits): void {
  tally.requests[operation] = (tally.requests[operation] ?? 0) + 1;
  if (modelled) {
    tally.writeUnits = round(tally.writeUnits + modelled.table + modelled.index);
    tally.indexWriteUnits = round(tally.indexWriteUnits + modelled.index);
  }
  const consumed = modelled ? undefined : (output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined);
  for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    const units = c.CapacityUnits ?? 0;
    if (READ_OPERATIONS.has(operation)) tally.readUnits = round(tally.readUnits + units);
    else {
      tally.writeUnits = round(tally.writeUnits + units);
      const index = Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((sum, i) => sum + (i.CapacityUnits ?? 0), 0);
      tally.indexWriteUnits = round(tally.indexWriteUnits + index);
    }
  }
  if (operation === 'Query' || operation === 'Scan') tally.itemsRead += Number(output.ScannedCount ?? 0);
  else if (operation === 'GetItem') tally.itemsRead += output.Item ? 1 : 0;
}

export function recordFailure(tally: DynamoTally, operation: string): void {
  tally.requests[operation] = (tally.requests[operation] ?? 0) + 1;
  tally.failed[operation] = (tally.failed[operation] ?? 0) + 1;
}

/** One DynamoDB request as sent on the wire (attribute-value form), for replaying it bare. */
export interface RecordedCall {
  operation: string;
  input: Record<string, unknown>;
}

type TransactItem = Partial<
  Record<'Put' | 'Update' | 'Delete' | 'ConditionCheck', { TableName: string; Item?: ItemImage; Key?: ItemImage }>
>;

const MODELLED = Symbol('benchModelledWriteUnits');

/**
 * Counts every request of the clients it is attached to; optionally records them too. The
 * `inspector` (a client this meter is not attached to) reads items before and after each
 * transaction, to charge it by DynamoDB's rules rather than by DynamoDB Local's report.
 */
export class DynamoMeter {
  private readonly tally = emptyTally();
  private recorder: ((call: RecordedCall) => void) | undefined;
  /** Off while timing: the model's reads before and after each transaction would add latency. */
  modelTransactions = true;

  constructor(private readonly inspector: DynamoDBClient) {}

  attach(client: Pick<DynamoDBClient, 'middlewareStack'>): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        if (CAPACITY_OPERATIONS.has(operation)) input.ReturnConsumedCapacity = 'INDEXES';
        try {
          const result = await next(args);
          const modelled = (context as { [MODELLED]?: WriteUnits })[MODELLED];
          recordResponse(this.tally, operation, result.output as unknown as Record<string, unknown>, modelled);
          return result;
        } catch (error) {
          recordFailure(this.tally, operation);
          throw error;
        }
      },
      { step: 'initialize', name: 'benchDynamoMeter' },
    );
    // After the document client's marshalling: the request exactly as DynamoDB receives it.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName).replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        this.recorder?.({ operation, input: structuredClone(input) });
        if (operation !== 'TransactWriteItems' || !this.modelTransactions) return next(args);
        const targets = (input.TransactItems as TransactItem[]).map(transactTarget);
        const before = await Promise.all(targets.map((t) => this.image(t)));
        const result = await next(args);
        const after = await Promise.all(targets.map((t) => this.image(t)));
        const units = targets.map((_, i) => writeUnits(before[i], after[i], TABLE_SCHEMA.indexes, true));
        (context as { [MODELLED]?: WriteUnits })[MODELLED] = {
          table: units.reduce((sum, u) => sum + u.table, 0),
          index: units.reduce((sum, u) => sum + u.index, 0),
        };
        return result;
      },
      { step: 'build', name: 'benchDynamoRecorder' },
    );
  }

  private async image(target: { TableName: string; Key: ItemImage }): Promise<ItemImage | undefined> {
    const found = await this.inspector.send(new GetItemCommand({ TableName: target.TableName, Key: target.Key, ConsistentRead: true }));
    return found.Item;
  }

  snapshot(): DynamoTally {
    return structuredClone(this.tally);
  }

  /** Runs `action` and returns what it cost. */
  async measure<T>(action: () => Promise<T>): Promise<{ result: T; tally: DynamoTally }> {
    const before = this.snapshot();
    const result = await action();
    return { result, tally: tallySince(this.snapshot(), before) };
  }

  /** Records the requests `action` sends (in order). */
  async record<T>(action: () => Promise<T>): Promise<{ result: T; calls: RecordedCall[] }> {
    const calls: RecordedCall[] = [];
    this.recorder = (call) => calls.push(call);
    try {
      return { result: await action(), calls };
    } finally {
      this.recorder = undefined;
    }
  }
}

function transactTarget(item: TransactItem): { TableName: string; Key: ItemImage } {
  const action = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  if (!action) throw new Error('unknown transaction item');
  const key = action.Key ?? {
    [TABLE_SCHEMA.partitionKey]: action.Item![TABLE_SCHEMA.partitionKey]!,
    [TABLE_SCHEMA.sortKey]: action.Item![TABLE_SCHEMA.sortKey]!,
  };
  return { TableName: action.TableName, Key: key };
}

/** The state machine's Lambda task states (Resource = one of the ${…FunctionArn} substitutions) → their handler ids. */
export function lambdaTaskStates(repoRoot: string): Map<string, string> {
  const definition = JSON.parse(readFileSync(join(repoRoot, STATE_MACHINE_FILE), 'utf8')) as {
    States: Record<string, { Type: string; Resource?: string }>;
  };
  const handlers = new Map(Object.entries(WORKFLOW_TASK_HANDLERS).map(([name, handlerId]) => [`\${${name}}`, handlerId as string]));
  const states = new Map<string, string>();
  for (const [name, state] of Object.entries(definition.States)) {
    const handlerId = state.Type === 'Task' ? handlers.get(state.Resource ?? '') : undefined;
    if (handlerId) states.set(name, handlerId);
  }
  return states;
}

/** One Lambda invocation: which function, and how long it ran (ms). */
export interface LambdaRun {
  handlerId: string;
  ms: number;
}

export interface WorkflowTally {
  executions: number;
  /** What Standard workflows bill: every state entered, plus every retry. */
  stateTransitions: number;
  retries: number;
  lambdaInvocations: number;
  /** Each finished execution: its duration (ExecutionStarted → end), ms, and how many Lambda tasks it ran. */
  executionRuns: Array<{ ms: number; lambdaTasks: number }>;
  /** Each Lambda task (StateEntered → StateExited). */
  taskRuns: LambdaRun[];
  /** Bytes the execution log would get at each level (see executionLogBytes). */
  logBytes: { ALL: number; ERROR: number };
}

/**
 * Step Functions' execution log line around an event's own data: id, type, timestamps, the
 * execution ARN, previous event id, redrive count (an ExecutionStarted line without input, as
 * CloudWatch shows it, is about this long).
 */
export const EXECUTION_LOG_ENVELOPE_BYTES = 330;
/** A Lambda task logs 5 events on AWS (entered, scheduled, started, succeeded, exited); the local runner reports 2. */
const EXTRA_EVENTS_PER_LAMBDA_TASK = 3;
const ERROR_EVENTS = new Set(['ExecutionFailed', 'ExecutionTerminated', 'StateFailed', 'MapIterationFailed', 'ParallelBranchFailed']);

export const emptyWorkflowTally = (): WorkflowTally => ({
  executions: 0,
  stateTransitions: 0,
  retries: 0,
  lambdaInvocations: 0,
  executionRuns: [],
  taskRuns: [],
  logBytes: { ALL: 0, ERROR: 0 },
});

/** Counts executions from their event logs. */
export class WorkflowMeter {
  private tally = emptyWorkflowTally();
  private readonly started = new Map<string, { at: number; lambdaTasks: number }>();
  private readonly entered = new Map<string, number>();

  constructor(private readonly lambdaStates: ReadonlyMap<string, string>) {}

  observe = (execution: string, event: WorkflowEvent): void => {
    const t = this.tally;
    // The execution log: every event with its data at ALL, only failures at ERROR.
    const line = EXECUTION_LOG_ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(event));
    t.logBytes.ALL += line;
    if (ERROR_EVENTS.has(event.type)) t.logBytes.ERROR += line;
    if (event.type === 'StateExited' && this.lambdaStates.has(event.state.name))
      t.logBytes.ALL +=
        EXTRA_EVENTS_PER_LAMBDA_TASK * (EXECUTION_LOG_ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(event.state.output ?? null)));
    switch (event.type) {
      case 'ExecutionStarted':
        t.executions++;
        this.started.set(execution, { at: event.timestamp, lambdaTasks: 0 });
        break;
      case 'ExecutionSucceeded':
      case 'ExecutionFailed': {
        const started = this.started.get(execution);
        t.executionRuns.push({ ms: event.timestamp - (started?.at ?? event.timestamp), lambdaTasks: started?.lambdaTasks ?? 0 });
        this.started.delete(execution);
        break;
      }
      case 'StateEntered':
        t.stateTransitions++;
        if (this.lambdaStates.has(event.state.name)) {
          this.lambdaInvoked(execution);
          this.entered.set(`${execution}/${event.state.name}`, event.timestamp);
        }
        break;
      case 'StateRetried':
        t.stateTransitions++;
        t.retries++;
        if (this.lambdaStates.has(event.state.name)) this.lambdaInvoked(execution);
        break;
      case 'StateExited': {
        const key = `${execution}/${event.state.name}`;
        const at = this.entered.get(key);
        const handlerId = this.lambdaStates.get(event.state.name);
        if (at !== undefined && handlerId) t.taskRuns.push({ handlerId, ms: event.timestamp - at });
        this.entered.delete(key);
        break;
      }
      default:
        break;
    }
  };

  private lambdaInvoked(execution: string) {
    this.tally.lambdaInvocations++;
    const started = this.started.get(execution);
    if (started) started.lambdaTasks++;
  }

  /** Returns what was counted since the last take, and starts again. */
  take(): WorkflowTally {
    const taken = this.tally;
    this.tally = emptyWorkflowTally();
    return taken;
  }
}

/** Calls Baton makes to AWS services other than DynamoDB, through its ports. */
export interface ServiceCalls {
  startExecution: number;
  s3Puts: number;
  emails: number;
}

export const emptyServiceCalls = (): ServiceCalls => ({ startExecution: 0, s3Puts: 0, emails: 0 });

/**
 * Port decorators that count StartExecution, S3 puts and emails. Workflow starts can be held
 * (`hold = true`) so a request's own cost is measured before the workflow it starts runs, or
 * dropped (`runWorkflows = false`) when only the request matters.
 */
export class PortMeter {
  calls = emptyServiceCalls();
  hold = false;
  runWorkflows = true;
  /** Called as each workflow start is made (after any pacing above this port). */
  onWorkflowStart: (() => void) | undefined;
  private held: Array<() => Promise<void>> = [];

  decorate = (ports: Ports): Partial<Ports> => ({
    workflow: {
      start: async (enrollmentId, trigger) => {
        this.calls.startExecution++;
        this.onWorkflowStart?.();
        if (!this.runWorkflows) return;
        if (this.hold) this.held.push(() => ports.workflow.start(enrollmentId, trigger));
        else await ports.workflow.start(enrollmentId, trigger);
      },
    },
    certificates: {
      put: async (key, pdf) => {
        this.calls.s3Puts++;
        return ports.certificates.put(key, pdf);
      },
      downloadUrl: (key, fileName) => ports.certificates.downloadUrl(key, fileName),
    },
    mailer: {
      send: async (message) => {
        this.calls.emails++;
        return ports.mailer.send(message);
      },
    },
  });

  /** Starts the held workflow executions. */
  async release(): Promise<void> {
    const held = this.held;
    this.held = [];
    for (const start of held) await start();
  }

  take(): ServiceCalls {
    const taken = this.calls;
    this.calls = emptyServiceCalls();
    return taken;
  }
}
