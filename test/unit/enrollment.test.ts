// The enrollment aggregate's decisions with no mocks and no I/O. Each test reads Given (what
// happened) / When (a command) / Then (the events that happen, or the refusal): generation,
// parallel and optional steps, out-of-order completions, idempotence, the "passed" rule, admin
// overrides, cancellation, the workflow's advance, certificate and email bookkeeping.
import { describe, expect, it } from 'vitest';
import { decide, evolveAll, type EnrollmentCommand, type EnrollmentEvent } from '../../functions/domain/enrollment-decider.js';
import { findStepBySequence, progress, type EnrollmentState } from '../../functions/domain/enrollment.js';
import type { Program, ProgramStep } from '../../functions/domain/programs.js';

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
const LATER = '2026-01-02T00:00:00.000Z';
const ADMIN = 'admin@test.com';

const program = (steps: ProgramStep[]): Program => ({
  id: 'p',
  name: 'Program',
  category: 'Specialized',
  steps,
  reminders: null,
  version: 1,
  updatedAt: T,
});
const student = { id: 'student-1', name: 'Kim', email: 'kim@test.com' };

/** Applies commands in order the way the use cases do (decide, then evolve), failing on a refusal. */
function given(steps: ProgramStep[], ...commands: EnrollmentCommand[]): EnrollmentState {
  let state: EnrollmentState | undefined;
  for (const command of [
    { type: 'enroll', at: T, enrollmentId: 'e-1', student, program: program(steps), by: ADMIN } as const,
    ...commands,
  ]) {
    const decision = decide(state, command);
    if (!decision.ok) throw new Error(`given ${command.type} was refused: ${decision.refusal.code}`);
    state = evolveAll(state, decision.events);
  }
  return state!;
}

const partner = (
  partnerId: ProgramStep['partnerId'],
  courseId: string,
  result: 'completed' | 'passed' = 'completed',
  at = LATER,
): EnrollmentCommand => ({
  type: 'record_partner_completion',
  at,
  partnerId,
  courseId,
  result,
  webhookId: `${partnerId}-${courseId}`,
});
const advance = (at = LATER): EnrollmentCommand => ({ type: 'advance', at });
const override = (action: 'complete' | 'waive' | 'skip', sequence: number, partnerId?: string): EnrollmentCommand => ({
  type: 'override_step',
  at: LATER,
  action,
  sequence,
  ...(partnerId ? { partnerId } : {}),
  by: ADMIN,
  reason: 'prior certification',
});

/** The events a command leads to (it must be accepted). */
function events(state: EnrollmentState, command: EnrollmentCommand): EnrollmentEvent[] {
  const decision = decide(state, command);
  if (!decision.ok) throw new Error(`refused: ${decision.refusal.code}`);
  return decision.events;
}

function refusal(state: EnrollmentState | undefined, command: EnrollmentCommand) {
  const decision = decide(state, command);
  if (decision.ok) throw new Error(`accepted: ${JSON.stringify(decision.events)}`);
  return decision.refusal.code;
}

const statuses = (state: EnrollmentState) => state.steps.map((s) => s.status);

describe('enrolling', () => {
  it('creates one step per program step, starts only the first sequence and asks the workflow to run', () => {
    const decision = decide(undefined, {
      type: 'enroll',
      at: T,
      enrollmentId: 'e-1',
      student,
      program: program(MEDICAL_ASSISTANT),
      by: ADMIN,
    });
    expect(decision.ok && decision.events.map((e) => e.type)).toEqual(['enrolled', 'step_started', 'advance_requested']);
    const state = given(MEDICAL_ASSISTANT);
    expect(state.steps.map((s) => [s.index, s.partnerId, s.status])).toEqual([
      [0, 'hsi', 'in_progress'],
      [1, 'certiport', 'pending'],
      [2, 'careersafe', 'pending'],
    ]);
    expect(state.steps[0]!.startedAt).toBe(T);
    expect(state.enrollment).toMatchObject({
      status: 'active',
      studentId: 'student-1',
      programVersion: 1,
      createdBy: ADMIN,
      advanceRequestedAt: T,
    });
  });

  it('starts every step of a shared sequence together', () => {
    expect(statuses(given([step(1, 'jri', 'a'), step(1, 'certiport', 'b'), step(2, 'milady', 'c')]))).toEqual([
      'in_progress',
      'in_progress',
      'pending',
    ]);
  });

  it('does not let an optional step block the next sequence', () => {
    const state = given([step(1, 'jri', 'a', { required: false }), step(2, 'hsi', 'b'), step(3, 'milady', 'c')]);
    expect(statuses(state)).toEqual(['in_progress', 'in_progress', 'pending']);
  });

  it('refuses a second enroll of an enrollment that exists', () => {
    expect(
      refusal(given(MEDICAL_ASSISTANT), {
        type: 'enroll',
        at: T,
        enrollmentId: 'e-1',
        student,
        program: program(MEDICAL_ASSISTANT),
        by: ADMIN,
      }),
    ).toBe('ENROLLMENT_NOT_ACTIVE');
  });
});

