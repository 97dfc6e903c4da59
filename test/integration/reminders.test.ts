// The "Not done until", in local mode with the local clock moved forward: the welcome email
// at once, reminders on days 3 and 10 and weekly after (each with valid RFC 8058 headers), at most
// `max`, none after the step completes, after a one-click unsubscribe or to a bounced address.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local/baton.js';
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

describe('what stops reminders', () => {
  it('sends none about a step once it is completed (the next step gets its own, from its own start)', async () => {
    const email = 'completes@example.org';
    await baton.enroll({ studentEmail: email, programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-C1' } });
    await baton.advanceClock(3 * DAY);
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/).map((e) => e.subject)).toEqual([
      'Reminder: BLS, CPR, AED & First Aid at HSI',
    ]);
    expect((await baton.complete('hsi', { studentId: 'HSI-C1', courseId: 'bls-cpr-aed' })).body).toEqual({ status: 'applied' });
    await baton.drain();
    await baton.advanceClock(2 * DAY); // day 5: nothing is due (Certiport started on day 3)
    await baton.advanceClock(5 * DAY); // day 10: HSI's second reminder would be due; Certiport's first came on day 6
    const reminders = emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/).map((e) => e.subject);
    expect(reminders).toEqual(['Reminder: BLS, CPR, AED & First Aid at HSI', 'Reminder: Microsoft Office Specialist: Word at Certiport']);
  });

  it('sends none after the enrollment is cancelled: nothing of it is left in the schedule index', async () => {
    const email = 'cancelled@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl' });
    const scheduled = async () => (await baton.items()).filter((item) => item.gsi5pk && String(item.gsi5sk).includes(enrollment.id));
    expect(await scheduled()).toHaveLength(1); // its step, waiting for its first reminder
    const cancelled = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/cancel`, {
      as: ADMIN,
      body: { reason: 'Moved away' },
    });
    expect(cancelled.status).toBe(200);
    expect(await scheduled()).toEqual([]);
    await baton.advanceClock(3 * DAY);
    await baton.advanceClock(7 * DAY);
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/)).toEqual([]);
  });

  it('sends none after a one-click unsubscribe (a GET only shows the button), and again after resubscribing', async () => {
    const email = 'unsubscribes@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl' });
    const [welcome] = emailsTo(await readOutbox(baton.outboxDir), email);
    const url = expectOneClickHeaders(welcome!);
    const path = url.slice(baton.url.length);

    // A link scanner's GET changes nothing; the page has the button.
    const page = await baton.api('GET', path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(`<form method="post" action="${path}">`);
    expect((await baton.enrollment(enrollment.id)).remindersUnsubscribed).toBe(false);

    // What Gmail or Yahoo sends on "Unsubscribe": a form POST, no sign-in.
    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ unsubscribed: true, reminders: false });
    expect((await baton.enrollment(enrollment.id)).remindersUnsubscribed).toBe(true);

    await baton.advanceClock(3 * DAY);
    await baton.advanceClock(7 * DAY);
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/)).toEqual([]);
    const admin = await baton.enrollment(enrollment.id);
    expect(admin.timeline.filter((e: { type: string }) => e.type === 'reminder_skipped').map((e: { detail: string }) => e.detail)).toEqual([
      'Reminder about JRI: Entry-Level Driver Training Theory not sent: the student unsubscribed from reminders',
      'Reminder about JRI: Entry-Level Driver Training Theory not sent: the student unsubscribed from reminders',
    ]);
    // The student sees their page: no skipped entries there, and reminders off.
    const own = await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: email });
    expect(own.body.remindersUnsubscribed).toBe(true);
    expect(own.body.timeline.some((e: { type: string }) => e.type === 'reminder_skipped')).toBe(false);

    expect((await baton.api('PUT', '/api/me/preferences', { as: email, body: { reminders: true } })).body).toEqual({ reminders: true });
    await baton.advanceClock(7 * DAY); // day 17: the third slot
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/)).toHaveLength(1);
  });

  it('still sends the completion email after a one-click unsubscribe (it stops reminders only)', async () => {
    const email = 'unsubscribes-then-completes@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl', partnerAccounts: { jri: 'JRI-U2' } });
    const [welcome] = emailsTo(await readOutbox(baton.outboxDir), email);
    const oneClick = await fetch(expectOneClickHeaders(welcome!), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(await oneClick.json()).toEqual({ unsubscribed: true, reminders: false });

    expect((await baton.complete('jri', { studentId: 'JRI-U2', courseId: 'cdl-entry-level-driver' })).body).toEqual({ status: 'applied' });
    await baton.drain();
    const view = await baton.enrollment(enrollment.id);
    expect([view.status, view.remindersUnsubscribed]).toEqual(['completed', true]);
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /^Congratulations/).map((e) => e.subject)).toEqual([
      'Congratulations! You completed CDL',
    ]);
  });

  it('refuses a link that was tampered with (400, nothing written), as JSON and as a page', async () => {
    const email = 'tampered@example.org';
    await baton.enroll({ studentEmail: email, programId: 'cdl' });
    const url = expectOneClickHeaders(emailsTo(await readOutbox(baton.outboxDir), email)[0]!);
    const [base, token] = url.split('?token=') as [string, string];
    const [id, mac] = token.split('.') as [string, string];
    const forged = `${base}?token=${id}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const before = await baton.items();
    const answer = await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('INVALID_UNSUBSCRIBE_LINK');
    const page = await fetch(forged.replace(/token=.*/, 'token=nonsense'));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('This link does not work');
    expect(await baton.items()).toEqual(before);
  });

  it('sends nothing to a bounced address: no welcome, no reminder, no completion email; the enrollment says so', async () => {
    const email = 'bounces@example.org';
    const first = await baton.enroll({ studentEmail: email, programId: 'cdl', partnerAccounts: { jri: 'JRI-B1' } });
    expect(emailsTo(await readOutbox(baton.outboxDir), email)).toHaveLength(1);
    const bounce = await baton.api('POST', '/api/dev/mail-feedback', { body: { email: 'Bounces@Example.org' } });
    expect(bounce.body).toEqual({ suppressed: [email], ignored: 0 });
    const view = await baton.enrollment(first.id);
    expect(view.emailSuppressed).toBe(true);
    expect(view.emailSuppression).toMatchObject({ reason: 'bounce', detail: 'Permanent/General: smtp; 550 5.1.1 user unknown' });

    const second = await baton.enroll({ studentEmail: email, programId: 'life-coach' });
    await baton.advanceClock(3 * DAY);
    expect((await baton.complete('jri', { studentId: 'JRI-B1', courseId: 'cdl-entry-level-driver' })).body).toEqual({ status: 'applied' });
    await baton.drain();
    expect(emailsTo(await readOutbox(baton.outboxDir), email)).toHaveLength(1); // only the first welcome, before the bounce
    const completed = await baton.enrollment(first.id);
    expect(completed.status).toBe('completed');
    expect(completed.certificate).toBeDefined();
    expect(completed.workflowFailure).toBeUndefined();
    const details = (await baton.enrollment(second.id)).timeline.map((e: { detail: string }) => e.detail);
    expect(details).toContain(`Welcome email not sent to ${email}: email to the student's address bounced or was reported as spam`);
    expect(completed.timeline.map((e: { detail: string }) => e.detail)).toContain(
      `Completion email not sent to ${email}: email to the student's address bounced or was reported as spam`,
    );
  });

  it('suppresses an address reported as spam, through `npm run bounce -- <email> --complaint`', async () => {
    const email = 'complains@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl' });
    const cli = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'local/bounce-cli.ts', email, '--complaint', '--url', baton.url],
      { cwd: REPO_ROOT, timeout: 60_000 },
    );
    expect(cli.stdout).toContain(`complaint for ${email} → 200`);
    const view = await baton.enrollment(enrollment.id);
    expect(view.emailSuppressed).toBe(true);
    expect(view.emailSuppression).toMatchObject({ reason: 'complaint' });
    await baton.advanceClock(3 * DAY);
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/)).toEqual([]);
  });

  it('ignores a transient bounce (a full mailbox)', async () => {
    const email = 'fullbox@example.org';
    await baton.enroll({ studentEmail: email, programId: 'cdl' });
    expect((await baton.api('POST', '/api/dev/mail-feedback', { body: { email, type: 'transient-bounce' } })).body).toEqual({
      suppressed: [],
      ignored: 1,
    });
    await baton.advanceClock(3 * DAY);
    expect(emailsTo(await readOutbox(baton.outboxDir), email, /^Reminder/)).toHaveLength(1);
  });
});
