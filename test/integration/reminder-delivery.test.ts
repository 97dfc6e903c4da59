// At most once, and never lost: the sweep run twice at the same moment sends nothing twice; a run
// that died after claiming leaves an unknown outcome that is never resent; a welcome email the
// request could not send is sent by the sweep; nudges respect the one-a-day limit; due dates make
// steps overdue in the views and the pipeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../functions/use-cases/enrollment-transitions.js';
import { DEFAULT_SWEEP, sweepSchedule } from '../../functions/use-cases/reminder-sweep.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { emailsTo, readOutbox } from '../support/emails.js';

const DAY = 24 * 3600 * 1000;
const MINUTE = 60_000;
let baton: TestBaton;
/** The mailer fails the next send this way, if set. */
let failNext: (() => Error) | undefined;
/** The unsubscribe key is unavailable this many more times. */
let keyOutages = 0;
beforeAll(async () => {
  baton = await startTestBaton({
    decorate: (ports) => ({
      mailer: {
        send: async (message) => {
          const failure = failNext;
          failNext = undefined;
          if (failure) throw failure();
          return ports.mailer.send(message);
        },
      },
      unsubscribeKeys: {
        key: async () => {
          if (keyOutages-- > 0) throw new Error('GetSecretValue timed out');
          return ports.unsubscribeKeys.key();
        },
      },
    }),
  });
});
afterAll(() => baton?.stop());

const reminders = async (email: string) => emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/);
const sweep = () => sweepSchedule(baton.ports, { ...DEFAULT_SWEEP, timeLeft: () => true });

describe('the sweep sends each email at most once', () => {
  it('sends one reminder when two sweeps run at the same moment', async () => {
    const email = 'twice@example.org';
    await baton.enroll({ studentEmail: email, programId: 'cdl' });
    baton.clock.advance(3 * DAY);
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a.reminders + b.reminders).toBe(1);
    expect(await reminders(email)).toHaveLength(1);
    await Promise.all([sweep(), sweep()]);
    expect(await reminders(email)).toHaveLength(1);
  });

  it('never resends a reminder whose run died after claiming it: its outcome is recorded as unknown', async () => {
    const email = 'crash@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl' });
    baton.clock.advance(3 * DAY);
    // A sweep that claimed the reminder and died before sending (or before recording the send).
    const claimed = await transition(baton.ports, enrollment.id, {
      type: 'claim_reminders',
      at: baton.clock.now().toISOString(),
      kind: 'scheduled',
    });
    expect(claimed.ok).toBe(true);
    expect((await sweep()).reminders).toBe(0); // the claim is fresh: its holder may be sending
    baton.clock.advance(6 * MINUTE);
    const report = await sweep();
    expect(report).toMatchObject({ reminders: 0, unknown: 1 });
    expect(await reminders(email)).toHaveLength(0);
    const view = await baton.enrollment(enrollment.id);
    expect(view.timeline.map((e: { detail: string }) => e.detail)).toContain(
      `Reminder about JRI: Entry-Level Driver Training Theory may have been sent to ${email}: the mail service did not confirm it (not sent again)`,
    );
    await baton.advanceClock(7 * DAY); // the next slot goes out as usual
    expect(await reminders(email)).toHaveLength(1);
  });

  it('records a send whose answer was lost as unknown and does not send it again', async () => {
    const email = 'timeout@example.org';
    await baton.enroll({ studentEmail: email, programId: 'cdl' });
    failNext = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    await baton.advanceClock(3 * DAY);
    expect(await reminders(email)).toHaveLength(0);
    await baton.advanceClock(1 * DAY);
    expect(await reminders(email)).toHaveLength(0);
  });

  it('sends the welcome email from the sweep when the request could not', async () => {
    const email = 'late-welcome@example.org';
    keyOutages = 1;
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl' });
    expect(emailsTo(await readOutbox(baton.outboxDir), email)).toHaveLength(0);
    await baton.advanceClock(1 * MINUTE); // within the grace period the request has
    expect(emailsTo(await readOutbox(baton.outboxDir), email)).toHaveLength(0);
    await baton.advanceClock(2 * MINUTE);
    expect(emailsTo(await readOutbox(baton.outboxDir), email).map((e) => e.subject)).toEqual(['Welcome to CDL: how to start']);
    await baton.advanceClock(10 * MINUTE);
    expect(emailsTo(await readOutbox(baton.outboxDir), email)).toHaveLength(1);
    expect((await baton.enrollment(enrollment.id)).timeline.map((e: { detail: string }) => e.detail)).toContain(
      `Welcome email sent to ${email}`,
    );
  });
});

