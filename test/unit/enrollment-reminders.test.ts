// The enrollment aggregate's reminder, welcome-email and due-date decisions, with no mocks and no
// I/O, Given (what happened) / When (a command) / Then (the events, or the refusal).
import { describe, expect, it } from 'vitest';
import { counterChanges } from '../../functions/domain/counters.js';
import { decide, evolveAll, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import { nextScheduledReminderAt, stepWakeAt, welcomeWakeAt, type EnrollmentState } from '../../functions/domain/enrollment.js';
import type { Program, ProgramStep } from '../../functions/domain/programs.js';
import { DEFAULT_REMINDERS } from '../../functions/domain/reminder-rules.js';

const T0 = '2026-03-01T09:00:00.000Z';
const day = (n: number, extraMs = 0) => new Date(Date.parse(T0) + n * 86_400_000 + extraMs).toISOString();
const step = (sequence: number, partnerId: ProgramStep['partnerId'], courseId: string, extra: Partial<ProgramStep> = {}): ProgramStep => ({
  sequence,
  partnerId,
  courseId,
  courseName: courseId,
  required: true,
  completion: 'completed',
  ...extra,
});
const program = (steps: ProgramStep[], reminders: Program['reminders'] = DEFAULT_REMINDERS): Program => ({
  id: 'p',
  name: 'Program',
  category: 'Specialized',
  steps,
  reminders,
  version: 1,
  updatedAt: T0,
});
const TWO_PARTNERS = [step(1, 'hsi', 'bls', { dueDays: 5 }), step(2, 'certiport', 'mos')];

function given(steps: ProgramStep[], reminders: Program['reminders'], ...commands: EnrollmentCommand[]): EnrollmentState {
  let state: EnrollmentState | undefined;
  const student = { id: 's-1', name: 'Kim', email: 'kim@test.com' };
  for (const command of [
    { type: 'enroll', at: T0, enrollmentId: 'e-1', student, program: program(steps, reminders), by: 'coordinator@test.com' } as const,
    ...commands,
  ]) {
    const decision = decide(state, command);
    if (!decision.ok) throw new Error(`given ${command.type} was refused: ${decision.refusal.code}`);
    state = evolveAll(state, decision.events);
  }
  return state!;
}
const then = (state: EnrollmentState, command: EnrollmentCommand) => decide(state, command);
/** The events of an accepted decision. */
function eventsOf(decision: ReturnType<typeof decide>) {
  if (!decision.ok) throw new Error(`refused: ${decision.refusal.code}`);
  return decision.events;
}
/** The state after an accepted command. */
function apply(state: EnrollmentState, command: EnrollmentCommand): EnrollmentState {
  const decision = decide(state, command);
  if (!decision.ok) throw new Error(`${command.type} was refused: ${decision.refusal.code}`);
  return evolveAll(state, decision.events);
}
const claim = (
  at: string,
  kind: 'scheduled' | 'nudge' = 'scheduled',
  extra: Partial<Extract<EnrollmentCommand, { type: 'claim_reminders' }>> = {},
) => ({ type: 'claim_reminders', at, kind, ...(kind === 'nudge' ? { by: 'admin@test.com' } : {}), ...extra }) as const;
const sent = (claimedAt: string, at = claimedAt) =>
  ({ type: 'record_reminders', claimedAt, result: { at, outcome: 'sent', messageId: 'm-1' } }) as const;

describe('enrolling', () => {
  it('snapshots the reminder rules, makes the welcome email due, and gives a started step its due date', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS);
    expect(state.enrollment.reminders).toEqual(DEFAULT_REMINDERS);
    expect(state.enrollment.welcome).toEqual({ dueAt: T0 });
    expect(state.steps.map((s) => [s.status, s.dueAt])).toEqual([
      ['in_progress', day(5)],
      ['pending', undefined],
    ]);
    expect(welcomeWakeAt(state.enrollment)).toBe(new Date(Date.parse(T0) + 2 * 60_000).toISOString());
  });
});

