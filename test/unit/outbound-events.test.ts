// Which outbound events a saved change sends (Given the enrollment's history / When a command /
// Then the outbound events of the decider's events), and the delivery rules receivers rely on:
// Svix's retry schedule, what counts as delivered, and when an endpoint is disabled.
import { describe, expect, it } from 'vitest';
import { decide, evolveAll, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import type { EnrollmentState } from '../../functions/domain/enrollment.js';
import { MAX_ATTEMPTS, outboundEvents, outcomeOf, retryDelay } from '../../functions/domain/outbound-events.js';
import type { Program, ProgramStep } from '../../functions/domain/programs.js';

const T = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';
const ADMIN = 'admin@test.com';
const step = (sequence: number, partnerId: ProgramStep['partnerId'], courseId: string): ProgramStep => ({
  sequence,
  partnerId,
  courseId,
  courseName: courseId,
  required: true,
  completion: 'completed',
});
const program: Program = {
  id: 'p',
  name: 'Program',
  category: 'Specialized',
  reminders: null,
  steps: [step(1, 'hsi', 'bls'), step(2, 'certiport', 'mos')],
  version: 1,
  updatedAt: T,
};
const enroll: EnrollmentCommand = {
  type: 'enroll',
  at: T,
  enrollmentId: 'e-1',
  student: { id: 'student-1', name: 'Kim', email: 'kim@test.com' },
  program,
  by: ADMIN,
};

/** The state after `commands`, and the outbound events of the last one. */
function when(...commands: EnrollmentCommand[]) {
  let state: EnrollmentState | undefined;
  let sent: ReturnType<typeof outboundEvents> = [];
  for (const command of commands) {
    const decision = decide(state, command);
    if (!decision.ok) throw new Error(`${command.type} was refused: ${decision.refusal.code}`);
    state = evolveAll(state, decision.events);
    sent = outboundEvents(decision.events, state);
  }
  return sent;
}

const complete = (partnerId: ProgramStep['partnerId'], courseId: string, at = LATER): EnrollmentCommand => ({
  type: 'record_partner_completion',
  at,
  partnerId,
  courseId,
  result: 'passed',
  score: 91,
  webhookId: `${partnerId}-${courseId}`,
});

describe('outbound events of a saved change', () => {
  it('enrolling sends enrollment.created and step.started for the first step, with the student and program', () => {
    const sent = when(enroll);
    expect(sent.map((e) => e.type)).toEqual(['enrollment.created', 'step.started']);
    expect(sent[0]!.data).toMatchObject({ enrollmentId: 'e-1', studentId: 'student-1', studentEmail: 'kim@test.com', programId: 'p' });
    expect(sent[1]!.data.step).toMatchObject({ sequence: 1, partnerId: 'hsi', courseId: 'bls', status: 'in_progress' });
  });

  it("a partner's completion sends step.completed with its result and score", () => {
    const sent = when(enroll, complete('hsi', 'bls'));
    expect(sent.map((e) => e.type)).toEqual(['step.completed']);
    expect(sent[0]).toMatchObject({ at: LATER, data: { step: { courseId: 'bls', status: 'completed', result: 'passed', score: 91 } } });
  });

  it("an admin's waiver sends step.waived with who and why", () => {
    const sent = when(enroll, { type: 'override_step', at: LATER, action: 'waive', sequence: 1, by: ADMIN, reason: 'prior certification' });
    expect(sent.map((e) => e.type)).toEqual(['step.waived']);
    expect(sent[0]!.data.step).toMatchObject({ status: 'waived', by: ADMIN, reason: 'prior certification' });
  });

  it('a cancellation sends enrollment.cancelled with who, when and why (and nothing for the steps it stops)', () => {
    const sent = when(enroll, { type: 'cancel', at: LATER, by: ADMIN, reason: 'moved away' });
    expect(sent).toEqual([
      expect.objectContaining({
        type: 'enrollment.cancelled',
        at: LATER,
        data: expect.objectContaining({ cancelledAt: LATER, by: ADMIN, reason: 'moved away' }),
      }),
    ]);
  });

  it('the last step and the advance send enrollment.completed, and the certificate certificate.issued', () => {
    const done = [
      enroll,
      complete('hsi', 'bls'),
      { type: 'advance', at: LATER },
      complete('certiport', 'mos'),
      { type: 'advance', at: LATER },
    ] as const;
    expect(when(...done).map((e) => e.type)).toEqual(['enrollment.completed']);
    const issued = when(...done, { type: 'issue_certificate', at: LATER, certificateId: 'c-1' });
    expect(issued).toEqual([
      expect.objectContaining({ type: 'certificate.issued', data: expect.objectContaining({ certificateId: 'c-1' }) }),
    ]);
  });

  it('bookkeeping (the workflow settling its advance) sends nothing', () => {
    expect(when(enroll, { type: 'settle_advance', requestedAt: T })).toEqual([]);
  });
});

describe('delivery rules', () => {
  it("retries on Svix's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up after 8 attempts", () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelay(i + 1));
    expect(waits).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, undefined]);
  });

  it('a 2xx is delivered, 410 disables, anything else (a 3xx, no answer) is a failure', () => {
    expect([200, 204, 299, 410, 301, 302, 304, 400, 500, undefined].map(outcomeOf)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'gone',
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });
});
