// Requests per operation: one enrollment of a 3-step program from creation to certificate,
// every step completed by a partner webhook and each webhook delivered twice, measured request
// by request (each request's own cost is taken before the workflow it starts runs), plus the
// webhooks that change nothing: unmatched, and a new delivery for a step already completed.
import type { PartnerId } from '../../functions/domain/partners.js';
import { answerStatus, type BenchBaton } from '../harness.js';
import { measureLogBytes } from '../log-meter.js';
import { addTallies, emptyWorkflowTally, type DynamoTally, type LambdaRun, type ServiceCalls, type WorkflowTally } from '../instrument.js';

/** The product's reference program: HSI → Certiport → CareerSafe, one step each. */
export const REFERENCE_PROGRAM = 'medical-assistant';

export type RequestKind = 'create-enrollment' | 'webhook-applied' | 'webhook-duplicate' | 'webhook-unmatched' | 'webhook-already-completed';

/** What one API request cost (its Lambda invocation only, not the workflow it started). */
export interface RequestCost {
  kind: RequestKind;
  dynamo: DynamoTally;
  calls: ServiceCalls;
  ms: number;
  /** Bytes its function logged (Powertools lines at the deployed level). */
  logBytes: number;
}

/** What the workflow executions started by one request cost. */
export interface WorkflowCost {
  after: RequestKind;
  dynamo: DynamoTally;
  calls: ServiceCalls;
  workflow: WorkflowTally;
  /** Bytes the task functions logged. */
  logBytes: number;
}

export interface LifecycleRun {
  requests: RequestCost[];
  workflows: WorkflowCost[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Runs one enrollment's lifecycle and the no-change webhooks; `run` keeps ids unique and equally long. */
export async function measureLifecycle(bench: BenchBaton, run: number): Promise<LifecycleRun> {
  const requests: RequestCost[] = [];
  const workflows: WorkflowCost[] = [];
  const student = { email: `bench-student-${pad(run, 4)}@example.com`, name: `Bench Student ${pad(run, 4)}` };
  const accounts: Record<PartnerId, string> = {
    hsi: `HSI-${pad(run, 6)}`,
    certiport: `CP-${pad(run, 6)}`,
    careersafe: `CS-${pad(run, 6)}`,
  };

  const request = async <T extends { ms: number }>(kind: RequestKind, send: () => Promise<T>): Promise<T> => {
    bench.ports.hold = true;
    bench.ports.take();
    const {
      result: { result, tally },
      bytes,
    } = await measureLogBytes(() => bench.dynamo.measure(send));
    requests.push({ kind, dynamo: tally, calls: bench.ports.take(), ms: result.ms, logBytes: bytes });
    bench.ports.hold = false;
    bench.workflow.take();
    const {
      result: { tally: workflowTally },
      bytes: workflowBytes,
    } = await measureLogBytes(() => bench.dynamo.measure(() => bench.settleWorkflows()));
    const workflow = bench.workflow.take();
    if (workflow.executions > 0)
      workflows.push({ after: kind, dynamo: workflowTally, calls: bench.ports.take(), workflow, logBytes: workflowBytes });
    return result;
  };

  const created = await request('create-enrollment', () =>
    bench.admin('POST', '/api/enrollments', {
      studentEmail: student.email,
      studentName: student.name,
      programId: REFERENCE_PROGRAM,
      partnerAccounts: accounts,
    }),
  );
  expect(created.status === 201, `create enrollment answered ${created.status} ${JSON.stringify(created.body)}`);
  const enrollment = created.body as { id: string; steps: Array<{ partnerId: PartnerId; courseId: string }> };

  for (const step of enrollment.steps) {
    const spec = { studentId: accounts[step.partnerId]!, courseId: step.courseId, email: student.email, score: 92 };
    const applied = await request('webhook-applied', () => bench.webhook(step.partnerId, spec));
    expect(answerStatus(applied.body) === 'applied', `webhook answered ${JSON.stringify(applied.body)}`);
    const duplicate = await request('webhook-duplicate', () => bench.webhook(step.partnerId, spec, applied.id));
    expect(answerStatus(duplicate.body) === 'duplicate', `duplicate delivery answered ${JSON.stringify(duplicate.body)}`);
  }

  const done = await bench.admin('GET', `/api/enrollments/${enrollment.id}`);
  const finished = done.body as { status?: string; certificate?: { id?: string } } | undefined;
  expect(finished?.status === 'completed' && finished.certificate?.id, `enrollment did not complete: ${JSON.stringify(done.body)}`);

  // Deliveries that change nothing (not part of the enrollment's cost).
  const first = enrollment.steps[0]!;
  const again = await request('webhook-already-completed', () =>
    bench.webhook(first.partnerId, { studentId: accounts[first.partnerId]!, courseId: first.courseId, email: student.email, score: 92 }),
  );
  expect(answerStatus(again.body) === 'duplicate', `completed-step webhook answered ${JSON.stringify(again.body)}`);
  const unmatched = await request('webhook-unmatched', () =>
    bench.webhook(first.partnerId, {
      studentId: `HSI-UNKNOWN-${pad(run, 6)}`,
      courseId: first.courseId,
      email: `nobody-${pad(run, 4)}@example.com`,
      score: 92,
    }),
  );
  expect(answerStatus(unmatched.body) === 'unmatched', `unknown-student webhook answered ${JSON.stringify(unmatched.body)}`);
  return { requests, workflows };
}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`benchmark scenario broke: ${message}`);
}