describe('advancing', () => {
  it('moves HSI → Certiport → CareerSafe → complete', () => {
    let state = given(MEDICAL_ASSISTANT, partner('hsi', 'bls'), advance());
    expect(statuses(state)).toEqual(['completed', 'in_progress', 'pending']);
    state = given(MEDICAL_ASSISTANT, partner('hsi', 'bls'), advance(), partner('certiport', 'mos'), advance());
    expect(statuses(state)).toEqual(['completed', 'completed', 'in_progress']);
    const last = given(
      MEDICAL_ASSISTANT,
      partner('hsi', 'bls'),
      advance(),
      partner('certiport', 'mos'),
      advance(),
      partner('careersafe', 'osha'),
    );
    expect(events(last, advance())).toEqual([{ type: 'enrollment_completed', at: LATER }]);
  });

  it('waits for every step of a parallel sequence before starting the next', () => {
    const steps = [step(1, 'jri', 'a'), step(1, 'certiport', 'b'), step(2, 'milady', 'c')];
    expect(statuses(given(steps, partner('jri', 'a'), advance()))).toEqual(['completed', 'in_progress', 'pending']);
    expect(statuses(given(steps, partner('jri', 'a'), partner('certiport', 'b'), advance()))).toEqual([
      'completed',
      'completed',
      'in_progress',
    ]);
  });

  it('completes the enrollment without its optional steps, closing those still open as skipped in the same decision', () => {
    const state = given(
      [
        step(1, 'jri', 'optional-started', { required: false }),
        step(1, 'hsi', 'required'),
        step(2, 'milady', 'optional-done', { required: false }),
        step(3, 'certiport', 'optional-pending', { required: false }),
      ],
      partner('milady', 'optional-done'),
      partner('hsi', 'required'),
    );
    expect(events(state, advance())).toEqual([
      { type: 'step_skipped', index: 0, at: LATER },
      { type: 'step_skipped', index: 3, at: LATER },
      { type: 'enrollment_completed', at: LATER },
    ]);
    const after = evolveAll(state, events(state, advance()));
    expect(after.steps[0]).toMatchObject({ status: 'skipped', closedAt: LATER });
    expect(after.steps[0]).not.toHaveProperty('completedAt');
  });

  it('settles the advance request it read when nothing is due, and keeps it when the enrollment completes (until the email is sent)', () => {
    const state = given(MEDICAL_ASSISTANT);
    expect(events(state, advance())).toEqual([{ type: 'advance_settled', requestedAt: T }]);
    const completing = given([step(1, 'hsi', 'a')], partner('hsi', 'a', 'completed', LATER));
    const after = evolveAll(completing, events(completing, advance()));
    expect(after.enrollment).toMatchObject({ status: 'completed', advanceRequestedAt: LATER });
  });

  it('leaves a newer advance request alone when settling an older one', () => {
    const state = given(MEDICAL_ASSISTANT, partner('certiport', 'mos', 'completed', LATER));
    expect(events(state, { type: 'settle_advance', requestedAt: T })).toEqual([]);
    expect(events(state, { type: 'settle_advance', requestedAt: LATER })).toEqual([{ type: 'advance_settled', requestedAt: LATER }]);
  });

  it('counts waived steps as done', () => {
    expect(statuses(given(MEDICAL_ASSISTANT, override('waive', 1), advance()))).toEqual(['waived', 'in_progress', 'pending']);
  });

  it('decides nothing for an enrollment that is not active', () => {
    const cancelled = given(MEDICAL_ASSISTANT, { type: 'cancel', at: LATER, by: ADMIN, reason: 'left the program' });
    expect(events(cancelled, advance())).toEqual([]);
  });
});

