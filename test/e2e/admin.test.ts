// The admin's side in a real browser (Debian's Chromium) against local mode: the pipeline
// updating after a partner webhook, stuck students with a contact link, an admin waive that the
// student then sees, a cancelled enrollment and a skipped optional step as the student sees them,
// an admin skipping an optional step, a completion email whose outcome is unknown marked sent or
// resent, dismissing and linking unmatched events, a new enrollment, and accessibility at both sizes.
// The clock is moved back while enrolling some students, so they are really stuck for days.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmailNotSent, type Mailer, type WorkflowStarter } from '../../functions/use-cases/ports/services.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import {
  DESKTOP,
  VIEWPORTS,
  errorsOn,
  expectAccessibleAndFitting,
  expectFits,
  expectPhonePagesFit,
  launchChromium,
  openPage,
  signIn,
} from '../support/browser.js';
import { FIRST_AID_PLUS, saveProgram } from '../support/programs.js';

const DAY_MS = 24 * 3600 * 1000;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
// The mail service rejects one student's address until "fixed", so an automation fails for good.
let mailRejected = true;
// The mail service accepts these students' first completion email and the answer is lost: its outcome is unknown.
const answerLost = new Set(['jun.park@example.com', 'kai.okafor@example.com', 'lena.berg@example.com']);
// Enrollments whose workflow cannot start (the reconciler is off in tests): their steps move, the enrollment does not.
const workflowHeld = new Set<string>();

let baton: TestBaton;
let browser: Browser;
let page: Page;
const ids: Record<string, string> = {};
/** The completion emails in the outbox to one address (each enrollment also gets a welcome email). */
const completionEmailsTo = (email: string) =>
  baton.outbox().filter((mail) => mail.includes('Subject: Congratulations') && mail.includes(email));

async function enrollDaysAgo(days: number, key: string, input: Parameters<TestBaton['enroll']>[0]) {
  offsetMs = -days * DAY_MS;
  try {
    ids[key] = (await baton.enroll(input)).id;
  } finally {
    offsetMs = 0;
  }
}

async function complete(partnerId: Parameters<TestBaton['complete']>[0], studentId: string, courseId: string, event?: 'course.passed') {
  const response = await baton.complete(partnerId, { studentId, courseId, ...(event ? { event } : {}) });
  await baton.drain();
  return response.body.status as string;
}

