// The enrollment rules under random programs and random event sequences (fast-check), applied
// with the pure functions of functions/domain the way the use cases apply them, an admin's
// cancellation included. Invariants: a step never leaves completed, waived, skipped or cancelled;
// progress never decreases; an enrollment never leaves completed or cancelled, and then has no
// step open; only optional steps are skipped; unless cancelled, the enrollment is completed iff
// every required step is completed or waived; at most one certificate; counters equal the truth.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certificateIdFor } from '../../functions/domain/certificates.js';
import { enrollmentCreated, enrollmentFinished, mergeDeltas, stepMoved, type CounterDelta } from '../../functions/domain/counters.js';
import {
  findStepBySequence,
  generateSteps,
  isDone,
  matchCompletion,
  planAdvance,
  progress,
  stepsToCancel,
  withStepStatus,
  type EnrollmentStatus,
  type EnrollmentStep,
  type StepStatus,
} from '../../functions/domain/enrollment.js';
import type { ProgramDefinition } from '../../functions/domain/programs.js';
import { recordFigure } from '../reliability/support/figures.js';
import { actionArbitrary, cancelAtArbitrary, programArbitrary, withCancellation, type Action } from './arbitraries.js';

const AT = '2026-01-01T00:00:00.000Z';

/** The oracle, written out rather than taken from the rules under test. */
const everyRequiredDone = (steps: readonly EnrollmentStep[]) =>
  steps.every((s) => !s.required || s.status === 'completed' || s.status === 'waived');
const openSteps = (steps: readonly EnrollmentStep[]) => steps.filter((s) => s.status === 'pending' || s.status === 'in_progress');
const ENROLLMENT_ID = 'enrollment-under-test';

/** One enrollment as the use cases drive it, with the pipeline counters they maintain. */
class ModelEnrollment {
  status: EnrollmentStatus = 'active';
  steps: EnrollmentStep[];
  readonly certificates = new Set<string>();
  private readonly counterLog: CounterDelta[] = [];
  readonly partnerEvents: Array<Extract<Action, { kind: 'partner' }>> = [];

  constructor(readonly program: ProgramDefinition) {
    // enrollStudent: generate, start the first sequence, count everything in the create transaction.
    let steps = generateSteps(program);
    for (const step of planAdvance('active', steps).start) steps = withStepStatus(steps, step.index, 'in_progress', AT);
    this.steps = steps;
    this.counterLog.push(enrollmentCreated(program.id), ...steps.map((s) => stepMoved(s.partnerId, null, s.status)));
  }

  apply(action: Action) {
    if (action.kind === 'advance') return this.advance();
    if (action.kind === 'cancel') return this.cancel();
    if (action.kind === 'redeliver') {
      const earlier = this.partnerEvents[action.nth % Math.max(1, this.partnerEvents.length)];
      return earlier ? this.partnerEvent(earlier) : undefined;
    }
    if (action.kind === 'partner') {
      this.partnerEvents.push(action);
      return this.partnerEvent(action);
    }
    return this.override(action.kind === 'waive' ? 'waived' : 'completed', this.steps[action.step % this.steps.length]!);
  }

  /** applyPartnerEvent: the match decides; "apply" is one conditional transition. */
  private partnerEvent(event: Extract<Action, { kind: 'partner' }>) {
    const target = this.steps[event.step % this.steps.length]!;
    const courseId = event.unknownCourse ? 'no-such-course' : target.courseId;
    const match = matchCompletion(this.status, this.steps, { partnerId: target.partnerId, courseId, result: event.result });
    if (match.outcome === 'apply') this.transition(match.step, 'completed');
  }

  /** overrideStep: only active enrollments, only steps not done, refused when the sequence is ambiguous. */
  private override(to: StepStatus, target: EnrollmentStep) {
    if (this.status !== 'active') return;
    const found = findStepBySequence(this.steps, target.sequence, target.partnerId);
    if ('error' in found || isDone(found.step)) return;
    this.transition(found.step, to);
  }

  /** advanceEnrollment + issueCertificate: start due steps or complete (skipping open optional steps); a completed run issues the certificate. */
  private advance() {
    const plan = planAdvance(this.status, this.steps);
    for (const step of plan.start) this.transition(step, 'in_progress');
    for (const step of plan.skip) this.transition(step, 'skipped');
    if (plan.complete) {
      this.status = 'completed';
      this.counterLog.push(enrollmentFinished(this.program.id, 'completed'));
    }
    if (this.status === 'completed') this.certificates.add(certificateIdFor(ENROLLMENT_ID));
  }

  /** cancelEnrollment: only an active enrollment; its open steps close as cancelled. */
  private cancel() {
    if (this.status !== 'active') return;
    for (const step of stepsToCancel(this.steps)) this.transition(step, 'cancelled');
    this.status = 'cancelled';
    this.counterLog.push(enrollmentFinished(this.program.id, 'cancelled'));
  }

