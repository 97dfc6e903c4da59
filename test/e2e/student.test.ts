// The student's side and the public pages in a real browser (Debian's Chromium) against local
// mode: the seed's Medical Assistant flow on a phone, the certificate download, the public
// verification page with its QR code, the "not allowed" page, and accessibility at both sizes.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';
import {
  PHONE,
  VIEWPORTS,
  decodeQr,
  errorsOn,
  expectAccessibleAndFitting,
  expectFits,
  expectPhonePagesFit,
  launchChromium,
  openPage,
  signIn,
} from '../support/browser.js';

let baton: TestBaton;
let browser: Browser;
let page: Page;
let enrollment: { id: string };
let certificateId: string;

beforeAll(async () => {
  [baton, browser] = await Promise.all([startTestBaton(), launchChromium()]);
  ({ page } = await openPage(browser, PHONE));
});
afterAll(async () => {
  await browser?.close();
  await baton?.stop();
});
// Whatever a phone-sized page shows at the end of a test fits the phone's width.
afterEach(() => expectPhonePagesFit());

/** The student comes back to the tab (e.g. from the partner's site): the page reloads its data itself. */
async function returnToTab() {
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
}

const stepStatuses = () => page.locator('li.step .status').allTextContents();
const progressBar = () => page.getByRole('progressbar', { name: 'Medical Assistant progress' });
const launchLinks = () => page.getByRole('link', { name: /Launch training/ });