beforeAll(async () => {
  [baton, browser] = await Promise.all([
    startTestBaton({
      clock,
      decorate: (ports) => ({
        workflow: {
          start: async (enrollmentId, trigger) => {
            if (workflowHeld.has(enrollmentId)) throw new Error('injected: the workflow cannot start');
            return ports.workflow.start(enrollmentId, trigger);
          },
        } satisfies WorkflowStarter,
        mailer: {
          send: async (message) => {
            // The faults are the completion email's; each enrollment's welcome email goes out as it is.
            if (!message.subject.startsWith('Congratulations')) return ports.mailer.send(message);
            if (mailRejected && message.to === 'hana.sato@example.com')
              throw new EmailNotSent('MessageRejected', 'injected: address rejected');
            const sent = await ports.mailer.send(message);
            if (answerLost.delete(message.to))
              throw Object.assign(new Error('injected: socket hang up before the answer'), { name: 'TimeoutError' });
            return sent;
          },
        } satisfies Mailer,
      }),
    }),
    launchChromium(),
  ]);
  // A program coordinator's week: some students moving, two stuck for more than a week.
  await enrollDaysAgo(20, 'priya', {
    studentEmail: 'priya.nair@example.com',
    studentName: 'Priya Nair',
    programId: 'medical-assistant',
    partnerAccounts: { hsi: 'HSI-2003', certiport: 'CP-2003', careersafe: 'CS-2003' },
  });
  await enrollDaysAgo(12, 'luis', {
    studentEmail: 'luis.ortega@example.com',
    studentName: 'Luis Ortega',
    programId: 'cna',
    partnerAccounts: { hsi: 'HSI-2002' },
  });
  await enrollDaysAgo(10, 'dana', {
    studentEmail: 'dana.whitfield@example.com',
    studentName: 'Dana Whitfield',
    programId: 'medical-assistant',
    partnerAccounts: { hsi: 'HSI-2001' },
  });
  await enrollDaysAgo(5, 'sam', {
    studentEmail: 'sam.lee@example.com',
    studentName: 'Sam Lee',
    programId: 'barber',
    partnerAccounts: { milady: 'ML-2004' },
  });
  await enrollDaysAgo(3, 'eve', {
    studentEmail: 'eve.adams@example.com',
    studentName: 'Eve Adams',
    programId: 'medical-assistant',
    partnerAccounts: { hsi: 'HSI-2005' },
  });
  await enrollDaysAgo(2, 'omar', {
    studentEmail: 'omar.haddad@example.com',
    studentName: 'Omar Haddad',
    programId: 'hvac',
    partnerAccounts: { careersafe: 'CS-2006' },
  });
  await enrollDaysAgo(1, 'grace', { studentEmail: 'grace.kim@example.com', studentName: 'Grace Kim', programId: 'it-support' });
  await enrollDaysAgo(4, 'hana', {
    studentEmail: 'hana.sato@example.com',
    studentName: 'Hana Sato',
    programId: 'cdl',
    partnerAccounts: { jri: 'JRI-2007' },
  });
  await enrollDaysAgo(2, 'tom', {
    studentEmail: 'tom.baker@example.com',
    studentName: 'Tom Baker',
    programId: 'welding',
    partnerAccounts: { careersafe: 'CS-2008' },
  });
  // First Aid Plus: HSI required, JRI's course beside it and Milady's after it optional. Kofi started
  // 9 days ago and finishes HSI today: the program completes without the optional courses, which are
  // then skipped (not stuck).
  await saveProgram(baton, FIRST_AID_PLUS);
  await enrollDaysAgo(9, 'kofi', {
    studentEmail: 'kofi.mensah@example.com',
    studentName: 'Kofi Mensah',
    programId: 'first-aid-plus',
    partnerAccounts: { hsi: 'HSI-2009', jri: 'JRI-2009', milady: 'ML-2009' },
  });
  // Rosa finished her only required step, and the workflow that completes the enrollment has not
  // run yet: every required step is done, the enrollment still active, the certificate to come.
  await enrollDaysAgo(6, 'rosa', {
    studentEmail: 'rosa.diaz@example.com',
    studentName: 'Rosa Diaz',
    programId: 'cdl',
    partnerAccounts: { jri: 'JRI-2010' },
  });
  workflowHeld.add(ids.rosa!);
  // Ines, enrolled today in First Aid Plus: HSI and JRI's optional course in progress, Milady's optional one next.
  await enrollDaysAgo(0, 'ines', {
    studentEmail: 'ines.moreau@example.com',
    studentName: 'Ines Moreau',
    programId: 'first-aid-plus',
    partnerAccounts: { hsi: 'HSI-2011', jri: 'JRI-2011', milady: 'ML-2011' },
  });
  // Jun, Kai and Lena finish CDL today, and the answer to each one's completion email is lost.
  await enrollDaysAgo(0, 'jun', {
    studentEmail: 'jun.park@example.com',
    studentName: 'Jun Park',
    programId: 'cdl',
    partnerAccounts: { jri: 'JRI-2012' },
  });
  await enrollDaysAgo(0, 'kai', {
    studentEmail: 'kai.okafor@example.com',
    studentName: 'Kai Okafor',
    programId: 'cdl',
    partnerAccounts: { jri: 'JRI-2013' },
  });
  await enrollDaysAgo(0, 'lena', {
    studentEmail: 'lena.berg@example.com',
    studentName: 'Lena Berg',
    programId: 'cdl',
    partnerAccounts: { jri: 'JRI-2014' },
  });
  for (const [partner, student, course] of [
    ['hsi', 'HSI-2003', 'bls-cpr-aed'],
    ['certiport', 'CP-2003', 'mos-word'],
    ['careersafe', 'CS-2003', 'osha-10-healthcare'],
    ['milady', 'ML-2004', 'barbering'],
    ['hsi', 'HSI-2005', 'bls-cpr-aed'],
    ['jri', 'JRI-2007', 'cdl-entry-level-driver'],
    ['hsi', 'HSI-2009', 'bls-cpr-aed'],
    ['jri', 'JRI-2010', 'cdl-entry-level-driver'],
    ['jri', 'JRI-2012', 'cdl-entry-level-driver'],
    ['jri', 'JRI-2013', 'cdl-entry-level-driver'],
    ['jri', 'JRI-2014', 'cdl-entry-level-driver'],
  ] as const) {
    expect(await complete(partner, student, course)).toBe('applied');
  }
  expect(answerLost.size).toBe(0);
  // Waiting in the inbox: a Certiport account nobody linked, a Milady learner not enrolled, and a
  // JRI course Sam Lee's program does not have.
  expect(await complete('certiport', 'CP-7777', 'mos-word')).toBe('unmatched');
  const outside = await baton.webhook(
    'jri',
    JSON.stringify({ event: 'course.completed', student_id: 'JRI-2004', email: 'sam.lee@example.com', course_id: 'life-coaching' }),
  );
  expect(outside.body).toEqual({ status: 'unmatched' });
  const unknown = await baton.webhook(
    'milady',
    JSON.stringify({ event: 'course.completed', student_id: 'ML-9001', email: 'ana.silva@example.com', course_id: 'cosmetology' }),
  );
  expect(unknown.body).toEqual({ status: 'unmatched' });

  ({ page } = await openPage(browser, DESKTOP));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await baton?.stop();
});
// Whatever a phone-sized page shows at the end of a test fits the phone's width.
afterEach(() => expectPhonePagesFit());