/** The route (and so the function) each request goes to. */
const ROUTE_OF: Record<RequestKind, string> = {
  'create-enrollment': 'create-enrollment',
  'webhook-applied': 'partner-webhook',
  'webhook-duplicate': 'partner-webhook',
  'webhook-unmatched': 'partner-webhook',
  'webhook-already-completed': 'partner-webhook',
};

/** The requests and workflows that make up one enrollment (the no-change webhooks excluded). */
export const ENROLLMENT_REQUESTS: readonly RequestKind[] = ['create-enrollment', 'webhook-applied', 'webhook-duplicate'];

export interface EnrollmentTotals {
  apiRequests: number;
  dynamo: DynamoTally;
  calls: ServiceCalls;
  workflow: WorkflowTally;
  /** Lambda invocations behind API requests (their round-trip times). */
  apiRuns: LambdaRun[];
  /** Bytes the functions logged (requests and workflow tasks). */
  logBytes: number;
  /** Webhook requests (each emits one custom-metric line). */
  webhooks: number;
}

export function enrollmentTotals(run: LifecycleRun): EnrollmentTotals {
  const requests = run.requests.filter((r) => ENROLLMENT_REQUESTS.includes(r.kind));
  const workflows = run.workflows.filter((w) => ENROLLMENT_REQUESTS.includes(w.after));
  const dynamo = addTallies([...requests.map((r) => r.dynamo), ...workflows.map((w) => w.dynamo)]);
  const calls = { startExecution: 0, s3Puts: 0, emails: 0 };
  for (const c of [...requests.map((r) => r.calls), ...workflows.map((w) => w.calls)]) {
    calls.startExecution += c.startExecution;
    calls.s3Puts += c.s3Puts;
    calls.emails += c.emails;
  }
  const workflow = emptyWorkflowTally();
  for (const w of workflows.map((x) => x.workflow)) {
    workflow.executions += w.executions;
    workflow.stateTransitions += w.stateTransitions;
    workflow.retries += w.retries;
    workflow.lambdaInvocations += w.lambdaInvocations;
    workflow.executionRuns.push(...w.executionRuns);
    workflow.taskRuns.push(...w.taskRuns);
    workflow.logBytes.ALL += w.logBytes.ALL;
    workflow.logBytes.ERROR += w.logBytes.ERROR;
  }
  return {
    apiRequests: requests.length,
    dynamo,
    calls,
    workflow,
    apiRuns: requests.map((r) => ({ handlerId: ROUTE_OF[r.kind], ms: r.ms })),
    logBytes: [...requests, ...workflows].reduce((sum, r) => sum + r.logBytes, 0),
    webhooks: requests.filter((r) => ROUTE_OF[r.kind] === 'partner-webhook').length,
  };
}
