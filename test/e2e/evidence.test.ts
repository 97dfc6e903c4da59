// Evidence in a real browser (Debian's Chromium) against local mode: the student, on a phone,
// submits proof for their step (a "PDF" that is really a web page is refused and they see why,
// then a real PDF goes through); an admin opens the Evidence queue, the file's link, approves it,
// and the student's step is completed; a rejection's reason reaches the student; a partner whose
// editor turns evidence off shows no form. Accessibility and fit at both sizes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';
import {
  DESKTOP,
  PHONE,
  errorsOn,
  expectAccessibleAndFitting,
  expectPhonePagesFit,
  launchChromium,
  openPage,
  signIn,
} from '../support/browser.js';

let baton: TestBaton;
let browser: Browser;
let student: Page;
let admin: Page;
let enrollmentId: string;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const HTML_AS_PDF = Buffer.from('<!DOCTYPE html><html><body><h1>Totally a certificate</h1></body></html>');

beforeAll(async () => {
  [baton, browser] = await Promise.all([startTestBaton(), launchChromium()]);
  ({ page: student } = await openPage(browser, PHONE));
  ({ page: admin } = await openPage(browser, DESKTOP));
  enrollmentId = (await baton.enroll({ studentEmail: STUDENT, programId: 'medical-assistant' })).id;
  await signIn(student, baton.url, { demo: 'John Student' });
  await signIn(admin, baton.url, { demo: 'Admin' });
});
afterAll(async () => {
  await browser?.close();
  await baton?.stop();
});
afterEach(() => expectPhonePagesFit());

/** The student comes back to the tab: the page reloads its data itself. */
const returnToTab = (page: Page) => page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
const stepStatuses = () => student.locator('li.step .status').allTextContents();
const firstStep = () => student.locator('li.step').first();

async function fillProof(page: Page, reference: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByLabel('Card, certificate or candidate number').fill(reference);
  await page.getByLabel('Completion date').fill('2026-10-28');
  await page.getByLabel('Expiry date (if it has one)').fill('2028-10-28');
  await page.getByLabel(/Photo or scan/).setInputFiles(file);
}

describe('the student submits proof on a phone', () => {
  it('offers "Submit proof" on the step in progress only, with a form that fits the phone', async () => {
    await student.goto(`${baton.url}/student/progress`);
    await expect.poll(stepStatuses).toEqual(['In progress', 'Not started', 'Not started']);
    const buttons = student.getByRole('button', { name: /^Submit proof/ });
    expect(await buttons.count()).toBe(1);
    await buttons.click();
    await expect.poll(() => student.getByRole('form', { name: /Submit proof: BLS/ }).isVisible()).toBe(true);
    await expectAccessibleAndFitting(student, 'evidence-student-form-phone');
  });

  it('a "PDF" that is really a web page is refused: the student sees why, and nothing completes', async () => {
    await fillProof(student, 'HSI-CARD-1', { name: 'card.pdf', mimeType: 'application/pdf', buffer: HTML_AS_PDF });
    await student.getByRole('button', { name: 'Send proof' }).click();
    await expect.poll(() => student.getByRole('alert').first().textContent()).toContain('looks like a web page');
    await expect.poll(() => firstStep().getByText('was not accepted').isVisible()).toBe(true);
    expect(await firstStep().textContent()).toContain('The file was refused');
    expect(await stepStatuses()).toEqual(['In progress', 'Not started', 'Not started']);
  });

  it('a real PDF goes through and the step says it is waiting for review', async () => {
    await firstStep().getByLabel('Card, certificate or candidate number').fill('');
    await fillProof(student, 'HSI-CARD-2', { name: 'card.pdf', mimeType: 'application/pdf', buffer: PDF });
    await student.getByRole('button', { name: 'Send proof' }).click();
    await expect.poll(() => firstStep().getByText('Your proof is waiting for review').isVisible()).toBe(true);
    expect(await student.getByRole('button', { name: /^Submit proof/ }).count()).toBe(0);
    await expect.poll(() => student.getByText('proof submitted (reference HSI-CARD-2)').first().isVisible()).toBe(true);
    await expectAccessibleAndFitting(student, 'evidence-student-waiting-phone');
    expect(errorsOn(student)).toEqual([]);
  });
});