/** The numbers on one partner's card, by status. */
async function partnerCounts(partnerName: string): Promise<Record<string, number>> {
  const card = page.locator('.partner-card', { has: page.getByRole('heading', { name: new RegExp(`^${partnerName}\\b`) }) });
  const rows = await card
    .locator('.bar-row')
    // The count is a link to its list; its text goes on for screen readers ("3 completed at HSI: list them").
    .evaluateAll((els) =>
      els.map((el) => [el.querySelector('dt')!.textContent, parseInt(el.querySelector('.bar-value')!.textContent, 10)]),
    );
  return Object.fromEntries(rows);
}

/** Signs the student in on a phone and hands over their card for one program (checked for accessibility after). */
async function onStudentCard(email: string, programName: string, check: (card: Locator) => Promise<void>) {
  const { context, page: studentPage } = await openPage(browser, VIEWPORTS.phone);
  try {
    await signIn(studentPage, baton.url, { email });
    const card = studentPage.getByRole('article', { name: programName });
    await card.waitFor();
    await check(card);
    await expectAccessibleAndFitting(studentPage);
  } finally {
    await context.close();
  }
}

function parseMailto(href: string) {
  const url = new URL(href);
  return { to: decodeURIComponent(url.pathname), subject: url.searchParams.get('subject') ?? '', body: url.searchParams.get('body') ?? '' };
}

