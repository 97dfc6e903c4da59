// The same generators as enrollment-model.test.ts, against local mode: random programs saved
// through the admin API, a student enrolled in one and in a companion program that shares a
// course, random partner events sent as signed webhooks in concurrent batches (with redeliveries
// and admin overrides), workflow runs lagging behind, and in some runs an admin cancelling one of
// the two enrollments. Fewer runs: each one is a real deployment.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateIdFor } from '../../functions/domain/certificates.js';
import type { EnrollmentStep } from '../../functions/domain/enrollment.js';
import { completionBody, sendWebhook, signWebhook, type SignedWebhook } from '../../local/partner-webhook-client.js';
import { recordFigure } from '../reliability/support/figures.js';
import {
  auditEnrollments,
  decodedOutbox,
  pipelineTotals,
  plural,
  recordTransitions,
  truthFromItems,
} from '../reliability/support/probes.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { actionArbitrary, programArbitrary, type Action } from './arbitraries.js';

const RUNS = 5;

let baton: TestBaton;
const { log, decorate } = recordTransitions();
beforeAll(async () => {
  baton = await startTestBaton({ decorate });
});
afterAll(() => baton?.stop());

const everyRequiredDone = (steps: readonly EnrollmentStep[]) =>
  steps.every((s) => !s.required || s.status === 'completed' || s.status === 'waived');