describe('scheduled reminders', () => {
  it('are due 3 and 10 days after the step started, then weekly, and stop after max', () => {
    let state = given(TWO_PARTNERS, DEFAULT_REMINDERS);
    const due: Array<string | undefined> = [];
    for (let next = nextScheduledReminderAt(state.enrollment.reminders, state.steps[0]!); next;) {
      due.push(next);
      state = apply(apply(state, claim(next)), sent(next));
      next = nextScheduledReminderAt(state.enrollment.reminders, state.steps[0]!);
    }
    expect(due).toEqual([day(3), day(10), day(17), day(24), day(31)]);
  });

  it('claims every step whose reminder is due, at most once: a second claim finds nothing due', () => {
    const state = given([step(1, 'hsi', 'bls'), step(1, 'jri', 'ready')], DEFAULT_REMINDERS);
    expect(then(state, claim(day(2)))).toEqual({ ok: false, refusal: { code: 'NOTHING_DUE', message: 'no scheduled reminder is due' } });
    const first = then(state, claim(day(3)));
    expect(first).toEqual({
      ok: true,
      events: [
        { type: 'reminder_claimed', index: 0, at: day(3), kind: 'scheduled' },
        { type: 'reminder_claimed', index: 1, at: day(3), kind: 'scheduled' },
      ],
    });
    const claimed = evolveAll(state, eventsOf(first));
    expect(then(claimed, claim(day(3)))).toMatchObject({ ok: false, refusal: { code: 'NOTHING_DUE' } });
  });

  it('records the sent reminder on each step it named, under its claim only', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS, claim(day(3)));
    expect(then(state, sent(day(4)))).toMatchObject({ ok: false, refusal: { code: 'EMAIL_CLAIM_GONE' } });
    const recorded = apply(state, sent(day(3), day(3, 500)));
    expect(recorded.steps[0]!.reminders).toEqual([{ at: day(3, 500), outcome: 'sent', messageId: 'm-1', kind: 'scheduled' }]);
    expect(recorded.steps[0]!.reminderClaim).toBeUndefined();
  });

  it('skips the slot when the student unsubscribed or bounced, so the schedule moves on', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS);
    const decision = then(state, claim(day(3), 'scheduled', { blocked: 'unsubscribed' }));
    expect(decision).toEqual({
      ok: true,
      events: [
        { type: 'reminder_recorded', index: 0, record: { at: day(3), kind: 'scheduled', outcome: 'skipped', reason: 'unsubscribed' } },
      ],
    });
    const after = evolveAll(state, eventsOf(decision));
    expect(nextScheduledReminderAt(after.enrollment.reminders, after.steps[0]!)).toBe(day(10));
  });

  it('lets a released claim (throttled) be claimed again, and a stale one be recorded as unknown, never resent', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS, claim(day(3)));
    expect(stepWakeAt(state.enrollment.reminders, state.steps[0]!)).toBe(day(3, 5 * 60_000));
    const released = apply(state, { type: 'release_reminders', claimedAt: day(3) });
    expect(then(released, claim(day(3, 1000)))).toMatchObject({ ok: true });
    const unknown = then(state, {
      type: 'record_reminders',
      claimedAt: day(3),
      result: { at: day(3, 400_000), outcome: 'unknown', reason: 'no result' },
    });
    const after = evolveAll(state, eventsOf(unknown));
    expect(after.steps[0]!.reminders).toEqual([{ at: day(3, 400_000), outcome: 'unknown', reason: 'no result', kind: 'scheduled' }]);
    expect(nextScheduledReminderAt(after.enrollment.reminders, after.steps[0]!)).toBe(day(10));
  });

  it('are none when the program turned them off, and none once the step is done', () => {
    const off = given(TWO_PARTNERS, null);
    expect(nextScheduledReminderAt(off.enrollment.reminders, off.steps[0]!)).toBeUndefined();
    expect(then(off, claim(day(30)))).toMatchObject({ ok: false, refusal: { code: 'NOTHING_DUE' } });
    const done = given(TWO_PARTNERS, DEFAULT_REMINDERS, {
      type: 'override_step',
      at: day(1),
      action: 'complete',
      sequence: 1,
      by: 'admin@test.com',
      reason: 'done on paper',
    });
    expect(stepWakeAt(done.enrollment.reminders, done.steps[0]!)).toBeUndefined();
  });
});

