// Reminders, due dates and email status in a real browser: the admin reminds everyone stuck from
// the dashboard (confirmation with the count, what was not sent and why) and one student again (the
// daily limit), sees a bounced address on the enrollment page; the student on a phone sees an
// overdue step and turns reminders off and on; the unsubscribe link opens a page whose button
// unsubscribes. Axe and layout checks at both sizes; screenshots for README.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { DESKTOP, PHONE, expectAccessibleAndFitting, expectPhonePagesFit, launchChromium, openPage, signIn } from '../support/browser.js';
import { emailsTo, readOutbox } from '../support/emails.js';

const DAY = 24 * 3600 * 1000;
let baton: TestBaton;
let browser: Browser;
const ids = { student: '', ana: '', ben: '', bounced: '' };

beforeAll(async () => {
  [baton, browser] = await Promise.all([startTestBaton(), launchChromium()]);
  const program = {
    name: 'First Aid Refresher',
    category: 'Healthcare',
    steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'first-aid-refresher', courseName: 'First Aid Refresher', dueDays: 7 }],
  };
  expect((await baton.api('PUT', '/api/admin/programs/first-aid-refresher', { as: ADMIN, body: program })).status).toBe(201);
  ids.student = (await baton.enroll({ studentEmail: STUDENT, programId: 'first-aid-refresher', partnerAccounts: { hsi: 'HSI-1001' } })).id;
  ids.ana = (await baton.enroll({ studentEmail: 'ana.lopez@example.org', studentName: 'Ana Lopez', programId: 'cdl' })).id;
  ids.ben = (await baton.enroll({ studentEmail: 'ben.okafor@example.org', studentName: 'Ben Okafor', programId: 'cdl' })).id;
  ids.bounced = (await baton.enroll({ studentEmail: 'cam.reyes@example.org', studentName: 'Cam Reyes', programId: 'real-estate' })).id;
  await baton.api('POST', '/api/dev/mail-feedback', { body: { email: 'cam.reyes@example.org' } });
  // Day 8: the sweep sends everyone's first reminder (day 3's, caught up); day 9: nothing is due, and all are stuck.
  await baton.advanceClock(8 * DAY);
  await baton.advanceClock(1 * DAY);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await baton?.stop();
});
afterEach(() => expectPhonePagesFit());

