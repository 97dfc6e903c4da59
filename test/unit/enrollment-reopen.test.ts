// Reopening a step: an admin undoes a completion credited to the wrong student (a partner account
// linked to the wrong person). Given (what happened) / When (reopen_step) / Then (the events, or
// the refusal), with no mocks: the step is in progress again with who, why and what was undone;
// the workflow starts nothing new behind it; a later completion completes it again.
import { describe, expect, it } from 'vitest';
import { decide, evolveAll, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import type { EnrollmentState } from '../../functions/domain/enrollment.js';
import { decidedState } from '../support/decider.js';
import type { Program, ProgramStep } from '../../functions/domain/programs.js';

const T = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';
const LATEST = '2026-01-03T00:00:00.000Z';
const step = (sequence: number, partnerId: string, courseId: string, extra: Partial<ProgramStep> = {}): ProgramStep => ({
  sequence,
  partnerId,
  courseId,
  courseName: courseId,
  required: true,
  completion: 'completed',
  ...extra,
});
const program = (steps: ProgramStep[]): Program => ({
  id: 'p',
  name: 'Program',
  category: 'Specialized',
  steps,
  reminders: null,
  version: 1,
  updatedAt: T,
});

function given(steps: ProgramStep[], ...commands: EnrollmentCommand[]): EnrollmentState {
  const enroll: EnrollmentCommand = {
    type: 'enroll',
    at: T,
    enrollmentId: 'e-1',
    student: { id: 's', name: 'Kim', email: 'kim@test.com' },
    program: program(steps),
    by: 'admin@test.com',
  };
  return decidedState([enroll, ...commands]);
}
const completion = (partnerId: string, courseId: string, webhookId = `${partnerId}-${courseId}`, at = LATER): EnrollmentCommand => ({
  type: 'record_partner_completion',
  at,
  partnerId,
  courseId,
  result: 'completed',
  webhookId,
});
const reopen = (sequence: number, at = LATEST): EnrollmentCommand => ({
  type: 'reopen_step',
  at,
  sequence,
  by: 'admin@test.com',
  reason: 'account HSI-9 belonged to another student',
});
const advance: EnrollmentCommand = { type: 'advance', at: LATER };
const refusal = (state: EnrollmentState, command: EnrollmentCommand) => {
  const decision = decide(state, command);
  return decision.ok ? 'accepted' : decision.refusal.code;
};

const TWO_STEPS = [step(1, 'hsi', 'bls'), step(2, 'certiport', 'mos'), step(3, 'careersafe', 'osha')];

describe('reopening a completed step', () => {
  it('puts the step back in progress, records who, why and the completion it undid, and asks the workflow to run', () => {
    const state = given(TWO_STEPS, completion('hsi', 'bls', 'msg-wrong'), advance);
    const decision = decide(state, reopen(1));
    expect(decision.ok && decision.events).toEqual([
      {
        type: 'step_reopened',
        index: 0,
        reopening: {
          at: LATEST,
          by: 'admin@test.com',
          reason: 'account HSI-9 belonged to another student',
          undone: { source: 'partner', webhookId: 'msg-wrong', result: 'completed' },
          completedAt: LATER,
        },
      },
      { type: 'advance_requested', at: LATEST },
    ]);
    const after = evolveAll(state, decision.ok ? decision.events : []);
    expect(after.steps[0]).toMatchObject({
      status: 'in_progress',
      startedAt: LATEST,
      reopenings: [expect.objectContaining({ by: 'admin@test.com' })],
    });
    expect(after.steps[0]).not.toHaveProperty('completedAt');
    expect(after.steps[0]).not.toHaveProperty('resolution');
  });

  it('starts nothing new behind the reopened step, and a later completion completes it again', () => {
    // Step 2 started when step 1 was completed; it stays as it is, and step 3 waits for both.
    const reopened = given(TWO_STEPS, completion('hsi', 'bls'), advance, reopen(1));
    expect(reopened.steps.map((s) => s.status)).toEqual(['in_progress', 'in_progress', 'pending']);
    const advanced = decide(reopened, { type: 'advance', at: LATEST });
    expect(advanced.ok && advanced.events.filter((e) => e.type === 'step_started')).toEqual([]);

    const again = given(TWO_STEPS, completion('hsi', 'bls'), advance, reopen(1), completion('hsi', 'bls', 'msg-right', LATEST));
    expect(again.steps[0]).toMatchObject({ status: 'completed', resolution: { webhookId: 'msg-right' }, reopenings: [expect.any(Object)] });
  });

  it('refuses a step that is not completed, and an enrollment that is no longer active', () => {
    expect(refusal(given(TWO_STEPS), reopen(1))).toBe('STEP_NOT_DONE');
    expect(refusal(given(TWO_STEPS), reopen(7))).toBe('STEP_NOT_FOUND');
    const done = given([step(1, 'hsi', 'bls')], completion('hsi', 'bls'), advance);
    expect(done.enrollment.status).toBe('completed');
    expect(refusal(done, reopen(1))).toBe('ENROLLMENT_NOT_ACTIVE');
    const waived = given(TWO_STEPS, {
      type: 'override_step',
      at: LATER,
      action: 'waive',
      sequence: 1,
      by: 'a@test.com',
      reason: 'prior card',
    });
    expect(refusal(waived, reopen(1))).toBe('STEP_NOT_DONE');
  });
});