describe('partner completions', () => {
  it('records a completion for a pending step (out of order) and passes over it later', () => {
    let state = given(MEDICAL_ASSISTANT, partner('careersafe', 'osha'));
    expect(statuses(state)).toEqual(['in_progress', 'pending', 'completed']);
    state = given(MEDICAL_ASSISTANT, partner('careersafe', 'osha'), partner('hsi', 'bls'), advance());
    expect(statuses(state)).toEqual(['completed', 'in_progress', 'completed']);
    state = given(MEDICAL_ASSISTANT, partner('careersafe', 'osha'), partner('hsi', 'bls'), advance(), partner('certiport', 'mos'));
    expect(events(state, advance()).map((e) => e.type)).toEqual(['enrollment_completed']);
  });

  it('completes the step at the partner’s own time when it is earlier, and asks the workflow to run', () => {
    const state = given(MEDICAL_ASSISTANT);
    const command = { ...partner('hsi', 'bls'), occurredAt: T, score: 92 } as EnrollmentCommand;
    expect(events(state, command)).toEqual([
      {
        type: 'step_completed',
        index: 0,
        at: T,
        resolution: { source: 'partner', webhookId: 'hsi-bls', result: 'completed', occurredAt: T, score: 92 },
      },
      { type: 'advance_requested', at: LATER },
    ]);
  });

  it('is idempotent: the same completion twice is refused the second time as already done', () => {
    expect(refusal(given(MEDICAL_ASSISTANT, partner('hsi', 'bls')), partner('hsi', 'bls'))).toBe('STEP_ALREADY_DONE');
  });

  it('never moves a waived or completed step', () => {
    expect(refusal(given(MEDICAL_ASSISTANT, override('waive', 2)), partner('certiport', 'mos'))).toBe('STEP_ALREADY_DONE');
  });

  it('never moves a skipped or cancelled step, whatever the event reports', () => {
    const steps = [step(1, 'hsi', 'a'), step(1, 'certiport', 'exam', { required: false, completion: 'passed' })];
    const completed = given(steps, partner('hsi', 'a'), advance());
    const cancelled = given(steps, { type: 'cancel', at: LATER, by: ADMIN, reason: 'left the program' });
    for (const result of ['completed', 'passed'] as const)
      expect(refusal(completed, partner('certiport', 'exam', result))).toBe('STEP_CLOSED');
    expect(refusal(cancelled, partner('hsi', 'a'))).toBe('STEP_CLOSED');
  });

  it('needs a pass for a step whose rule is "passed", and accepts one where "completed" is enough', () => {
    const exam = given([step(1, 'certiport', 'exam', { completion: 'passed' })]);
    expect(refusal(exam, partner('certiport', 'exam', 'completed'))).toBe('REQUIRES_PASSED');
    expect(events(exam, partner('certiport', 'exam', 'passed')).map((e) => e.type)).toEqual(['step_completed', 'advance_requested']);
    expect(events(given(MEDICAL_ASSISTANT), partner('hsi', 'bls', 'passed')).map((e) => e.type)).toEqual([
      'step_completed',
      'advance_requested',
    ]);
  });

  it('finds no step for another course or partner', () => {
    const state = given(MEDICAL_ASSISTANT);
    expect(refusal(state, partner('hsi', 'other'))).toBe('NO_STEP');
    expect(refusal(state, partner('jri', 'bls'))).toBe('NO_STEP');
  });
});