describe('the admin reminds stuck students', () => {
  let page: Page;
  beforeAll(async () => {
    ({ page } = await openPage(browser, DESKTOP));
    await signIn(page, baton.url, { demo: 'Admin' });
  });

  it('reminds all stuck after a confirmation with the count, and says what was not sent and why', async () => {
    await page.goto(`${baton.url}/admin/dashboard`);
    const remindAll = page.getByRole('button', { name: 'Remind all 4 stuck students' });
    await remindAll.click();
    await expect.poll(() => page.getByText('Send a reminder to 4 students now?').isVisible()).toBe(true);
    await expectAccessibleAndFitting(page);
    await page.getByRole('button', { name: 'Send 4 reminders' }).click();
    await expect.poll(() => page.getByText('Sent 3 reminders. Not sent to 1: 1 email address bounced.').isVisible()).toBe(true);
    expect(emailsTo(await readOutbox(baton.outboxDir), 'ana.lopez@example.org', /^Reminder/)).toHaveLength(2);
    // HSI's card counts the overdue step; its row in the stuck list says so too.
    await expect.poll(() => page.locator('[data-partner="hsi"] .partner-overdue').textContent()).toBe('1 overdue');
    await expect.poll(() => page.locator('.stuck-item .tag-overdue').count()).toBe(1);
  });

  it('refuses a second reminder the same day, whoever clicks', async () => {
    await page.getByRole('button', { name: 'Send reminder to Ana Lopez' }).click();
    await expect.poll(() => page.getByText('No reminder was sent. Not sent to 1: 1 reminded in the last day.').isVisible()).toBe(true);
    await expectAccessibleAndFitting(page, 'admin-reminders-desktop');
    expect(emailsTo(await readOutbox(baton.outboxDir), 'ana.lopez@example.org', /^Reminder/)).toHaveLength(2);
  });

  it('shows a bounced address and the reminders it stopped on the enrollment page', async () => {
    await page.goto(`${baton.url}/admin/enrollments/${ids.bounced}`);
    await expect.poll(() => page.getByText('Email suppressed: nothing is sent to cam.reyes@example.org').isVisible()).toBe(true);
    expect(
      await page.getByText(/Mail to this address bounced on .* \(Permanent\/General: smtp; 550 5.1.1 user unknown\)/).isVisible(),
    ).toBe(true);
    expect(
      await page.getByText(/Reminder about JRI: Real Estate Pre-Licensing not sent: email to the student's address bounced/).count(),
    ).toBeGreaterThan(0);
    await expectAccessibleAndFitting(page, 'admin-email-status-desktop');
  });

  it('shows an overdue step as overdue on the enrollment page, with its due date', async () => {
    await page.goto(`${baton.url}/admin/enrollments/${ids.student}`);
    await expect.poll(() => page.locator('li.step .tag-overdue').textContent()).toMatch(/^ ?Overdue: due /);
    await page.goto(`${baton.url}/admin/enrollments/${ids.ana}`); // CDL's steps set no due date
    await expect.poll(() => page.locator('li.step').count()).toBeGreaterThan(0);
    expect(await page.locator('li.step .tag-overdue, li.step .step-due').count()).toBe(0);
  });
});

describe('the student on a phone', () => {
  let page: Page;
  beforeAll(async () => {
    ({ page } = await openPage(browser, PHONE));
    await signIn(page, baton.url, { demo: 'John Student' });
  });

  it('sees the overdue step and the reminders they got, and turns reminders off and back on', async () => {
    await page.goto(`${baton.url}/student/progress`);
    await expect.poll(() => page.locator('li.step .tag-overdue').textContent()).toMatch(/^ ?Overdue: due /);
    expect(await page.getByText(/Reminder about HSI: First Aid Refresher emailed to student@test.com/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('button', { name: 'Turn reminders off' }).isVisible()).toBe(true);
    await expectAccessibleAndFitting(page, 'student-reminders-phone');
    await page.getByRole('button', { name: 'Turn reminders off' }).click();
    await expect
      .poll(() => page.getByText('Reminders are off. Your welcome, completion and certificate emails still come.').isVisible())
      .toBe(true);
    expect((await baton.enrollment(ids.student)).remindersUnsubscribed).toBe(true);
    await page.getByRole('button', { name: 'Turn reminders back on' }).click();
    await expect.poll(() => page.getByText('Reminders are on again.').isVisible()).toBe(true);
    expect((await baton.enrollment(ids.student)).remindersUnsubscribed).toBe(false);
  });

  it('opens the unsubscribe link from a reminder: a page that asks, whose button unsubscribes', async () => {
    const [reminder] = emailsTo(await readOutbox(baton.outboxDir), STUDENT, /^Reminder/);
    const url = reminder!.header('list-unsubscribe')!.slice(1, -1);
    expect(reminder!.text).toContain(url); // the visible link is the same
    await page.goto(url);
    await expect.poll(() => page.getByRole('heading', { name: 'Stop reminder emails?' }).isVisible()).toBe(true);
    expect((await baton.enrollment(ids.student)).remindersUnsubscribed).toBe(false); // a GET changes nothing
    await expectAccessibleAndFitting(page, 'unsubscribe-phone');
    await page.getByRole('button', { name: 'Unsubscribe from reminders' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'You are unsubscribed from reminders' }).isVisible()).toBe(true);
    await expectAccessibleAndFitting(page);
    expect((await baton.enrollment(ids.student)).remindersUnsubscribed).toBe(true);
    await page.goto(url);
    await expect.poll(() => page.getByRole('heading', { name: 'You are unsubscribed' }).isVisible()).toBe(true);
  });
});