const scenario = fc.record({
  program: programArbitrary({ id: 'generated', maxSteps: 5 }),
  batches: fc.array(fc.array(actionArbitrary, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
  /** At the end every required step is completed at once (optional ones too, if set), some twice. */
  finishOptional: fc.boolean(),
  /** An admin cancels the companion enrollment at once, or the main one after the first batch. */
  cancel: fc.constantFrom(undefined, undefined, 'companion' as const, 'main' as const),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

let run = 0;
const totals = { events: 0, overrides: 0, completedEnrollments: 0, cancelledEnrollments: 0, answers: new Map<number, number>() };

async function runScenario({ program: generated, batches, finishOptional, cancel }: Scenario) {
  run++;
  const program = { ...generated, id: `generated-${run}`, name: `Generated ${run}` };
  const shared = program.steps[0]!;
  const companion = {
    id: `companion-${run}`,
    name: `Companion ${run}`,
    category: 'Specialized',
    steps: [
      { sequence: 1, partnerId: shared.partnerId, courseId: shared.courseId, completion: shared.completion },
      { sequence: 2, partnerId: 'jri', courseId: `companion-only-${run}` },
    ],
  };
  for (const p of [program, companion]) {
    const saved = await baton.api('PUT', `/api/admin/programs/${p.id}`, { as: ADMIN, body: p });
    expect(saved.status).toBe(201);
  }
  const email = `property${run}@example.org`;
  const accounts = Object.fromEntries(['hsi', 'certiport', 'careersafe', 'jri', 'milady'].map((p) => [p, `${p}-${run}`]));
  const main = await baton.enroll({ studentEmail: email, programId: program.id, partnerAccounts: accounts });
  const other = await baton.enroll({ studentEmail: email, programId: companion.id });
  const ids = [main.id as string, other.id as string];
  const cancelEnrollment = async (id: string) => {
    const response = await baton.api('POST', `/api/admin/enrollments/${id}/cancel`, {
      as: ADMIN,
      body: { reason: 'property test cancellation' },
    });
    answers.push({ kind: 'cancel', ...response });
  };

  const sent: SignedWebhook[] = [];
  const answers: Array<{ kind: string; status: number; body: any }> = [];
  const progress = new Map<string, number[]>(ids.map((id) => [id, []]));
  const act = async (action: Action) => {
    if (action.kind === 'advance') return baton.drain();
    if (action.kind === 'waive' || action.kind === 'admin-complete' || action.kind === 'skip') {
      const step = program.steps[action.step % program.steps.length]!;
      const verb = action.kind === 'admin-complete' ? 'complete' : action.kind;
      totals.overrides++;
      const response = await baton.api('POST', `/api/admin/enrollments/${main.id}/steps/${step.sequence}/${verb}`, {
        as: ADMIN,
        body: { reason: 'property test override', partnerId: step.partnerId },
      });
      answers.push({ kind: 'override', ...response });
      return;
    }
    let signed: SignedWebhook;
    if (action.kind === 'redeliver') {
      const earlier = sent[action.nth % Math.max(1, sent.length)];
      if (!earlier) return;
      signed = signWebhook({ secret: baton.secrets[partnerOf(earlier)]![0]!, body: earlier.body, id: earlier.id });
    } else if (action.kind === 'partner') {
      const step = program.steps[action.step % program.steps.length]!;
      const body = completionBody({
        event: action.result === 'passed' ? 'course.passed' : 'course.completed',
        studentId: accounts[step.partnerId]!,
        courseId: action.unknownCourse ? 'no-such-course' : step.courseId,
      });
      signed = signWebhook({ secret: baton.secrets[step.partnerId]![0]!, body });
      sent.push(signed);
    } else {
      return;
    }
    totals.events++;
    answers.push({ kind: 'webhook', ...(await sendWebhook(`${baton.url}/api/webhooks/partners/${partnerOf(signed)}`, signed)) });
  };
  const partnerOf = (signed: SignedWebhook) => String(JSON.parse(signed.body).student_id).split('-')[0] as keyof typeof baton.secrets;

  const finish: Action[] = program.steps.flatMap((step, index) =>
    step.required || finishOptional ? [{ kind: 'partner' as const, step: index, unknownCourse: false, result: 'passed' as const }] : [],
  );
  finish.push({ kind: 'redeliver', nth: sent.length }, { kind: 'redeliver', nth: sent.length + 1 });
  if (cancel === 'companion') await cancelEnrollment(other.id);
  for (const [i, batch] of [...batches, finish].entries()) {
    await Promise.all(batch.map(act));
    if (cancel === 'main' && i === 0) await cancelEnrollment(main.id);
    for (const id of ids) {
      const view = await baton.api('GET', `/api/enrollments/${id}`, { as: ADMIN });
      progress.get(id)!.push(view.body.progress.completed);
    }
  }
  const companionOnly = await baton.complete('jri', { studentId: accounts.jri!, courseId: `companion-only-${run}` });
  answers.push({ kind: 'webhook', ...companionOnly });
  await baton.drain();

  for (const a of answers) totals.answers.set(a.status, (totals.answers.get(a.status) ?? 0) + 1);
  // Partners only ever get 200; overrides a success or a clear refusal (done already, ambiguous), never a 5xx.
  expect(answers.filter((a) => a.kind === 'webhook' && a.status !== 200)).toEqual([]);
  expect(answers.filter((a) => a.kind === 'override' && ![200, 400, 409].includes(a.status))).toEqual([]);
  // A cancellation succeeds whatever the workflow is doing at that moment, unless the enrollment
  // completed first or every required step is done (the certificate is on its way): a clear 409.
  const cancelled = answers.filter((a) => a.kind === 'cancel');
  expect(cancelled.map((a) => (a.status === 200 ? a.body.status : a.body.error.code))).toEqual(
    cancel ? [expect.stringMatching(/^(cancelled|ENROLLMENT_NOT_ACTIVE|ENROLLMENT_COMPLETING)$/)] : [],
  );
  const cancelledId = cancelled[0]?.status === 200 ? (cancelled[0].body.id as string) : undefined;
  // A step never leaves completed, waived, skipped or cancelled; progress never decreases.
  const settled = ['completed', 'waived', 'skipped', 'cancelled'];
  expect(log.transitions.filter((t) => ids.includes(t.enrollmentId) && settled.includes(t.from))).toEqual([]);
  for (const series of progress.values()) expect(series).toEqual([...series].sort((a, b) => a - b));

  const items = await baton.items();
  // Unless cancelled, completed iff every required step is completed or waived; one certificate and one email per completion.
  for (const id of ids) {
    const enrollment = items.find((i) => i.entity === 'enrollment' && i.id === id)!;
    const steps = items.filter((i) => i.entity === 'step' && i.enrollmentId === id) as unknown as EnrollmentStep[];
    if (id === cancelledId) expect(enrollment.status, `enrollment ${id}`).toBe('cancelled');
    else expect(enrollment.status === 'completed', `enrollment ${id}`).toBe(everyRequiredDone(steps));
    const certificates = items.filter((i) => i.entity === 'certificate' && i.enrollmentId === id).length;
    const emails = decodedOutbox(baton).filter((eml) => eml.includes(certificateIdFor(id))).length;
    expect([certificates, emails]).toEqual(enrollment.status === 'completed' ? [1, 1] : [0, 0]);
    if (enrollment.status === 'completed') totals.completedEnrollments++;
    if (enrollment.status === 'cancelled') totals.cancelledEnrollments++;
  }
  // Only in-progress steps are in the sparse index the stuck list reads (completed and cancelled enrollments have none).
  expect(
    items.filter(
      (i) => i.entity === 'step' && ids.includes(i.enrollmentId as string) && i.gsi2pk !== undefined && i.status !== 'in_progress',
    ),
  ).toEqual([]);
  expect(auditEnrollments(items).filter((p) => ids.includes(p.enrollmentId))).toEqual([]);
  // The pipeline's counters equal the truth recomputed from every record in the table.
  expect(await pipelineTotals(baton, ADMIN)).toEqual(truthFromItems(items));
}

describe('random programs and event sequences against local mode', () => {
  it('keep every invariant, end to end', async () => {
    const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
    await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: RUNS, seed, endOnFailure: true });
    recordFigure(
      'property-stack',
      `${RUNS} random programs, each with a companion program sharing a course, and their events in concurrent batches → ` +
        'every webhook answered 200 (0 × 409, 0 × 5xx), every override (complete, waive, skip) 200 or a clear 400/409, every cancellation 200 or a clear 409 when completion came first or was under way; 0 transitions out of completed, waived, skipped or cancelled; ' +
        'progress never decreased; unless cancelled, completed iff every required step completed or waived; no step of a completed or cancelled enrollment left open or in the in-progress index; ' +
        'one certificate and one email per completed enrollment, none otherwise; ' +
        'pipeline counters equal to the truth recomputed from the table.',
      `seed ${seed}: ${plural(totals.events, 'webhook')}, ${plural(totals.overrides, 'override')}, ${totals.completedEnrollments} of ${RUNS * 2} enrollments completed, ${totals.cancelledEnrollments} cancelled; answers ${[
        ...totals.answers,
      ]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${n} × ${status}`)
        .join(', ')}.`,
    );
  }, 120_000);
});
