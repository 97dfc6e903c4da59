// The enrollment rules under random programs and random event sequences (fast-check), applied
// with the pure functions of functions/domain the way the use cases apply them. Invariants: a step
// never leaves completed (or waived); progress never decreases; the enrollment is completed iff
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
  withStepStatus,
  type EnrollmentStatus,
  type EnrollmentStep,
  type StepStatus,
} from '../../functions/domain/enrollment.js';
import type { ProgramDefinition } from '../../functions/domain/programs.js';
import { recordFigure } from '../reliability/support/figures.js';
import { actionArbitrary, programArbitrary, type Action } from './arbitraries.js';

const AT = '2026-01-01T00:00:00.000Z';

/** The oracle, written out rather than taken from the rules under test. */
const everyRequiredDone = (steps: readonly EnrollmentStep[]) => steps.every((s) => !s.required || s.status === 'completed' || s.status === 'waived');
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

  /** advanceEnrollment + issueCertificate: start due steps or complete; a completed run issues the certificate. */
  private advance() {
    const plan = planAdvance(this.status, this.steps);
    for (const step of plan.start) this.transition(step, 'in_progress');
    if (plan.complete) {
      this.status = 'completed';
      this.counterLog.push(enrollmentFinished(this.program.id, 'completed'));
    }
    if (this.status === 'completed') this.certificates.add(certificateIdFor(ENROLLMENT_ID));
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
    for (const step of this.steps) totals[`partner:${step.partnerId}:${step.status}`] = (totals[`partner:${step.partnerId}:${step.status}`] ?? 0) + 1;
    return totals;
  }
}

const RUNS = 1000;

describe('the enrollment rules under random programs and event sequences', () => {
  it('keep every invariant after every event', () => {
    const stats = { actions: 0, completedRuns: 0, parallelPrograms: 0, optionalPrograms: 0, passedPrograms: 0 };
    fc.assert(
      fc.property(programArbitrary({ id: 'generated', maxSteps: 8 }), fc.array(actionArbitrary, { maxLength: 40 }), (program, actions) => {
        const model = new ModelEnrollment(program);
        let previous = model.steps;
        for (const action of [...actions, ...program.steps.map(() => ({ kind: 'advance' }) as const)]) {
          model.apply(action);
          stats.actions++;
          for (const before of previous) {
            const after = model.steps[before.index]!;
            // A step never leaves completed or waived.
            if (isDone(before)) expect(after.status).toBe(before.status);
          }
          // Progress never decreases.
          expect(progress(model.steps).completed).toBeGreaterThanOrEqual(progress(previous).completed);
          expect(progress(model.steps).percent).toBeGreaterThanOrEqual(progress(previous).percent);
          // Completed only when every required step is completed or waived.
          if (model.status === 'completed') expect(everyRequiredDone(model.steps)).toBe(true);
          expect(model.certificates.size).toBeLessThanOrEqual(1);
          expect(model.counters()).toEqual(model.truth());
          previous = model.steps;
        }
        // Once the workflow has caught up: completed iff every required step is done, one certificate iff completed.
        expect(model.status === 'completed').toBe(everyRequiredDone(model.steps));
        expect(model.certificates.size).toBe(model.status === 'completed' ? 1 : 0);
        if (model.status === 'completed') stats.completedRuns++;
        if (new Set(program.steps.map((s) => s.sequence)).size < program.steps.length) stats.parallelPrograms++;
        if (program.steps.some((s) => !s.required)) stats.optionalPrograms++;
        if (program.steps.some((s) => s.completion === 'passed')) stats.passedPrograms++;
      }),
      { numRuns: RUNS },
    );
    recordFigure(
      'property-domain',
      `${RUNS.toLocaleString('en-US')} random programs × up to 40 events each, every invariant checked after every event → 0 counterexamples ` +
        '(no step left completed or waived, progress never decreased, completed iff every required step completed or waived, ' +
        'at most one certificate and exactly one once completed, counters equal to the truth recomputed from the steps).',
      `${stats.actions.toLocaleString('en-US')} events applied; ${stats.completedRuns} runs ended completed; programs with parallel steps: ${stats.parallelPrograms}, ` +
        `with optional steps: ${stats.optionalPrograms}, with "passed" steps: ${stats.passedPrograms}.`,
    );
  });
});