describe('the admin runs the programs from the dashboard', () => {
  it('signs in as the admin and lands on the training pipeline', async () => {
    await signIn(page, baton.url, { demo: 'Admin' });

    expect(new URL(page.url()).pathname).toBe('/admin/dashboard');
    await page.getByRole('heading', { name: 'Training pipeline' }).waitFor();
    // The unmatched count loads after the navigation renders: wait for it before reading the links.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /waiting/ })
      .waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Pipeline',
      'Enrollments',
      expect.stringMatching(/^Unmatched events\d+, \d+ waiting$/), // the inbox's count (read aloud as "…, 3 waiting")
      'Evidence',
      'Partners',
      'New enrollment',
      'Certificates',
      'Settings',
      'Exports',
      'Imports',
      'Event endpoints',
    ]);
  });

  it('updates the pipeline counts in place after a partner webhook', async () => {
    await page.getByRole('heading', { name: /^CareerSafe/ }).waitFor();
    const before = await partnerCounts('CareerSafe');
    await page.evaluate(() => ((window as unknown as { stayedOnPage: boolean }).stayedOnPage = true));

    expect(await complete('careersafe', 'CS-2006', 'osha-10-general-industry')).toBe('applied');
    await page.getByRole('button', { name: 'Refresh' }).click();

    await expect
      .poll(() => partnerCounts('CareerSafe'))
      .toEqual({
        ...before,
        'In progress': before['In progress']! - 1,
        Completed: before.Completed! + 1,
      });
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
  });

  it('shows completion rates per program, filtered by category and sortable', async () => {
    const rows = () => page.locator('section[aria-labelledby="rates"] tbody tr').allInnerTexts();
    expect((await rows()).find((r) => r.startsWith('Medical Assistant'))).toMatch(/33\.33%/);

    await page.getByLabel('Category').selectOption('Beauty/Cosmetology');
    await expect.poll(async () => (await rows()).map((r) => r.split('\n')[0])).toEqual(['Barber']);

    await page.getByLabel('Category').selectOption('');
    const header = page.getByRole('columnheader', { name: /Completion rate/ });
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.getByRole('button').click();
  });

  it('lists students stuck for more than 7 days, longest first, with a contact link naming the step', async () => {
    const stuck = page.locator('.stuck-list').first().locator('li');
    await expect.poll(() => stuck.locator('.stuck-name').allTextContents()).toEqual(['Luis Ortega', 'Dana Whitfield']);
    const dana = stuck.filter({ hasText: 'Dana Whitfield' });
    expect(await dana.textContent()).toContain('HSI · BLS, CPR, AED & First Aid');
    expect(await dana.locator('.stuck-days').textContent()).toMatch(/^10 days stuck$/);

    const mail = parseMailto((await dana.getByRole('link', { name: /Contact/ }).getAttribute('href'))!);

    expect(mail.to).toBe('dana.whitfield@example.com');
    expect(mail.subject).toBe('Checking in: HSI – BLS, CPR, AED & First Aid');
    expect(mail.body).toContain('Hi Dana,');
    expect(mail.body).toContain(`You started HSI's "BLS, CPR, AED & First Aid" 10 days ago`);
    expect(mail.body).toContain(`${baton.url}/student/progress`);
  });

  it('narrows the stuck list when the threshold goes up, and says when nobody is stuck', async () => {
    const names = () => page.locator('.stuck-list').first().locator('.stuck-name').allTextContents();
    await page.getByLabel('In progress for more than (days)').fill('11');
    await expect.poll(names).toEqual(['Luis Ortega']);
    expect(new URL(page.url()).searchParams.get('stuckDays')).toBe('11');

    await page.getByLabel('In progress for more than (days)').fill('30');
    await expect.poll(() => page.getByText('No one has been on a step for more than 30 days').isVisible()).toBe(true);

    await page.getByLabel('In progress for more than (days)').fill('7');
    await expect.poll(names).toEqual(['Luis Ortega', 'Dana Whitfield']);
  });

  it('lists a failed automation and retries it from the dashboard', async () => {
    const failures = page.locator('section[aria-labelledby="failures"]');
    const hana = failures.locator('li', { hasText: 'Hana Sato' });
    expect(await hana.textContent()).toContain('MessageRejected');
    mailRejected = false;

    await hana.getByRole('button', { name: /Retry/ }).click();

    await expect.poll(() => failures.getByRole('status').textContent()).toBe('Retrying the automation for Hana Sato.');
    await baton.drain();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => hana.count()).toBe(0);
    expect(completionEmailsTo('hana.sato@example.com')).toHaveLength(1);
  });

  it('sends a completion email whose outcome is unknown to its enrollment to decide, with no plain Retry', async () => {
    const failures = page.locator('section[aria-labelledby="failures"]');
    const jun = failures.locator('li', { hasText: 'Jun Park' });
    expect(await jun.textContent()).toContain('The completion email may have been sent');
    expect(await jun.getByRole('button').count()).toBe(0);
    expect(await jun.getByRole('link').allTextContents()).toEqual(['Mark sent or resend the email to Jun Park']);

    await jun.getByRole('link', { name: 'Mark sent or resend the email to Jun Park' }).click();

    await page.getByRole('heading', { level: 1, name: 'Jun Park' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/enrollments/${ids.jun}`);
  });

  it('explains the unknown outcome, and the admin marks the email sent with a reason using the keyboard alone', async () => {
    const notice = page.getByRole('region', { name: 'The completion email may have been sent' });
    expect(await notice.textContent()).toContain(
      'Baton handed the completion email for jun.park@example.com to the mail service, and no answer came back: it may or may not have gone out. So that Jun never gets it twice, Baton will not send it again by itself.',
    );
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    // A second admin has the same page open, with the form filled in (on a phone).
    const { context: other, page: otherPage } = await openPage(browser, VIEWPORTS.phone);
    try {
      await signIn(otherPage, baton.url, { demo: 'Admin' });
      await otherPage.goto(`${baton.url}/admin/enrollments/${ids.jun}`);
      await otherPage.getByRole('button', { name: 'Mark as sent…' }).click();
      await otherPage.getByLabel('How you know it was sent (required, shown to the student)').fill('Seen in the mail log');
      await expectAccessibleAndFitting(otherPage);

      const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
      const tabTo = async (text: string) => {
        for (let i = 0; i < 30 && (await focused()) !== text; i++) await page.keyboard.press('Tab');
        expect(await focused()).toBe(text);
      };
      await tabTo('Mark as sent…');
      await page.keyboard.press('Enter');
      const reason = page.getByLabel('How you know it was sent (required, shown to the student)');
      expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('Mark as sent');
      await page.keyboard.press('Enter');
      expect(await notice.getByRole('alert').textContent()).toContain('at least 3 characters');
      expect((await baton.api('GET', `/api/enrollments/${ids.jun}`, { as: ADMIN })).body.workflowFailure).toBeDefined();

      await page.keyboard.press('Shift+Tab');
      await page.keyboard.type('Found in the SES log');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');

      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'recorded as sent' }).textContent())
        .toBe('The completion email to jun.park@example.com is recorded as sent, and the failure is cleared.');
      expect(await notice.count()).toBe(0);
      const timeline = await page.locator('.timeline li').allTextContents();
      expect(timeline.at(-1)).toContain('Completion email to jun.park@example.com marked as sent by admin@test.com: Found in the SES log');
      expect(timeline.some((entry) => entry.includes('Automation failed'))).toBe(false);
      const { body } = await baton.api('GET', `/api/enrollments/${ids.jun}`, { as: ADMIN });
      expect(body.workflowFailure).toBeUndefined();
      const { body: pipeline } = await baton.api('GET', '/api/admin/pipeline', { as: ADMIN });
      expect(pipeline.failures.map((f: { studentName: string }) => f.studentName)).not.toContain('Jun Park');
      expect(completionEmailsTo('jun.park@example.com')).toHaveLength(1);

      // The second admin's page is out of date: the refusal says why, in a sentence, where they clicked.
      await otherPage.getByRole('button', { name: 'Mark as sent' }).click();
      await expect
        .poll(() => otherPage.getByRole('alert').filter({ hasText: 'No completion email' }).textContent())
        .toBe('No completion email is waiting on an unknown outcome for this enrollment.');
      await expectFits(otherPage);
    } finally {
      await other.close();
    }
  });

  it('resends a completion email whose outcome is unknown only after confirming that a second one may arrive', async () => {
    await page.goto(`${baton.url}/admin/enrollments/${ids.kai}`);
    const notice = page.getByRole('region', { name: 'The completion email may have been sent' });
    await notice.getByRole('button', { name: 'Resend the email…' }).click();
    const confirm = notice.getByRole('group', { name: 'Send the completion email to kai.okafor@example.com again?' });
    expect(await confirm.textContent()).toContain(
      'If the first one did arrive, Kai gets a second copy. Resend it only if the mail log shows it was not delivered.',
    );
    await confirm.getByRole('button', { name: 'Go back' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Resend the email…');
    expect(completionEmailsTo('kai.okafor@example.com')).toHaveLength(1);

    await notice.getByRole('button', { name: 'Resend the email…' }).click();
    await confirm.getByRole('button', { name: 'Yes, resend the email' }).click();

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'again' }).textContent())
      .toBe('Sending the completion email to kai.okafor@example.com again. The timeline shows it once it is sent.');
    expect(await notice.count()).toBe(0);
    await baton.drain();
    await expect
      .poll(() => page.locator('.timeline li').allTextContents())
      .toContainEqual(expect.stringContaining('Completion email sent to kai.okafor@example.com'));
    expect(completionEmailsTo('kai.okafor@example.com')).toHaveLength(2);
    expect((await baton.api('GET', `/api/enrollments/${ids.kai}`, { as: ADMIN })).body.workflowFailure).toBeUndefined();
  });

  it('finds a student by name and opens the enrollment', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Enrollments' }).click();
    await page.getByLabel('Name or email contains').fill('dana');
    await page.getByRole('button', { name: 'Show', exact: true }).click();

    await page.getByRole('link', { name: /Dana Whitfield/ }).click();

    await page.getByRole('heading', { level: 1, name: 'Dana Whitfield' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/enrollments/${ids.dana}`);
    expect(await page.locator('li.step .status').allTextContents()).toEqual(['In progress', 'Not started', 'Not started']);
  });

  it('requires a reason to waive a step, and saves nothing without one', async () => {
    const hsi = page.locator('li.step').first();
    await hsi.getByRole('button', { name: /^Waive/ }).click();
    await hsi.getByRole('button', { name: 'Waive step' }).click();

    expect(await hsi.getByRole('alert').textContent()).toContain('at least 3 characters');
    const { body } = await baton.api('GET', `/api/enrollments/${ids.dana}`, { as: ADMIN });
    expect(body.steps[0].status).toBe('in_progress');
  });

  it('waives the step with a reason: the result shows at once and the next step starts', async () => {
    const hsi = page.locator('li.step').first();
    await hsi.getByLabel('Reason (required, shown to the student)').fill('CPR certified through her hospital job');
    await hsi.getByRole('button', { name: 'Waive step' }).click();

    await expect.poll(() => hsi.locator('.status').textContent()).toBe('Waived');
    expect(await hsi.locator('.step-resolution').textContent()).toBe('Waived by admin@test.com: “CPR certified through her hospital job”');
    expect(await page.getByRole('status').filter({ hasText: 'waived' }).textContent()).toContain('HSI: BLS, CPR, AED & First Aid waived');
    await expect.poll(() => page.locator('li.step .status').allTextContents()).toEqual(['Waived', 'In progress', 'Not started']);
  });

  it('shows the waiver and its reason in the student’s own timeline', async () => {
    const { context: student, page: studentPage } = await openPage(browser, VIEWPORTS.phone);
    try {
      await signIn(studentPage, baton.url, { email: 'dana.whitfield@example.com' });
      await studentPage.getByRole('heading', { name: 'Medical Assistant' }).waitFor();

      const timeline = await studentPage.locator('.timeline li').allTextContents();
      expect(
        timeline.some((entry) =>
          entry.includes('HSI: BLS, CPR, AED & First Aid waived by admin@test.com: CPR certified through her hospital job'),
        ),
      ).toBe(true);
      expect(await studentPage.locator('li.step').first().textContent()).toContain(
        'Waived by admin@test.com: “CPR certified through her hospital job”',
      );
      await expectFits(studentPage);
    } finally {
      await student.close();
    }
  });

  it('cancels an enrollment only with a reason and a confirmation, and shows it cancelled at once', async () => {
    await page.goto(`${baton.url}/admin/enrollments/${ids.tom}`);
    const zone = page.getByRole('region', { name: 'Cancel enrollment' });
    await zone.getByRole('button', { name: 'Cancel enrollment…' }).click();
    await zone.getByRole('button', { name: 'Continue' }).click();
    expect(await zone.getByRole('alert').textContent()).toContain('at least 3 characters');

    await zone.getByLabel('Reason (required, shown to the student)').fill('Moved to another city');
    await zone.getByRole('button', { name: 'Continue' }).click();
    expect(await zone.getByRole('group').textContent()).toContain(
      'Cancel Tom Baker’s Welding enrollment?2 open steps close as cancelled. Reason: “Moved to another city”',
    );
    expect((await baton.api('GET', `/api/enrollments/${ids.tom}`, { as: ADMIN })).body.status).toBe('active');
    await zone.getByRole('button', { name: 'Yes, cancel the enrollment' }).click();

    await expect.poll(() => page.locator('.page-head .badge').textContent()).toBe('Cancelled');
    expect(await page.getByRole('status').filter({ hasText: 'Enrollment cancelled.' }).textContent()).toBe(
      'Enrollment cancelled. Tom Baker can be enrolled in Welding again.',
    );
    expect(await page.locator('li.step .status').allTextContents()).toEqual(['Cancelled', 'Cancelled']);
    expect(await page.getByRole('status').filter({ hasText: 'Cancelled on' }).textContent()).toMatch(
      /by admin@test\.com.*Reason: “Moved to another city”/,
    );
    expect(await page.getByRole('region', { name: 'Cancel enrollment' }).count()).toBe(0);
    expect(await page.locator('li.step').getByRole('button').count()).toBe(0);
    expect((await baton.api('GET', `/api/enrollments/${ids.tom}`, { as: ADMIN })).body.status).toBe('cancelled');
  });

  it('offers no Cancel where every required step is done, and says why instead', async () => {
    await page.goto(`${baton.url}/admin/enrollments/${ids.rosa}`);
    await page.getByRole('heading', { level: 1, name: 'Rosa Diaz' }).waitFor();

    expect(await page.locator('.page-head .badge').textContent()).toBe('In progress');
    expect(await page.locator('li.step .status').allTextContents()).toEqual(['Completed']);
    expect(await page.getByText('Every required step is done, so this enrollment can no longer be cancelled').textContent()).toBe(
      'Every required step is done, so this enrollment can no longer be cancelled: the certificate is on its way.',
    );
    expect(await page.getByRole('region', { name: 'Cancel enrollment' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Cancel enrollment/ }).count()).toBe(0);
    // The API refuses it, which is why the page does not offer it.
    const refused = await baton.api('POST', `/api/admin/enrollments/${ids.rosa}/cancel`, { as: ADMIN, body: { reason: 'Checking' } });
    expect(refused.body.error.code).toBe('ENROLLMENT_COMPLETING');
  });

  it('shows the student their cancelled enrollment, why, and no training to launch', () =>
    onStudentCard('tom.baker@example.com', 'Welding', async (card) => {
      expect(await card.locator('.badge').textContent()).toBe('Cancelled');
      expect(await card.getByRole('status').textContent()).toMatch(/^This enrollment was cancelled on .*Reason: “Moved to another city”/);
      expect(await card.locator('li.step .status').allTextContents()).toEqual(['Cancelled', 'Cancelled']);
      expect(await card.getByRole('link', { name: /Launch training/ }).count()).toBe(0);
      expect(await card.locator('.timeline li').allTextContents()).toContainEqual(
        expect.stringContaining('Enrollment cancelled by admin@test.com: Moved to another city'),
      );
    }));

  it('shows an optional step that was not taken as skipped, to the student and in the pipeline, and not as stuck', async () => {
    await onStudentCard('kofi.mensah@example.com', 'First Aid Plus', async (card) => {
      expect(await card.locator('.badge').textContent()).toContain('Completed');
      expect(await card.locator('li.step .status').allTextContents()).toEqual(['Completed', 'Skipped', 'Skipped']);
      expect(await card.locator('li.step').nth(1).textContent()).toContain('OptionalSkippednot taken before the program was completed');
      expect(await card.locator('.timeline li').allTextContents()).toContainEqual(
        expect.stringContaining('JRI: Work Readiness & Professional Skills skipped: optional, not taken before the program was completed'),
      );
    });
    await page.goto(`${baton.url}/admin/dashboard`);
    await page.getByRole('heading', { name: /^JRI/ }).waitFor();
    expect(await partnerCounts('JRI')).toMatchObject({ Skipped: 1 });
    expect(await partnerCounts('CareerSafe')).toMatchObject({ Cancelled: 1 });
    expect(await page.locator('.stuck-list').first().locator('.stuck-name').allTextContents()).not.toContain('Kofi Mensah');
  });

  it('skips an optional step only with a reason, and offers no Skip on a required step', async () => {
    await page.goto(`${baton.url}/admin/enrollments/${ids.ines}`);
    const [hsi, jri, milady] = [0, 1, 2].map((n) => page.locator('li.step').nth(n));
    await expect.poll(() => page.locator('li.step .status').allTextContents()).toEqual(['In progress', 'In progress', 'Not started']);
    expect(await hsi!.getByRole('button').allTextContents()).toEqual([
      'Mark complete HSI: BLS, CPR, AED & First Aid',
      'Waive HSI: BLS, CPR, AED & First Aid',
    ]);
    expect(await milady!.getByRole('button', { name: /^Skip/ }).count()).toBe(1);

    await jri!.getByRole('button', { name: 'Skip JRI: Work Readiness & Professional Skills' }).click();
    await jri!.getByRole('button', { name: 'Skip step' }).click();
    expect(await jri!.getByRole('alert').textContent()).toContain('at least 3 characters');
    expect((await baton.api('GET', `/api/enrollments/${ids.ines}`, { as: ADMIN })).body.steps[1].status).toBe('in_progress');

    await jri!.getByLabel('Reason (required, shown to the student)').fill('Already works as a job coach');
    await jri!.getByRole('button', { name: 'Skip step' }).click();

    await expect.poll(() => jri!.locator('.status').textContent()).toBe('Skipped');
    expect(await jri!.locator('.step-resolution').textContent()).toBe('Skipped by admin@test.com: “Already works as a job coach”');
    expect(await page.getByRole('status').filter({ hasText: 'skipped' }).textContent()).toBe(
      'JRI: Work Readiness & Professional Skills skipped: the student no longer needs to take it.',
    );
    expect(await jri!.getByRole('button').count()).toBe(0);
    expect(await page.locator('li.step .status').allTextContents()).toEqual(['In progress', 'Skipped', 'Not started']);
    expect(await page.locator('.timeline li').allTextContents()).toContainEqual(
      expect.stringContaining('JRI: Work Readiness & Professional Skills skipped by admin@test.com: Already works as a job coach'),
    );
    const { body } = await baton.api('GET', `/api/enrollments/${ids.ines}`, { as: ADMIN });
    expect(body.steps.map((step: { status: string }) => step.status)).toEqual(['in_progress', 'skipped', 'pending']);
    expect(body.status).toBe('active');
  });

  it('shows the student the step an admin skipped, and why', () =>
    onStudentCard('ines.moreau@example.com', 'First Aid Plus', async (card) => {
      expect(await card.locator('li.step .status').allTextContents()).toEqual(['In progress', 'Skipped', 'Not started']);
      expect(await card.locator('li.step').nth(1).textContent()).toContain('Skipped by admin@test.com: “Already works as a job coach”');
      expect(
        await card
          .locator('li.step')
          .nth(1)
          .getByRole('link', { name: /Launch training/ })
          .count(),
      ).toBe(0);
      expect(await card.locator('.timeline li').allTextContents()).toContainEqual(
        expect.stringContaining('JRI: Work Readiness & Professional Skills skipped by admin@test.com: Already works as a job coach'),
      );
    }));

  it('dismisses an unmatched event that will never match, only with a reason', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Unmatched events' }).click();
    const card = page.locator('.event', { hasText: 'JRI-2004' });
    expect(await card.textContent()).toContain('The student has no step for this course in an active enrollment.');
    await card.getByRole('button', { name: /^Dismiss/ }).click();
    await card.getByRole('button', { name: 'Dismiss event' }).click();
    expect(await card.getByRole('alert').textContent()).toContain('at least 3 characters');
    expect(await page.locator('.event').count()).toBe(3);

    await card.getByLabel('Why dismiss it (required, kept with the event)').fill('Life coaching is not part of his barber program');
    await card.getByRole('button', { name: 'Dismiss event' }).click();

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Dismissed' }).textContent())
      .toMatch(/^Dismissed the JRI event msg_\w+\./);
    await expect.poll(() => page.locator('.event').count()).toBe(2);
    expect(await page.locator('.event', { hasText: 'JRI-2004' }).count()).toBe(0);
    const stored = (await baton.items()).find(
      (i) => i.entity === 'delivery' && i.partnerId === 'jri' && (i.bodyPreview as string).includes('JRI-2004'),
    )!;
    expect(stored).toMatchObject({
      outcome: 'ignored',
      reason: 'dismissed',
      dismissal: { by: ADMIN, reason: 'Life coaching is not part of his barber program' },
    });
  });

  it('links an unmatched event to a student, which re-applies it and completes the step', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Unmatched events' }).click();
    const card = page.locator('.event', { hasText: 'CP-7777' });
    expect(await card.getByRole('heading').textContent()).toBe('Certiport · Microsoft Office Specialist: Word');

    await card.getByLabel(/Link Certiport account CP-7777/).fill('eve.adams@example.com');
    await card.getByRole('button', { name: 'Link and re-apply' }).click();

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Linked account' }).textContent())
      .toContain('Linked account CP-7777 to eve.adams@example.com.1 waiting event re-applied; 1 step completed.');
    await expect.poll(() => page.locator('.event').count()).toBe(1);
    expect(await page.locator('.event').textContent()).toContain('ana.silva@example.com');
    await baton.drain();
    const { body } = await baton.api('GET', `/api/enrollments/${ids.eve}`, { as: ADMIN });
    expect(body.steps.map((s: { status: string }) => s.status)).toEqual(['completed', 'completed', 'in_progress']);
  });

  it('enrolls a new student from the form and opens the new enrollment', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New enrollment' }).click();
    await page.getByLabel('Student email').fill('nina.patel@example.com');
    await page.getByLabel('Student name').fill('Nina Patel');
    await page.getByLabel('Program').selectOption({ label: 'Dental Assistant' });
    await page.getByLabel('HSI account id').fill('HSI-3001');
    await page.getByRole('button', { name: 'Enroll student' }).click();

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Enrolled' }).textContent())
      .toContain('Enrolled Nina Patel in Dental Assistant.Started HSI: BLS, CPR, AED & First Aid.');
    await page.getByRole('link', { name: 'Open the enrollment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nina Patel' }).waitFor();
    expect(await page.locator('li.step').first().textContent()).toContain('In progress');
  });

  it('says what is wrong when the enrollment is refused, and keeps the form filled', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New enrollment' }).click();
    await page.getByLabel('Student email').fill('nina.patel@example.com');
    await page.getByLabel('Program').selectOption({ label: 'Dental Assistant' });
    await page.getByRole('button', { name: 'Enroll student' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/already/i);
    expect(await page.getByLabel('Student email').inputValue()).toBe('nina.patel@example.com');
  });

  it('threw no uncaught errors in the site', () => {
    expect(errorsOn(page)).toEqual([]);
  });
});