describe('the student follows Medical Assistant on a phone', () => {
  it('signs in from the sign-in page, which lists the demo accounts, and sees an empty state before enrolling', async () => {
    await page.goto(`${baton.url}/student/progress`);
    await page.waitForURL(/\/sign-in\?next=/);
    await expect
      .poll(() => page.getByRole('button', { name: /Sign in as/ }).allTextContents())
      .toEqual([expect.stringContaining('John Student'), expect.stringContaining('Admin'), expect.stringContaining('Viewer')]);
    await expectFits(page);

    await page.getByRole('button', { name: 'Sign in as John Student' }).click();

    await page.waitForURL(`${baton.url}/student/progress`);
    await expect.poll(() => page.getByText('You are not enrolled in a program yet').isVisible()).toBe(true);
    await expect.poll(() => page.getByText(STUDENT).isVisible()).toBe(true);
  });

  it('shows 0 of 3 steps with a Launch training button on the HSI step only', async () => {
    await page.evaluate(() => ((window as unknown as { stayedOnPage: boolean }).stayedOnPage = true));
    enrollment = await baton.enroll({
      studentEmail: STUDENT,
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-1001', certiport: 'CP-2002', careersafe: 'CS-3003' },
    });

    await returnToTab();

    await expect.poll(() => progressBar().getAttribute('aria-valuenow')).toBe('0');
    expect(await progressBar().getAttribute('aria-valuemax')).toBe('3');
    expect(await page.getByText('0 of 3 steps').isVisible()).toBe(true);
    expect(await stepStatuses()).toEqual(['In progress', 'Not started', 'Not started']);
    expect(await launchLinks().count()).toBe(1);
    const launch = launchLinks().first();
    expect(await launch.getAttribute('href')).toBe('https://otis.hsi.com/courses/bls-cpr-aed?learner=HSI-1001');
    expect(await launch.getAttribute('target')).toBe('_blank');
    expect(await page.locator('li.step', { has: launch }).textContent()).toContain('HSI');
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
  });

  it('moves the progress and the launch button along as each partner reports a completion', async () => {
    expect((await baton.complete('hsi', { studentId: 'HSI-1001', courseId: 'bls-cpr-aed' })).body).toEqual({ status: 'applied' });
    await baton.drain();
    await returnToTab();
    await expect.poll(() => progressBar().getAttribute('aria-valuenow')).toBe('1');
    expect(await page.getByText('1 of 3 steps').isVisible()).toBe(true);
    expect(await stepStatuses()).toEqual(['Completed', 'In progress', 'Not started']);
    expect(await launchLinks().getAttribute('href')).toContain('certiport.pearsonvue.com/exams/mos-word?candidate=CP-2002');

    await baton.complete('certiport', { studentId: 'CP-2002', courseId: 'mos-word' });
    await baton.drain();
    await returnToTab();
    await expect.poll(stepStatuses).toEqual(['Completed', 'Completed', 'In progress']);
    expect(await launchLinks().getAttribute('href')).toContain('careersafeonline.com/courses/osha-10-healthcare?student=CS-3003');

    await baton.complete('careersafe', { studentId: 'CS-3003', courseId: 'osha-10-healthcare' });
    await baton.drain();
    await returnToTab();
    await expect.poll(() => progressBar().getAttribute('aria-valuenow')).toBe('3');
    expect(await page.getByText('3 of 3 steps').isVisible()).toBe(true);
    expect(await page.getByText('100%').isVisible()).toBe(true);
    expect(await stepStatuses()).toEqual(['Completed', 'Completed', 'Completed']);
    expect(await launchLinks().count()).toBe(0);
    expect(await page.locator('.badge', { hasText: 'Completed' }).isVisible()).toBe(true);
  });

  it('lists what happened in the activity timeline, up to the certificate', async () => {
    const { body } = await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: STUDENT });
    certificateId = body.certificate.id;

    await page.getByRole('button', { name: /Show all \d+ events/ }).click();

    const entries = await page.locator('.timeline li').allTextContents();
    expect(entries[0]).toContain('Enrolled in Medical Assistant');
    expect(entries.some((e) => e.includes('HSI: BLS, CPR, AED & First Aid completed'))).toBe(true);
    expect(entries.some((e) => e.includes(`Certificate ${certificateId} issued`))).toBe(true);
  });

  it('downloads the certificate, and the file is a PDF', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download certificate (PDF)' }).click(),
    ]);

    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1000);
    expect(download.suggestedFilename()).toMatch(new RegExp(`Medical Assistant certificate ${certificateId}\\.pdf$`));
  });

  it('offers the shareable verification link', async () => {
    expect(await page.getByLabel('Shareable verification link').inputValue()).toBe(`${baton.url}/verify/${certificateId}`);
  });

  it('sends a student who opens an admin page to a clear "not allowed" page, with no admin data', async () => {
    await page.goto(`${baton.url}/admin/dashboard`);

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This page is for program admins');
    expect(await page.getByRole('link', { name: 'Go to my progress' }).getAttribute('href')).toBe('/student/progress');
    expect(await page.getByText('Training pipeline').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).textContent()).not.toContain('Pipeline');
  });

  it('says what to do when the progress cannot load, and recovers on "Try again"', async () => {
    await page.route('**/api/me/enrollments', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"Service Unavailable"}' }),
    );
    try {
      await page.goto(`${baton.url}/student/progress`);
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain("We couldn't load your progress.");
      expect(await alert.textContent()).toContain('Something went wrong on our side. Try again in a minute.');
      expect(await alert.textContent()).not.toContain('Service Unavailable');
      await expectFits(page);
    } finally {
      await page.unroute('**/api/me/enrollments');
    }

    await page.getByRole('button', { name: 'Try again' }).click();

    await page.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
  });

  it('sends a student whose session the API refuses to sign in again, and back to the page', async () => {
    await page.evaluate(() => {
      const token = sessionStorage.getItem('baton.local.token')!;
      sessionStorage.setItem('baton.local.token', `${token.slice(0, -6)}${token.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`);
    });

    await page.goto(`${baton.url}/student/progress`);

    await page.waitForURL(`${baton.url}/sign-in?next=%2Fstudent%2Fprogress`);
    await expect.poll(() => page.getByText('Your session ended').isVisible()).toBe(true);
    await expectFits(page);
    await page.getByRole('button', { name: 'Sign in as John Student' }).click();
    await page.waitForURL(`${baton.url}/student/progress`);
    await page.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
  });

  it('threw no uncaught errors in the site', () => {
    expect(errorsOn(page)).toEqual([]);
  });
});