describe('nudges', () => {
  it('remind every step in progress, at most once a day, whatever reminded it last', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS, claim(day(3)), sent(day(3)));
    expect(then(state, claim(day(3, 3_600_000), 'nudge'))).toEqual({
      ok: false,
      refusal: { code: 'REMINDED_TODAY', message: 'the student was reminded of every step in progress within the last day' },
    });
    expect(then(state, claim(day(4), 'nudge'))).toEqual({
      ok: true,
      events: [{ type: 'reminder_claimed', index: 0, at: day(4), kind: 'nudge', by: 'admin@test.com' }],
    });
  });

  it('postpone the next scheduled reminder to a day after them', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS, claim(day(9, 3_600_000), 'nudge'), sent(day(9, 3_600_000)));
    expect(nextScheduledReminderAt(state.enrollment.reminders, state.steps[0]!)).toBe(day(10, 3_600_000));
  });

  it('are refused for an unsubscribed or suppressed student, a finished enrollment, or nothing in progress', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS);
    expect(then(state, claim(day(4), 'nudge', { blocked: 'unsubscribed' }))).toMatchObject({
      ok: false,
      refusal: { code: 'REMINDERS_UNSUBSCRIBED' },
    });
    expect(then(state, claim(day(4), 'nudge', { blocked: 'suppressed' }))).toMatchObject({
      ok: false,
      refusal: { code: 'EMAIL_SUPPRESSED' },
    });
    const cancelled = given(TWO_PARTNERS, DEFAULT_REMINDERS, { type: 'cancel', at: day(1), by: 'admin@test.com', reason: 'left' });
    expect(then(cancelled, claim(day(4), 'nudge'))).toMatchObject({ ok: false, refusal: { code: 'ENROLLMENT_NOT_ACTIVE' } });
  });
});

describe('the welcome email', () => {
  it('is claimed once, recorded under its claim, and released only by its own claim', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS, { type: 'claim_welcome', at: T0 });
    expect(then(state, { type: 'claim_welcome', at: T0 })).toMatchObject({ ok: false, refusal: { code: 'EMAIL_ALREADY_CLAIMED' } });
    expect(then(state, { type: 'release_welcome', claimedAt: day(1) })).toEqual({ ok: true, events: [] });
    const result = { at: T0, outcome: 'sent', messageId: 'w-1' } as const;
    expect(then(state, { type: 'record_welcome', claimedAt: day(1), result })).toMatchObject({
      ok: false,
      refusal: { code: 'EMAIL_CLAIM_GONE' },
    });
    const recorded = apply(state, { type: 'record_welcome', claimedAt: T0, result });
    expect(recorded.enrollment.welcome).toEqual({ dueAt: T0, claimedAt: T0, result });
    expect(welcomeWakeAt(recorded.enrollment)).toBeUndefined();
    expect(then(recorded, { type: 'claim_welcome', at: T0 })).toMatchObject({ ok: false, refusal: { code: 'NOTHING_DUE' } });
  });

  it('is skipped without a claim when the address is suppressed', () => {
    const state = given(TWO_PARTNERS, DEFAULT_REMINDERS);
    const result = { at: T0, outcome: 'skipped', reason: 'suppressed' } as const;
    expect(then(state, { type: 'record_welcome', result })).toEqual({ ok: true, events: [{ type: 'welcome_recorded', result }] });
  });
});

describe('due dates', () => {
  it('mark the open steps past their due date overdue once, and count them per partner until they close', () => {
    const state = given(TWO_PARTNERS, null);
    expect(then(state, { type: 'mark_overdue', at: day(4) })).toEqual({ ok: true, events: [] });
    const marked = then(state, { type: 'mark_overdue', at: day(5) });
    expect(marked).toEqual({ ok: true, events: [{ type: 'step_overdue', index: 0, at: day(5) }] });
    const overdue = evolveAll(state, eventsOf(marked));
    expect(then(overdue, { type: 'mark_overdue', at: day(6) })).toEqual({ ok: true, events: [] });
    expect(counterChanges(state, overdue)).toEqual([{ kind: 'partner', partnerId: 'hsi', changes: { overdue: 1 } }]);
    const completed = given(
      TWO_PARTNERS,
      null,
      { type: 'mark_overdue', at: day(5) },
      { type: 'override_step', at: day(6), action: 'complete', sequence: 1, by: 'admin@test.com', reason: 'late but done' },
    );
    expect(counterChanges(overdue, completed)).toEqual(
      expect.arrayContaining([{ kind: 'partner', partnerId: 'hsi', changes: { in_progress: -1, completed: 1, overdue: -1 } }]),
    );
  });
});
