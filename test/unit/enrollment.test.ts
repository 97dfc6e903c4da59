// The enrollment rules with no mocks and no I/O: generation, parallel and optional steps,
// out-of-order completions, idempotence and the "passed" completion rule.
import { describe, expect, it } from 'vitest';
import {
  allRequiredDone,
  currentSteps,
  findStepBySequence,
  generateSteps,
  matchCompletion,
  planAdvance,
  progress,
  stepsToCancel,
  withStepStatus,
  type EnrollmentStep,
} from '../../functions/domain/enrollment.js';
import type { ProgramStep } from '../../functions/domain/programs.js';

const step = (sequence: number, partnerId: ProgramStep['partnerId'], courseId: string, extra: Partial<ProgramStep> = {}): ProgramStep => ({
  sequence,
  partnerId,
  courseId,
  courseName: courseId,
  required: true,
  completion: 'completed',
  ...extra,
});

const MEDICAL_ASSISTANT = [step(1, 'hsi', 'bls'), step(2, 'certiport', 'mos'), step(3, 'careersafe', 'osha')];
const T = '2026-01-01T00:00:00.000Z';

/** What generate_enrollment_steps does: the steps, with the first sequence started. */
function enroll(steps: ProgramStep[]): EnrollmentStep[] {
  let generated = generateSteps({ steps });
  for (const s of planAdvance('active', generated).start) generated = withStepStatus(generated, s.index, 'in_progress', T);
  return generated;
}

function complete(
  steps: EnrollmentStep[],
  partnerId: ProgramStep['partnerId'],
  courseId: string,
  result: 'completed' | 'passed' = 'completed',
) {
  const match = matchCompletion('active', steps, { partnerId, courseId, result });
  if (match.outcome !== 'apply') return { steps, outcome: match.outcome };
  let next = withStepStatus(steps, match.step.index, 'completed', T);
  for (const s of planAdvance('active', next).start) next = withStepStatus(next, s.index, 'in_progress', T);
  return { steps: next, outcome: match.outcome };
}

const statuses = (steps: EnrollmentStep[]) => steps.map((s) => s.status);

describe('generating steps', () => {
  it('creates one step per program step and starts only the first sequence', () => {
    const steps = enroll(MEDICAL_ASSISTANT);
    expect(steps.map((s) => [s.index, s.partnerId])).toEqual([
      [0, 'hsi'],
      [1, 'certiport'],
      [2, 'careersafe'],
    ]);
    expect(statuses(steps)).toEqual(['in_progress', 'pending', 'pending']);
    expect(steps[0]!.startedAt).toBe(T);
    expect(currentSteps(steps).map((s) => s.sequence)).toEqual([1]);
  });

  it('starts every step of a shared sequence together', () => {
    const steps = enroll([step(1, 'jri', 'a'), step(1, 'certiport', 'b'), step(2, 'milady', 'c')]);
    expect(statuses(steps)).toEqual(['in_progress', 'in_progress', 'pending']);
  });

  it('does not let an optional step block the next sequence', () => {
    const steps = enroll([step(1, 'jri', 'a', { required: false }), step(2, 'hsi', 'b'), step(3, 'milady', 'c')]);
    expect(statuses(steps)).toEqual(['in_progress', 'in_progress', 'pending']);
  });
});