describe('admin overrides', () => {
  it('completes or waives a step with who and why, and asks the workflow to run', () => {
    const state = given(MEDICAL_ASSISTANT);
    const [moved] = events(state, override('waive', 2));
    expect(moved).toEqual({
      type: 'step_waived',
      index: 1,
      at: LATER,
      resolution: { source: 'admin', by: ADMIN, reason: 'prior certification' },
    });
    expect(evolveAll(state, events(state, override('complete', 1))).steps[0]).toMatchObject({ status: 'completed', completedAt: LATER });
  });

  it('skips an optional step, and refuses to skip a required one', () => {
    const steps = [step(1, 'hsi', 'a'), step(1, 'jri', 'extra', { required: false })];
    const after = given(steps, override('skip', 1, 'jri'));
    expect(after.steps[1]).toMatchObject({ status: 'skipped', closedAt: LATER, resolution: { source: 'admin', by: ADMIN } });
    expect(refusal(given(steps), override('skip', 1, 'hsi'))).toBe('STEP_REQUIRED');
  });

  it('refuses a done or closed step, a missing or ambiguous sequence, and an enrollment that is not active', () => {
    const parallel = [step(1, 'jri', 'a'), step(1, 'certiport', 'b')];
    expect(refusal(given(MEDICAL_ASSISTANT, override('waive', 1)), override('complete', 1))).toBe('STEP_ALREADY_DONE');
    expect(refusal(given(MEDICAL_ASSISTANT), override('complete', 9))).toBe('STEP_NOT_FOUND');
    expect(refusal(given(parallel), override('complete', 1))).toBe('STEP_AMBIGUOUS');
    expect(refusal(given(parallel, override('waive', 1, 'jri')), override('complete', 1, 'jri'))).toBe('STEP_ALREADY_DONE');
    const skipped = given([step(1, 'hsi', 'a'), step(1, 'jri', 'extra', { required: false })], override('skip', 1, 'jri'));
    expect(refusal(skipped, override('complete', 1, 'jri'))).toBe('STEP_CLOSED');
    const cancelled = given(MEDICAL_ASSISTANT, { type: 'cancel', at: LATER, by: ADMIN, reason: 'left' });
    expect(refusal(cancelled, override('complete', 2))).toBe('ENROLLMENT_NOT_ACTIVE');
  });
});

describe('cancelling', () => {
  it('closes every open step as cancelled, leaves done steps, records who and why, and leaves nothing for the workflow', () => {
    const state = given(MEDICAL_ASSISTANT, partner('hsi', 'bls'), override('waive', 3));
    const after = evolveAll(state, events(state, { type: 'cancel', at: LATER, by: ADMIN, reason: 'left the program' }));
    expect(statuses(after)).toEqual(['completed', 'cancelled', 'waived']);
    expect(after.steps[1]).toMatchObject({ closedAt: LATER });
    expect(after.enrollment).toMatchObject({ status: 'cancelled', cancellation: { at: LATER, by: ADMIN, reason: 'left the program' } });
    expect(after.enrollment).not.toHaveProperty('advanceRequestedAt');
  });

  it('refuses an enrollment that is not active, and one whose required steps are all done (it is completing)', () => {
    expect(
      refusal(given(MEDICAL_ASSISTANT, { type: 'cancel', at: LATER, by: ADMIN, reason: 'x' }), {
        type: 'cancel',
        at: LATER,
        by: ADMIN,
        reason: 'again',
      }),
    ).toBe('ENROLLMENT_NOT_ACTIVE');
    const done = given([step(1, 'hsi', 'a'), step(2, 'jri', 'optional', { required: false })], partner('hsi', 'a'));
    expect(refusal(done, { type: 'cancel', at: LATER, by: ADMIN, reason: 'left' })).toBe('ENROLLMENT_COMPLETING');
  });
});

