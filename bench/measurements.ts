// Turns raw scenario results into the figures the report prints and the guard checks.
import { FLOORS } from './floors.js';
import { totalRequests, type DynamoTally } from './instrument.js';
import { enrollmentTotals, type LifecycleRun, type RequestKind } from './scenarios/counts.js';
import type { EnrollmentUsage } from './cost-model.js';
import { memoryOf } from './lambda-bundling.js';
import type { Measured } from './budgets.js';
import type { StackCounts } from './bill/stack-counts.js';

export interface RequestFigures {
  kind: RequestKind;
  /** One representative tally (all occurrences are checked to be equal, else `varies` is set). */
  dynamo: DynamoTally;
  requests: number;
  startExecution: number;
  occurrences: number;
  /** Worst case over every occurrence, for the guard. */
  max: { dynamodbRequests: number; readUnits: number; writeUnits: number; startExecution: number };
  varies: boolean;
}

export function requestFigures(runs: readonly LifecycleRun[], kind: RequestKind): RequestFigures {
  const all = runs.flatMap((r) => r.requests.filter((q) => q.kind === kind));
  if (all.length === 0) throw new Error(`no ${kind} request was measured`);
  const key = (t: DynamoTally) => JSON.stringify([t.requests, t.readUnits, t.writeUnits]);
  const first = all[0]!;
  return {
    kind,
    dynamo: first.dynamo,
    requests: totalRequests(first.dynamo),
    startExecution: first.calls.startExecution,
    occurrences: all.length,
    max: {
      dynamodbRequests: Math.max(...all.map((q) => totalRequests(q.dynamo))),
      readUnits: Math.max(...all.map((q) => q.dynamo.readUnits)),
      writeUnits: Math.max(...all.map((q) => q.dynamo.writeUnits)),
      startExecution: Math.max(...all.map((q) => q.calls.startExecution)),
    },
    varies: all.some((q) => key(q.dynamo) !== key(first.dynamo)),
  };
}

export interface EnrollmentFigures {
  apiRequests: number;
  dynamodbRequests: number;
  byOperation: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  indexWriteUnits: number;
  startExecution: number;
  executions: number;
  stateTransitions: number;
  retries: number;
  lambdaInvocations: number;
  s3Puts: number;
  emails: number;
}

export function enrollmentFigures(run: LifecycleRun): EnrollmentFigures {
  const t = enrollmentTotals(run);
  return {
    apiRequests: t.apiRequests,
    dynamodbRequests: totalRequests(t.dynamo),
    byOperation: t.dynamo.requests,
    readUnits: t.dynamo.readUnits,
    writeUnits: t.dynamo.writeUnits,
    indexWriteUnits: t.dynamo.indexWriteUnits,
    startExecution: t.calls.startExecution,
    executions: t.workflow.executions,
    stateTransitions: t.workflow.stateTransitions,
    retries: t.workflow.retries,
    lambdaInvocations: t.apiRequests + t.workflow.lambdaInvocations,
    s3Puts: t.calls.s3Puts,
    emails: t.calls.emails,
  };
}

export function enrollmentUsage(run: LifecycleRun): EnrollmentUsage {
  const t = enrollmentTotals(run);
  const f = enrollmentFigures(run);
  return {
    apiRequests: f.apiRequests,
    lambdaInvocations: f.lambdaInvocations,
    lambdaRuns: [...t.apiRuns, ...t.workflow.taskRuns].map((run) => ({ ms: run.ms, memoryMb: memoryOf(run.handlerId) })),
    dynamoReadUnits: f.readUnits,
    dynamoWriteUnits: f.writeUnits,
    executions: t.workflow.executionRuns,
    stateTransitions: f.stateTransitions,
    s3Puts: f.s3Puts,
    emails: f.emails,
  };
}

/**
 * The counts the CI guard compares with bench/budgets.json: requests and units per operation
 * (worst case over the runs), what the stack is billed for by the month, and each function's
 * bundle (gzip KiB).
 */
export function guardedCounts(runs: readonly LifecycleRun[], stack: StackCounts, bundleGzipKib: Record<string, number>): Measured {
  const webhook = (kind: RequestKind) => {
    const f = requestFigures(runs, kind);
    return { ...f.max };
  };
  const enrollments = runs.map(enrollmentFigures);
  const worst = (pick: (f: EnrollmentFigures) => number) => Math.max(...enrollments.map(pick));
  return {
    'webhook-applied': webhook('webhook-applied'),
    'webhook-duplicate': webhook('webhook-duplicate'),
    'webhook-unmatched': webhook('webhook-unmatched'),
    'webhook-already-completed': webhook('webhook-already-completed'),
    enrollment: {
      dynamodbRequests: worst((f) => f.dynamodbRequests),
      readUnits: worst((f) => f.readUnits),
      writeUnits: worst((f) => f.writeUnits),
      stateTransitions: worst((f) => f.stateTransitions),
      executions: worst((f) => f.executions),
      lambdaInvocations: worst((f) => f.lambdaInvocations),
    },
    stack: {
      alarms: stack.alarms,
      alarmMetrics: stack.alarmMetrics,
      compositeAlarms: stack.compositeAlarms,
      customMetrics: stack.customMetrics,
      dashboards: stack.dashboards,
      kmsKeys: stack.kmsKeys,
      secrets: stack.secrets,
    },
    'bundle-gzip-kib': bundleGzipKib,
  };
}

export const FLOOR_KEYS: Record<RequestKind, keyof typeof FLOORS | undefined> = {
  'webhook-applied': 'webhookApplied',
  'webhook-duplicate': 'webhookDuplicate',
  'webhook-unmatched': 'webhookUnmatched',
  'webhook-already-completed': 'webhookAlreadyCompleted',
  'create-enrollment': 'createEnrollment',
};