describe('advancing', () => {
  it('moves HSI → Certiport → CareerSafe → complete', () => {
    let steps = enroll(MEDICAL_ASSISTANT);
    steps = complete(steps, 'hsi', 'bls').steps;
    expect(statuses(steps)).toEqual(['completed', 'in_progress', 'pending']);
    steps = complete(steps, 'certiport', 'mos').steps;
    expect(statuses(steps)).toEqual(['completed', 'completed', 'in_progress']);
    expect(planAdvance('active', steps).complete).toBe(false);
    steps = complete(steps, 'careersafe', 'osha').steps;
    expect(planAdvance('active', steps)).toEqual({ start: [], complete: true, skip: [] });
  });

  it('waits for every step of a parallel sequence before starting the next', () => {
    let steps = enroll([step(1, 'jri', 'a'), step(1, 'certiport', 'b'), step(2, 'milady', 'c')]);
    steps = complete(steps, 'jri', 'a').steps;
    expect(statuses(steps)).toEqual(['completed', 'in_progress', 'pending']);
    steps = complete(steps, 'certiport', 'b').steps;
    expect(statuses(steps)).toEqual(['completed', 'completed', 'in_progress']);
  });

  it('completes the enrollment without its optional steps', () => {
    let steps = enroll([step(1, 'hsi', 'a'), step(2, 'jri', 'b', { required: false })]);
    steps = complete(steps, 'hsi', 'a').steps;
    expect(allRequiredDone(steps)).toBe(true);
    expect(planAdvance('active', steps).complete).toBe(true);
  });

  it('skips, when the enrollment completes, every optional step still pending or in progress, and no other', () => {
    let steps = enroll([
      step(1, 'jri', 'optional-started', { required: false }),
      step(1, 'hsi', 'required'),
      step(2, 'milady', 'optional-done', { required: false }),
      step(3, 'certiport', 'optional-pending', { required: false }),
    ]);
    steps = complete(steps, 'milady', 'optional-done').steps;
    expect(statuses(steps)).toEqual(['in_progress', 'in_progress', 'completed', 'pending']);
    steps = complete(steps, 'hsi', 'required').steps;

    const plan = planAdvance('active', steps);

    expect(plan.complete).toBe(true);
    expect(plan.skip.map((s) => s.courseId)).toEqual(['optional-started', 'optional-pending']);
  });

  it('closes skipped and cancelled steps with a closing time, not a completion time', () => {
    const steps = enroll([step(1, 'hsi', 'a'), step(2, 'jri', 'b', { required: false })]);
    const skipped = withStepStatus(steps, 1, 'skipped', '2026-02-01T00:00:00.000Z');
    const cancelled = withStepStatus(steps, 0, 'cancelled', '2026-02-02T00:00:00.000Z');
    expect(skipped[1]).toMatchObject({ status: 'skipped', closedAt: '2026-02-01T00:00:00.000Z' });
    expect(skipped[1]).not.toHaveProperty('completedAt');
    expect(cancelled[0]).toMatchObject({ status: 'cancelled', closedAt: '2026-02-02T00:00:00.000Z', startedAt: T });
    expect(cancelled[0]).not.toHaveProperty('completedAt');
  });

  it('counts waived steps as done', () => {
    const steps = withStepStatus(enroll(MEDICAL_ASSISTANT), 0, 'waived', T, { source: 'admin', by: 'a@b.c', reason: 'prior' });
    expect(planAdvance('active', steps).start.map((s) => s.partnerId)).toEqual(['certiport']);
  });

  it('plans nothing for an enrollment that is not active', () => {
    expect(planAdvance('cancelled', enroll(MEDICAL_ASSISTANT))).toEqual({ start: [], complete: false, skip: [] });
  });
});

describe('cancelling', () => {
  it('closes every open step (pending or in progress) and leaves done steps as they are', () => {
    let steps = enroll(MEDICAL_ASSISTANT);
    steps = complete(steps, 'hsi', 'bls').steps;
    steps = withStepStatus(steps, 2, 'waived', T, { source: 'admin', by: 'a@b.c', reason: 'prior' });
    expect(stepsToCancel(steps).map((s) => [s.courseId, s.status])).toEqual([['mos', 'in_progress']]);
    expect(stepsToCancel(enroll(MEDICAL_ASSISTANT)).map((s) => s.status)).toEqual(['in_progress', 'pending', 'pending']);
  });
});