describe.each(Object.entries(VIEWPORTS))('admin pages at %s size', (size, viewport) => {
  let context: BrowserContext;
  let p: Page;
  beforeAll(async () => {
    ({ context, page: p } = await openPage(browser, viewport));
    await signIn(p, baton.url, { demo: 'Admin' });
  });
  afterAll(() => context?.close());
  const check = (shot?: string) => expectAccessibleAndFitting(p, shot && `${shot}-${size}`);

  it('pipeline dashboard', async () => {
    await p.goto(`${baton.url}/admin/dashboard`);
    await p.locator('.stuck-list .stuck-name').first().waitFor();
    await check('admin-dashboard');
  });

  it('enrollment list searched by name', async () => {
    await p.goto(`${baton.url}/admin/enrollments?q=priya`);
    await p.getByRole('link', { name: /Priya Nair/ }).waitFor();
    await check();
  });

  it('enrollment detail with the waive form open', async () => {
    await p.goto(`${baton.url}/admin/enrollments/${ids.luis}`);
    await p
      .locator('li.step')
      .first()
      .getByRole('button', { name: /^Waive/ })
      .click();
    await p.getByLabel('Reason (required, shown to the student)').waitFor();
    await check('admin-enrollment');
  });

  it('unmatched events inbox', async () => {
    await p.goto(`${baton.url}/admin/unmatched`);
    await p.locator('.event').first().waitFor();
    await check('admin-unmatched');
  });

  it('unmatched event with the dismiss form open', async () => {
    await p
      .locator('.event')
      .first()
      .getByRole('button', { name: /^Dismiss/ })
      .click();
    await p.getByLabel('Why dismiss it (required, kept with the event)').waitFor();
    await check();
  });

  it('cancelled enrollment detail', async () => {
    await p.goto(`${baton.url}/admin/enrollments/${ids.tom}`);
    await p.getByRole('status').filter({ hasText: 'Cancelled on' }).waitFor();
    await check();
  });

  it('enrollment detail with the cancellation confirmation open', async () => {
    await p.goto(`${baton.url}/admin/enrollments/${ids.sam}`);
    await p.getByRole('button', { name: 'Cancel enrollment…' }).click();
    await p.getByLabel('Reason (required, shown to the student)').fill('Checking the confirmation');
    await p.getByRole('button', { name: 'Continue' }).click();
    await p.getByRole('button', { name: 'Yes, cancel the enrollment' }).waitFor();
    await check();
  });

  it('enrollment detail with the skip form open on an optional step', async () => {
    await p.goto(`${baton.url}/admin/enrollments/${ids.ines}`);
    await p.getByRole('button', { name: 'Skip Milady: Client Care' }).click();
    await p.getByLabel('Reason (required, shown to the student)').waitFor();
    await check();
  });

  it('enrollment detail with an unknown email outcome, its mark-as-sent form and its resend confirmation', async () => {
    await p.goto(`${baton.url}/admin/enrollments/${ids.lena}`);
    const notice = p.getByRole('region', { name: 'The completion email may have been sent' });
    await notice.getByText('What the automation reported').click();
    await notice.getByText(/^PermanentTaskError: EmailOutcomeUnknown/).waitFor();
    await check();
    await notice.getByRole('button', { name: 'Mark as sent…' }).click();
    await notice.getByLabel('How you know it was sent (required, shown to the student)').waitFor();
    await check('admin-email-unknown');
    await notice.getByRole('button', { name: 'Go back' }).click();
    await notice.getByRole('button', { name: 'Resend the email…' }).click();
    await notice.getByRole('button', { name: 'Yes, resend the email' }).waitFor();
    await check();
  });

  it('enrollment detail whose required steps are all done (no Cancel)', async () => {
    await p.goto(`${baton.url}/admin/enrollments/${ids.rosa}`);
    await p.getByText('can no longer be cancelled').waitFor();
    await check();
  });

  it('new enrollment form', async () => {
    await p.goto(`${baton.url}/admin/enroll`);
    await p.getByLabel('Program').selectOption({ label: 'Medical Assistant' });
    await p.getByLabel('Certiport account id').waitFor();
    await check();
    expect(errorsOn(p)).toEqual([]);
  });
});