  private transition(step: EnrollmentStep, to: StepStatus) {
    this.counterLog.push(stepMoved(step.partnerId, step.status, to));
    this.steps = withStepStatus(this.steps, step.index, to, AT);
  }

  /** The counters as the pipeline would read them: every delta summed. */
  counters() {
    const totals: Record<string, number> = {};
    for (const delta of mergeDeltas(this.counterLog)) {
      const owner = delta.kind === 'partner' ? `partner:${delta.partnerId}` : `program:${delta.programId}`;
      for (const [name, value] of Object.entries(delta.changes)) if (value) totals[`${owner}:${name}`] = value;
    }
    return totals;
  }

  /** The same counters recomputed from the records. */
  truth() {
    const totals: Record<string, number> = { [`program:${this.program.id}:total`]: 1 };
    totals[`program:${this.program.id}:${this.status}`] = 1;
    for (const step of this.steps)
      totals[`partner:${step.partnerId}:${step.status}`] = (totals[`partner:${step.partnerId}:${step.status}`] ?? 0) + 1;
    return totals;
  }
}

const RUNS = 1000;

describe('the enrollment rules under random programs and event sequences', () => {
  it('keep every invariant after every event', () => {
    const stats = {
      actions: 0,
      completedRuns: 0,
      cancelledRuns: 0,
      skippedSteps: 0,
      parallelPrograms: 0,
      optionalPrograms: 0,
      passedPrograms: 0,
    };
    fc.assert(
      fc.property(
        programArbitrary({ id: 'generated', maxSteps: 8 }),
        fc.array(actionArbitrary, { maxLength: 40 }),
        cancelAtArbitrary,
        (program, actions, cancelAt) => {
          const model = new ModelEnrollment(program);
          let previous = model.steps;
          let previousStatus = model.status;
          for (const action of [...withCancellation(actions, cancelAt), ...program.steps.map(() => ({ kind: 'advance' }) as const)]) {
            model.apply(action);
            stats.actions++;
            for (const before of previous) {
              const after = model.steps[before.index]!;
              // A step never leaves completed, waived, skipped or cancelled.
              if (!openSteps([before]).length) expect(after.status).toBe(before.status);
            }
            // An enrollment never leaves completed or cancelled, and then has no step open.
            if (previousStatus !== 'active') expect(model.status).toBe(previousStatus);
            if (model.status !== 'active') expect(openSteps(model.steps)).toEqual([]);
            // Only optional steps are skipped.
            expect(model.steps.filter((s) => s.status === 'skipped' && s.required)).toEqual([]);
            // Progress never decreases.
            expect(progress(model.steps).completed).toBeGreaterThanOrEqual(progress(previous).completed);
            expect(progress(model.steps).percent).toBeGreaterThanOrEqual(progress(previous).percent);
            // Completed only when every required step is completed or waived.
            if (model.status === 'completed') expect(everyRequiredDone(model.steps)).toBe(true);
            expect(model.certificates.size).toBeLessThanOrEqual(1);
            expect(model.counters()).toEqual(model.truth());
            previous = model.steps;
            previousStatus = model.status;
          }
          // Once the workflow has caught up: unless cancelled, completed iff every required step is done; one certificate iff completed.
          if (model.status !== 'cancelled') expect(model.status === 'completed').toBe(everyRequiredDone(model.steps));
          expect(model.certificates.size).toBe(model.status === 'completed' ? 1 : 0);
          if (model.status === 'completed') stats.completedRuns++;
          if (model.status === 'cancelled') stats.cancelledRuns++;
          stats.skippedSteps += model.steps.filter((s) => s.status === 'skipped').length;
          if (new Set(program.steps.map((s) => s.sequence)).size < program.steps.length) stats.parallelPrograms++;
          if (program.steps.some((s) => !s.required)) stats.optionalPrograms++;
          if (program.steps.some((s) => s.completion === 'passed')) stats.passedPrograms++;
        },
      ),
      { numRuns: RUNS },
    );
    recordFigure(
      'property-domain',
      `${RUNS.toLocaleString('en-US')} random programs × up to 40 events each, every invariant checked after every event → 0 counterexamples ` +
        '(no step left completed, waived, skipped or cancelled, progress never decreased, no enrollment left completed or cancelled and none of those with a step open, ' +
        'only optional steps skipped, unless cancelled completed iff every required step completed or waived, ' +
        'at most one certificate and exactly one once completed, counters equal to the truth recomputed from the steps).',
      `${stats.actions.toLocaleString('en-US')} events applied; ${stats.completedRuns} runs ended completed, ${stats.cancelledRuns} cancelled; ` +
        `${stats.skippedSteps} optional steps skipped; programs with parallel steps: ${stats.parallelPrograms}, ` +
        `with optional steps: ${stats.optionalPrograms}, with "passed" steps: ${stats.passedPrograms}.`,
    );
  });
});