describe('completions', () => {
  it('records a completion for a pending step (out of order) and skips it later', () => {
    let steps = enroll(MEDICAL_ASSISTANT);
    const outOfOrder = complete(steps, 'careersafe', 'osha');
    expect(outOfOrder.outcome).toBe('apply');
    steps = outOfOrder.steps;
    expect(statuses(steps)).toEqual(['in_progress', 'pending', 'completed']);
    steps = complete(steps, 'hsi', 'bls').steps;
    expect(statuses(steps)).toEqual(['completed', 'in_progress', 'completed']);
    steps = complete(steps, 'certiport', 'mos').steps;
    expect(planAdvance('active', steps).complete).toBe(true);
  });

  it('is idempotent: the same completion twice changes nothing the second time', () => {
    const once = complete(enroll(MEDICAL_ASSISTANT), 'hsi', 'bls');
    const twice = complete(once.steps, 'hsi', 'bls');
    expect(twice.outcome).toBe('already_done');
    expect(twice.steps).toEqual(once.steps);
  });

  it('never moves a waived or completed step', () => {
    const waived = withStepStatus(enroll(MEDICAL_ASSISTANT), 1, 'waived', T, { source: 'admin', by: 'a@b.c', reason: 'x' });
    expect(matchCompletion('active', waived, { partnerId: 'certiport', courseId: 'mos', result: 'completed' }).outcome).toBe(
      'already_done',
    );
  });

  it('never moves a skipped or cancelled step, whatever the event reports', () => {
    const steps = enroll([step(1, 'hsi', 'a'), step(1, 'certiport', 'exam', { required: false, completion: 'passed' })]);
    const skipped = withStepStatus(steps, 1, 'skipped', T);
    const cancelled = withStepStatus(steps, 0, 'cancelled', T);
    for (const result of ['completed', 'passed'] as const) {
      expect(matchCompletion('completed', skipped, { partnerId: 'certiport', courseId: 'exam', result })).toEqual({
        outcome: 'closed',
        step: skipped[1],
      });
    }
    expect(matchCompletion('cancelled', cancelled, { partnerId: 'hsi', courseId: 'a', result: 'completed' })).toEqual({
      outcome: 'closed',
      step: cancelled[0],
    });
    // The index copy of a step (read as if active) says the same.
    expect(matchCompletion('active', cancelled, { partnerId: 'hsi', courseId: 'a', result: 'completed' }).outcome).toBe('closed');
  });

  it('needs a pass for a step whose rule is "passed"', () => {
    const steps = enroll([step(1, 'certiport', 'exam', { completion: 'passed' })]);
    expect(complete(steps, 'certiport', 'exam', 'completed').outcome).toBe('insufficient');
    expect(complete(steps, 'certiport', 'exam', 'passed').outcome).toBe('apply');
  });

  it('accepts a pass for a step whose rule is "completed"', () => {
    expect(complete(enroll(MEDICAL_ASSISTANT), 'hsi', 'bls', 'passed').outcome).toBe('apply');
  });

  it('finds no step for another course or partner, or for an enrollment that is not active', () => {
    const steps = enroll(MEDICAL_ASSISTANT);
    expect(matchCompletion('active', steps, { partnerId: 'hsi', courseId: 'other', result: 'completed' }).outcome).toBe('no_step');
    expect(matchCompletion('active', steps, { partnerId: 'jri', courseId: 'bls', result: 'completed' }).outcome).toBe('no_step');
    expect(matchCompletion('cancelled', steps, { partnerId: 'hsi', courseId: 'bls', result: 'completed' }).outcome).toBe('no_step');
  });
});

describe('progress and lookups', () => {
  it('counts required steps only, so 100% means complete', () => {
    let steps = enroll([step(1, 'hsi', 'a'), step(2, 'certiport', 'b'), step(3, 'jri', 'c', { required: false })]);
    expect(progress(steps)).toEqual({ completed: 0, total: 2, percent: 0 });
    steps = complete(steps, 'hsi', 'a').steps;
    expect(progress(steps)).toEqual({ completed: 1, total: 2, percent: 50 });
    steps = complete(steps, 'jri', 'c').steps;
    expect(progress(steps)).toEqual({ completed: 1, total: 2, percent: 50 });
  });

  it('finds a step by sequence, and asks for the partner when the sequence is shared', () => {
    const steps = enroll([step(1, 'jri', 'a'), step(1, 'certiport', 'b'), step(2, 'milady', 'c')]);
    expect(findStepBySequence(steps, 2)).toEqual({ step: steps[2] });
    expect(findStepBySequence(steps, 1)).toMatchObject({ error: 'ambiguous' });
    expect(findStepBySequence(steps, 1, 'certiport')).toEqual({ step: steps[1] });
    expect(findStepBySequence(steps, 4)).toMatchObject({ error: 'not_found' });
  });
});