describe('nudges from the dashboard', () => {
  it('reminds everyone stuck, at most once a day per step, whatever clicks or sweeps', async () => {
    const students = ['nudge-a@example.org', 'nudge-b@example.org'];
    const ids: string[] = [];
    for (const studentEmail of students) ids.push((await baton.enroll({ studentEmail, programId: 'real-estate' })).id);
    await baton.advanceClock(8 * DAY); // the sweep sends each its first reminder now
    const nudge = () => baton.api('POST', '/api/admin/reminders', { as: ADMIN, body: { stuckDays: 7 } });
    const early = await nudge();
    expect(early.status).toBe(200);
    const theirs = (skipped: Array<{ enrollmentId: string }>) =>
      skipped.filter((s) => ids.includes(s.enrollmentId)).sort((x, y) => x.enrollmentId.localeCompare(y.enrollmentId));
    const remindedToday = [...ids].sort().map((enrollmentId) => ({ enrollmentId, reason: 'reminded_today' }));
    expect(theirs(early.body.skipped)).toEqual(remindedToday);
    await baton.advanceClock(1 * DAY);
    const both = await Promise.all([nudge(), nudge()]); // a double click
    // Between the two, each student is reminded once: the other click finds them reminded today.
    expect(theirs(both.flatMap((r) => r.body.skipped))).toEqual(remindedToday);
    for (const email of students) {
      const mine = await reminders(email);
      expect(mine).toHaveLength(2);
      expect(mine[1]!.text).toContain(`Your coordinator ${ADMIN} asked us to remind you`);
    }
    const view = await baton.enrollment(ids[0]!);
    expect(view.timeline.map((e: { detail: string }) => e.detail)).toContain(
      `Reminder about JRI: Real Estate Pre-Licensing emailed to ${students[0]} (sent by ${ADMIN})`,
    );
  });

  it('answers each enrollment it could not remind with the reason, and refuses a malformed request', async () => {
    const active = await baton.enroll({ studentEmail: 'nudge-c@example.org', programId: 'life-coach' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const answer = await baton.api('POST', '/api/admin/reminders', { as: ADMIN, body: { enrollmentIds: [active.id, unknown, 'nope'] } });
    expect(answer.body).toEqual({
      sent: 1,
      skipped: expect.arrayContaining([
        { enrollmentId: 'nope', reason: 'not_found' },
        { enrollmentId: unknown, reason: 'not_found' },
      ]) as unknown,
    });
    const before = await baton.items();
    for (const body of [{}, { enrollmentIds: [] }, { stuckDays: -1 }, { enrollmentIds: [active.id], stuckDays: 1 }]) {
      const refused = await baton.api('POST', '/api/admin/reminders', { as: ADMIN, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect(await baton.items()).toEqual(before);
  });
});

describe('due dates', () => {
  it('gives a step its due date when it starts, shows it overdue once past, and counts it per partner until it is done', async () => {
    const program = {
      name: 'Forklift Safety',
      category: 'Technical/Trade',
      steps: [{ sequence: 1, partnerId: 'milady', courseId: 'forklift-101', courseName: 'Forklift 101', dueDays: 5 }],
      reminders: null,
    };
    expect((await baton.api('PUT', '/api/admin/programs/forklift-safety', { as: ADMIN, body: program })).status).toBe(201);
    const enrollment = await baton.enroll({
      studentEmail: 'due@example.org',
      programId: 'forklift-safety',
      partnerAccounts: { milady: 'M-1' },
    });
    const [step] = enrollment.steps;
    expect(Date.parse(step.dueAt) - Date.parse(step.startedAt)).toBe(5 * DAY);
    expect(step.overdue).toBe(false);
    const overdueAt = async () =>
      (await baton.api('GET', '/api/admin/pipeline', { as: ADMIN })).body.providers.find(
        (p: { partnerId: string }) => p.partnerId === 'milady',
      ).overdue as number;
    const before = await overdueAt();
    await baton.advanceClock(6 * DAY);
    expect((await baton.enrollment(enrollment.id)).steps[0].overdue).toBe(true);
    expect(await overdueAt()).toBe(before + 1);
    expect(await reminders('due@example.org')).toHaveLength(0); // reminders: null
    await baton.complete('milady', { studentId: 'M-1', courseId: 'forklift-101' });
    await baton.drain();
    expect((await baton.enrollment(enrollment.id)).steps[0].overdue).toBe(false);
    expect(await overdueAt()).toBe(before);
  });
});