describe('the admin reviews the Evidence queue', () => {
  it('finds it in the navigation, opens the file through its link and approves it', async () => {
    await admin.goto(`${baton.url}/admin/dashboard`);
    await admin.getByRole('link', { name: 'Evidence', exact: true }).click();
    await admin.waitForURL(`${baton.url}/admin/evidence`);
    const card = admin.locator('li.card', { hasText: 'HSI-CARD-2' });
    await expect.poll(() => card.isVisible()).toBe(true);
    expect(await admin.locator('li.card', { hasText: 'HSI-CARD-1' }).count()).toBe(0);
    const href = await card.getByRole('link', { name: /Open the PDF/ }).getAttribute('href');
    const file = await fetch(href!);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
    await expectAccessibleAndFitting(admin, 'evidence-queue');

    await card.getByRole('button', { name: /^Approve/ }).click();
    await admin.getByLabel(/Note for the record/).fill('Card number checked on the Otis portal');
    await admin.getByRole('button', { name: 'Approve and complete the step' }).click();
    await expect.poll(() => admin.getByText(/Approved the proof of/).isVisible()).toBe(true);
    await expect.poll(() => admin.getByText('Nothing to review').isVisible()).toBe(true);
    await baton.drain();

    await returnToTab(student);
    await expect.poll(stepStatuses).toEqual(['Completed', 'In progress', 'Not started']);
    expect(await firstStep().textContent()).toContain(
      'Completed on the student’s proof (reference HSI-CARD-2), approved by admin@test.com',
    );
    expect(await firstStep().textContent()).toContain('credential expires');
    expect(await student.locator('body').textContent()).not.toContain('Otis portal');
  });

  it('rejects proof with a reason, which the student sees on their step, and they may submit again', async () => {
    const submitted = await baton.api('POST', `/api/enrollments/${enrollmentId}/evidence`, {
      as: STUDENT,
      body: { sequence: 2, partnerId: 'certiport', reference: 'CP-WRONG', completedAt: '2026-10-29' },
    });
    expect(submitted.status).toBe(201);
    await admin.reload();
    const card = admin.locator('li.card', { hasText: 'CP-WRONG' });
    await card.getByRole('button', { name: /^Reject/ }).click();
    await admin.getByLabel('Why it is rejected (the student sees this)').fill('This candidate number belongs to another exam');
    await admin.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => admin.getByText(/Rejected the proof of/).isVisible()).toBe(true);

    await returnToTab(student);
    const second = student.locator('li.step').nth(1);
    await expect.poll(() => second.getByText('This candidate number belongs to another exam').isVisible()).toBe(true);
    expect(await second.getByRole('button', { name: /Submit proof again/ }).isVisible()).toBe(true);
  });

  it('a partner whose editor turns evidence off shows the student no form', async () => {
    await admin.goto(`${baton.url}/admin/partners/certiport`);
    const box = admin.getByLabel('Students may submit proof of completion');
    await expect.poll(() => box.isChecked()).toBe(true);
    await box.uncheck();
    await admin.getByRole('button', { name: /^Save/ }).click();
    await expect
      .poll(async () => (await baton.api('GET', '/api/admin/partners/certiport', { as: ADMIN })).body.studentEvidence)
      .toBe(false);

    await returnToTab(student);
    const second = student.locator('li.step').nth(1);
    await expect.poll(() => second.getByRole('button', { name: /Submit proof/ }).count()).toBe(0);
    // The earlier rejection stays visible.
    expect(await second.getByText('was not accepted').isVisible()).toBe(true);
  });
});