describe('with the keyboard alone', () => {
  it('skips to the content, signs in and reaches the certificate download', async () => {
    const { context, page: keyboard } = await openPage(browser, VIEWPORTS.desktop);
    try {
      await keyboard.goto(`${baton.url}/sign-in`);
      await keyboard.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
      const focused = () => keyboard.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

      const firstFocusable = await keyboard.evaluate(
        () => document.querySelector('a[href], button, input, select, textarea, [tabindex="0"]')?.textContent,
      );
      expect(firstFocusable).toBe('Skip to main content');
      await keyboard.getByRole('link', { name: 'Skip to main content' }).focus();
      await keyboard.keyboard.press('Enter');
      expect(await keyboard.evaluate(() => document.activeElement?.id)).toBe('main');
      await keyboard.keyboard.press('Tab');
      expect(await focused()).toContain('Sign in as John Student');
      await keyboard.keyboard.press('Enter');
      await keyboard.waitForURL(`${baton.url}/student/progress`);
      await keyboard.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();

      let reached = false;
      for (let i = 0; i < 15 && !reached; i++) {
        await keyboard.keyboard.press('Tab');
        reached = (await focused()).includes('Download certificate (PDF)');
      }
      expect(reached).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('the public verification page', () => {
  let visitor: BrowserContext;
  let publicPage: Page;
  beforeAll(async () => {
    ({ context: visitor, page: publicPage } = await openPage(browser, VIEWPORTS.desktop));
  });
  afterAll(() => visitor?.close());

  it('shows every certificate field and the status to someone not signed in', async () => {
    await publicPage.goto(`${baton.url}/verify/${certificateId}`);

    await expect.poll(() => publicPage.getByText('Valid certificate').isVisible()).toBe(true);
    const fields = Object.fromEntries(
      await publicPage
        .locator('dl.fields > div')
        .evaluateAll((rows) => rows.map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent])),
    );
    const { body: certificate } = await baton.api('GET', `/api/certificates/${certificateId}`);
    const day = (iso: string) =>
      new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
    const courses = certificate.courses.map((c: any) => `${c.courseName} ${c.partnerName} · ${day(c.completedAt)}`).join('');
    expect(fields).toEqual({
      Student: 'John Student',
      Program: 'Medical Assistant',
      'Issued by': 'Baton',
      'Courses completed': courses,
      'Completed on': day(certificate.completedAt),
      'Issued on': day(certificate.issuedAt),
      Expires: 'Does not expire',
      'Certificate ID': certificateId,
      Status: 'Valid',
    });
    await expect.poll(() => publicPage.getByText('Credential verified.').isVisible()).toBe(true);
    expect(await publicPage.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  });

  it('shows a QR code that encodes the page’s own URL', async () => {
    const qr = publicPage.getByRole('img', { name: /QR code/ });

    expect(await decodeQr(qr)).toBe(`${baton.url}/verify/${certificateId}`);
  });

  it('says so when no certificate has the id, and offers to check another', async () => {
    await publicPage.goto(`${baton.url}/verify/AAAA-BBBB-CCCC-DDDD`);

    await expect.poll(() => publicPage.getByRole('heading', { level: 1 }).textContent()).toBe('Certificate not found');
    expect(await publicPage.getByLabel('Certificate ID').inputValue()).toBe('AAAA-BBBB-CCCC-DDDD');
  });
});

describe.each(Object.entries(VIEWPORTS))('student and public pages at %s size', (size, viewport) => {
  let context: BrowserContext;
  let p: Page;
  beforeAll(async () => {
    ({ context, page: p } = await openPage(browser, viewport));
  });
  afterAll(() => context?.close());
  const check = (shot?: string) => expectAccessibleAndFitting(p, shot && `${shot}-${size}`);

  it('sign-in page', async () => {
    await p.goto(`${baton.url}/sign-in`);
    await p.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    await check();
  });

  it('student progress page with a completed program', async () => {
    await signIn(p, baton.url, { demo: 'John Student' });
    await p.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
    await check('student-progress');
  });

  it('not-allowed page', async () => {
    await p.goto(`${baton.url}/admin/unmatched`);
    await p.getByRole('heading', { name: 'This page is for program admins' }).waitFor();
    await check();
  });

  it('verification page', async () => {
    await p.goto(`${baton.url}/verify/${certificateId}`);
    await p.getByText('Valid certificate').waitFor();
    await check('verification');
  });

  it('page not found', async () => {
    await p.goto(`${baton.url}/no/such/page`);
    await p.getByRole('heading', { name: 'Page not found' }).waitFor();
    await check();
    expect(errorsOn(p)).toEqual([]);
  });
});