describe('the workflow’s bookkeeping', () => {
  const completed = () => given([step(1, 'hsi', 'a')], partner('hsi', 'a'), advance());
  const failed = (state: EnrollmentState): EnrollmentState => ({
    ...state,
    enrollment: { ...state.enrollment, workflowFailure: { error: 'Boom', cause: '', at: LATER } },
  });

  it('issues one certificate, only once the enrollment is completed', () => {
    expect(refusal(given(MEDICAL_ASSISTANT), { type: 'issue_certificate', at: LATER, certificateId: 'C' })).toBe('NOT_COMPLETED');
    const issued = given([step(1, 'hsi', 'a')], partner('hsi', 'a'), advance(), {
      type: 'issue_certificate',
      at: LATER,
      certificateId: 'C',
    });
    expect(issued.enrollment).toMatchObject({ certificateId: 'C', certificateIssuedAt: LATER });
    expect(events(issued, { type: 'issue_certificate', at: LATER, certificateId: 'C' })).toEqual([]);
  });

  it('claims the completion email once, releases only its own claim, and records the send on it', () => {
    const ready = given([step(1, 'hsi', 'a')], partner('hsi', 'a'), advance(), {
      type: 'issue_certificate',
      at: LATER,
      certificateId: 'C',
    });
    expect(refusal(completed(), { type: 'claim_email', at: LATER })).toBe('NOT_COMPLETED');
    const claimed = evolveAll(ready, events(ready, { type: 'claim_email', at: LATER }));
    expect(refusal(claimed, { type: 'claim_email', at: LATER })).toBe('EMAIL_ALREADY_CLAIMED');
    expect(events(claimed, { type: 'release_email', claimedAt: T })).toEqual([]);
    expect(refusal(claimed, { type: 'record_email_sent', at: LATER, claimedAt: T, messageId: 'm' })).toBe('EMAIL_CLAIM_GONE');
    const sent = evolveAll(claimed, events(claimed, { type: 'record_email_sent', at: LATER, claimedAt: LATER, messageId: 'm' }));
    expect(sent.enrollment).toMatchObject({ emailSentAt: LATER, emailMessageId: 'm' });
    expect(events(sent, { type: 'claim_email', at: LATER })).toEqual([]);
  });

  it('lets an admin mark sent an email whose outcome is unknown (claimed, never recorded), which ends the failure', () => {
    const ready = given([step(1, 'hsi', 'a')], partner('hsi', 'a'), advance(), {
      type: 'issue_certificate',
      at: LATER,
      certificateId: 'C',
    });
    const mark: EnrollmentCommand = { type: 'mark_email_sent', at: LATER, by: ADMIN, reason: 'in the mail log' };
    expect(refusal(ready, mark)).toBe('EMAIL_NOT_PENDING');
    const unknown = failed(evolveAll(ready, events(ready, { type: 'claim_email', at: T })));
    const after = evolveAll(unknown, events(unknown, mark));
    expect(after.enrollment).toMatchObject({ emailSentAt: LATER, emailMarkedSent: { by: ADMIN, reason: 'in the mail log' } });
    expect(after.enrollment).not.toHaveProperty('workflowFailure');
  });

  it('retries only a failed workflow of an enrollment that is not cancelled, forgetting the email claim only when asked', () => {
    const retry = (resendEmail: boolean): EnrollmentCommand => ({ type: 'retry', at: LATER, by: ADMIN, resendEmail });
    expect(refusal(completed(), retry(false))).toBe('NOTHING_TO_RETRY');
    const cancelled = failed(given(MEDICAL_ASSISTANT, { type: 'cancel', at: LATER, by: ADMIN, reason: 'x' }));
    expect(refusal(cancelled, retry(false))).toBe('NOTHING_TO_RETRY');
    const ready = given(
      [step(1, 'hsi', 'a')],
      partner('hsi', 'a'),
      advance(),
      { type: 'issue_certificate', at: LATER, certificateId: 'C' },
      { type: 'claim_email', at: T },
    );
    const keep = evolveAll(failed(ready), events(failed(ready), retry(false)));
    expect(keep.enrollment).toMatchObject({ emailClaimedAt: T, advanceRequestedAt: LATER });
    expect(keep.enrollment).not.toHaveProperty('workflowFailure');
    expect(evolveAll(failed(ready), events(failed(ready), retry(true))).enrollment).not.toHaveProperty('emailClaimedAt');
  });
});

describe('progress and lookups', () => {
  it('counts required steps only, so 100% means complete', () => {
    const steps = [step(1, 'hsi', 'a'), step(2, 'certiport', 'b'), step(3, 'jri', 'c', { required: false })];
    expect(progress(given(steps).steps)).toEqual({ completed: 0, total: 2, percent: 0 });
    expect(progress(given(steps, partner('hsi', 'a')).steps)).toEqual({ completed: 1, total: 2, percent: 50 });
    expect(progress(given(steps, partner('hsi', 'a'), partner('jri', 'c')).steps)).toEqual({ completed: 1, total: 2, percent: 50 });
  });

  it('finds a step by sequence, and asks for the partner when the sequence is shared', () => {
    const { steps } = given([step(1, 'jri', 'a'), step(1, 'certiport', 'b'), step(2, 'milady', 'c')]);
    expect(findStepBySequence(steps, 2)).toEqual({ step: steps[2] });
    expect(findStepBySequence(steps, 1)).toMatchObject({ error: 'ambiguous' });
    expect(findStepBySequence(steps, 1, 'certiport')).toEqual({ step: steps[1] });
    expect(findStepBySequence(steps, 4)).toMatchObject({ error: 'not_found' });
  });
});
