// The enrollment rules under random programs and random event sequences (fast-check), applied
// with the pure functions of functions/domain the way the use cases apply them, an admin's
// cancellation included. Invariants: a step never leaves completed, waived, skipped or cancelled;
// progress never decreases; an enrollment never leaves completed or cancelled, and then has no
// step open; only optional steps are skipped; unless cancelled, the enrollment is completed iff
// every required step is completed or waived; at most one certificate; counters equal the truth.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certificateIdFor } from '../../functions/domain/certificates.js';
import { counterChanges, mergeDeltas, type CounterDelta } from '../../functions/domain/counters.js';
import { decide, evolveAll, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import { progress, type EnrollmentState, type EnrollmentStep } from '../../functions/domain/enrollment.js';
import type { ProgramDefinition } from '../../functions/domain/programs.js';
import { recordFigure } from '../reliability/support/figures.js';
import { actionArbitrary, cancelAtArbitrary, programArbitrary, withCancellation, type Action } from './arbitraries.js';

const AT = '2026-01-01T00:00:00.000Z';

/** The oracle, written out rather than taken from the rules under test. */
const everyRequiredDone = (steps: readonly EnrollmentStep[]) =>
  steps.every((s) => !s.required || s.status === 'completed' || s.status === 'waived');
const openSteps = (steps: readonly EnrollmentStep[]) => steps.filter((s) => s.status === 'pending' || s.status === 'in_progress');
const ENROLLMENT_ID = 'enrollment-under-test';

/**
 * One enrollment driven through the product's own decider: every action becomes the command the
 * use case sends, an accepted decision is applied with `evolve`, and the pipeline counters take
 * the difference each transition makes, as the save path writes them.
 */
class ModelEnrollment {
  state: EnrollmentState;
  readonly certificates = new Set<string>();
  readonly refusals = new Map<string, number>();
  private readonly counterLog: CounterDelta[] = [];
  readonly partnerEvents: Array<Extract<Action, { kind: 'partner' }>> = [];

  constructor(readonly program: ProgramDefinition) {
    this.state = this.decideAndApply(undefined, {
      type: 'enroll',
      at: AT,
      enrollmentId: ENROLLMENT_ID,
      student: { id: 's', name: 'Student', email: 's@test.com' },
      program: { ...program, version: 1, updatedAt: AT },
      by: 'admin@test.com',
    })!;
  }

  get steps() {
    return this.state.steps;
  }

  get status() {
    return this.state.enrollment.status;
  }

  act(action: Action) {
    if (action.kind === 'advance') {
      this.run({ type: 'advance', at: AT });
      // The workflow issues the certificate once the enrollment is completed.
      if (this.run({ type: 'issue_certificate', at: AT, certificateId: certificateIdFor(ENROLLMENT_ID) })) {
        this.certificates.add(this.state.enrollment.certificateId!);
      }
      return;
    }
    if (action.kind === 'cancel') return this.run({ type: 'cancel', at: AT, by: 'admin@test.com', reason: 'left the program' });
    if (action.kind === 'redeliver') {
      const earlier = this.partnerEvents[action.nth % Math.max(1, this.partnerEvents.length)];
      return earlier ? this.partnerEvent(earlier) : undefined;
    }
    if (action.kind === 'partner') {
      this.partnerEvents.push(action);
      return this.partnerEvent(action);
    }
    const target = this.steps[action.step % this.steps.length]!;
    const kind = action.kind === 'waive' ? 'waive' : action.kind === 'skip' ? 'skip' : 'complete';
    return this.run({
      type: 'override_step',
      at: AT,
      action: kind,
      sequence: target.sequence,
      partnerId: target.partnerId,
      by: 'admin@test.com',
      reason: 'test',
    });
  }

  private partnerEvent(event: Extract<Action, { kind: 'partner' }>) {
    const target = this.steps[event.step % this.steps.length]!;
    const courseId = event.unknownCourse ? 'no-such-course' : target.courseId;
    this.run({
      type: 'record_partner_completion',
      at: AT,
      partnerId: target.partnerId,
      courseId,
      result: event.result,
      webhookId: `w-${this.partnerEvents.length}`,
    });
  }

  /** Decides and applies; true when the command was accepted. */
  private run(command: EnrollmentCommand): boolean {
    const next = this.decideAndApply(this.state, command);
    if (next) this.state = next;
    return next !== undefined;
  }

  private decideAndApply(state: EnrollmentState | undefined, command: EnrollmentCommand): EnrollmentState | undefined {
    const decision = decide(state, command);
    if (!decision.ok) {
      this.refusals.set(decision.refusal.code, (this.refusals.get(decision.refusal.code) ?? 0) + 1);
      return undefined;
    }
    if (decision.events.length === 0) return state;
    const after = evolveAll(state, decision.events);
    this.counterLog.push(...counterChanges(state, after));
    return after;
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
    for (const step of this.steps) {
      totals[`partner:${step.partnerId}:${step.status}`] = (totals[`partner:${step.partnerId}:${step.status}`] ?? 0) + 1;
    }
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
    const refusals = new Map<string, number>();
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
            model.act(action);
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
            // Never cancelled once every required step was done: the student earned the certificate.
            if (previousStatus === 'active' && everyRequiredDone(previous)) expect(model.status).not.toBe('cancelled');
            expect(model.certificates.size).toBeLessThanOrEqual(1);
            expect(model.counters()).toEqual(model.truth());
            previous = model.steps;
            previousStatus = model.status;
          }
          // Once the workflow has caught up: unless cancelled, completed iff every required step is done; one certificate iff completed.
          if (model.status !== 'cancelled') expect(model.status === 'completed').toBe(everyRequiredDone(model.steps));
          expect(model.certificates.size).toBe(model.status === 'completed' ? 1 : 0);
          for (const [code, n] of model.refusals) refusals.set(code, (refusals.get(code) ?? 0) + n);
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
        'only optional steps skipped, never cancelled once every required step was done, unless cancelled completed iff every required step completed or waived, ' +
        'at most one certificate and exactly one once completed, counters equal to the truth recomputed from the steps), ' +
        "driving the product's own decider (functions/domain/enrollment-decider.ts).",
      `${stats.actions.toLocaleString('en-US')} events applied; ${stats.completedRuns} runs ended completed, ${stats.cancelledRuns} cancelled; ` +
        `${stats.skippedSteps} optional steps skipped; programs with parallel steps: ${stats.parallelPrograms}, ` +
        `with optional steps: ${stats.optionalPrograms}, with "passed" steps: ${stats.passedPrograms}; ` +
        `refusals: ${[...refusals]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([code, n]) => `${code} ${n}`)
          .join(', ')}.`,
    );
  });
});
