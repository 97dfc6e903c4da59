// Certificates in a real browser (Debian's Chromium) against local mode: an admin sets the
// organization (name, SVG logo, signatory) and it shows in the header; a student sees their
// certificates, with expiry and the credential; the public verification page says who issued it
// and checks the credential's signature in the browser; an admin revokes a certificate (reason,
// confirmation) and the page flips; the expiring list and the warning before re-enrolling.
// Accessibility (axe) and layout at both sizes on every page shown.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { LOGO_SVG, signaturePng } from '../support/images.js';
import { saveProgram } from '../support/programs.js';
import { VIEWPORTS, expectAccessibleAndFitting, expectPhonePagesFit, launchChromium, openPage, signIn } from '../support/browser.js';

const DAY_MS = 24 * 3600 * 1000;
const STUDENT = 'zoe@example.org';
let baton: TestBaton;
let browser: Browser;
// Local mode's clock starts at the real time (the browser checks tokens against it) and moves forward.
let now = Date.now();
const day = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
const expiresOn = async (id: string) => day((await baton.api('GET', `/api/certificates/${id}`)).body.expiresAt);
let certificateId: string;
let enrollmentId: string;

async function completeBls(email: string, name: string, account: string) {
  const enrollment = await baton.enroll({
    studentEmail: email,
    studentName: name,
    programId: 'bls-provider',
    partnerAccounts: { hsi: account },
  });
  await baton.complete('hsi', { studentId: account, courseId: 'bls-cpr-aed' });
  return (await baton.enrollment(enrollment.id)) as { id: string; certificate: { id: string } };
}

beforeAll(async () => {
  [baton, browser] = await Promise.all([startTestBaton({ clock: { now: () => new Date(now) } }), launchChromium()]);
  await saveProgram(baton, {
    id: 'bls-provider',
    name: 'BLS Provider',
    category: 'Healthcare',
    certificateValidityMonths: 24,
    steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS, CPR, AED & First Aid' }],
  } as never);
});
afterAll(async () => {
  await browser?.close();
  await baton?.stop();
});
afterEach(() => expectPhonePagesFit());

describe('the admin sets up the organization', () => {
  let page: Page;
  beforeAll(async () => {
    ({ page } = await openPage(browser, VIEWPORTS.desktop));
    await signIn(page, baton.url, { demo: 'Admin' });
  });

  it('saves the name, a logo, contacts and the signatory, and the header shows them', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Organization settings' }).waitFor();
    await page.getByLabel('Organization name').fill('Northwind Health Academy');
    await page.getByLabel('Website').fill('https://northwind.example.org');
    await page.getByLabel('Support email').fill('help@northwind.example.org');
    await page.getByLabel('Logo').setInputFiles({ name: 'northwind.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO_SVG) });
    await page.getByText('New: northwind.svg').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Dr. Amara Okafor');
    await page.getByLabel('Title', { exact: true }).fill('Director of Training');
    await page
      .getByLabel('Signature image (optional)')
      .setInputFiles({ name: 'signature.png', mimeType: 'image/png', buffer: Buffer.from(signaturePng()) });
    await page.getByRole('button', { name: 'Save settings' }).click();

    await expect.poll(() => page.getByText(/^Saved\./).isVisible()).toBe(true);
    await expect.poll(() => page.locator('.brand-name').textContent()).toBe('Northwind Health Academy');
    await expect
      .poll(() => page.locator('.brand-logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await expect.poll(() => page.getByText(/SVG, \d+ KB, 800×\d+/).isVisible()).toBe(true);
    const saved = (await baton.api('GET', '/api/admin/settings', { as: ADMIN })).body;
    expect(saved).toMatchObject({ organizationName: 'Northwind Health Academy', signatory: { name: 'Dr. Amara Okafor' }, version: 1 });
  });

  it('says what is wrong with an image that is not PNG or SVG, and saves nothing', async () => {
    await page
      .getByLabel('Logo')
      .setInputFiles({ name: 'logo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a-not-an-allowed-image') });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('must be a PNG or an SVG image');
    expect((await baton.api('GET', '/api/admin/settings', { as: ADMIN })).body.version).toBe(1);
  });
});

describe('certificates for the student and for employers', () => {
  beforeAll(async () => {
    const done = await completeBls(STUDENT, 'Zoë Ångström-Nguyễn', 'HSI-ZOE');
    certificateId = done.certificate.id;
    enrollmentId = done.id;
  });

  it('lists the student’s certificate with its expiry and the credential download', async () => {
    const { page, context } = await openPage(browser, VIEWPORTS.phone);
    await signIn(page, baton.url, { email: STUDENT });
    const history = page.getByRole('region', { name: 'My certificates' });
    await history.waitFor();
    await expect.poll(() => history.textContent()).toContain(`expires ${await expiresOn(certificateId)}`);
    expect(await history.getByText('Valid').count()).toBe(1);
    const credential = page.getByRole('link', { name: 'Digital credential (.jwt)' });
    expect(await credential.getAttribute('href')).toBe(`${baton.url}/api/certificates/${certificateId}/credential`);
    await context.close();
  });

  it('shows an employer who issued it, its courses and expiry, and that its credential verifies', async () => {
    const { page, context } = await openPage(browser, VIEWPORTS.desktop);
    await page.goto(`${baton.url}/verify/${certificateId}`);
    await page.getByText('Valid certificate').waitFor();
    await expect.poll(() => page.locator('.verify-status').textContent()).toContain('Northwind Health Academy issued this certificate');
    const issuedBy = page.locator('dl.fields div', { hasText: 'Issued by' }).getByRole('link', { name: 'Northwind Health Academy' });
    expect(await issuedBy.getAttribute('href')).toBe('https://northwind.example.org');
    await expect.poll(() => page.getByText('Credential verified.').isVisible()).toBe(true);
    expect(await page.getByText('its status list does not mark it revoked').count()).toBe(1);
    expect(await page.locator('dl.fields div', { hasText: 'Expires' }).textContent()).toContain(await expiresOn(certificateId));
    await context.close();
  });

  it('lets an admin revoke it with a reason and a confirmation; the verification page and the credential check then say revoked', async () => {
    now += DAY_MS;
    const { page, context } = await openPage(browser, VIEWPORTS.desktop);
    await signIn(page, baton.url, { demo: 'Admin' });
    await page.goto(`${baton.url}/admin/enrollments/${enrollmentId}`);
    await page.getByRole('button', { name: 'Revoke certificate' }).click();
    await page.getByLabel(/Why is this certificate revoked/).fill('Issued in error: wrong student');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alertdialog').waitFor();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke certificate' }).click();
    await expect.poll(() => page.locator('#certificate-heading + p').textContent()).toContain('Revoked');
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('revoked by admin@test.com: Issued in error');

    await page.goto(`${baton.url}/verify/${certificateId}`);
    await page.getByText('Revoked certificate').waitFor();
    await expect.poll(() => page.getByText('its status list marks it revoked').isVisible()).toBe(true);
    expect(await page.content()).not.toContain('Issued in error');
    await context.close();
  });
});

describe('expiring certificates and recertification', () => {
  let page: Page;
  let samExpires: number;
  beforeAll(async () => {
    const sam = await completeBls('sam@example.org', 'Sam Okoro', 'HSI-SAM');
    samExpires = Date.parse((await baton.api('GET', `/api/certificates/${sam.certificate.id}`)).body.expiresAt);
    ({ page } = await openPage(browser, VIEWPORTS.desktop));
    await signIn(page, baton.url, { demo: 'Admin' });
  });

  it('lists the certificates expiring within the window, with a link to enroll in the renewal', async () => {
    now = samExpires - 45 * DAY_MS;
    await baton.runSchedules();
    await signIn(page, baton.url, { demo: 'Admin' });
    await page.goto(`${baton.url}/admin/certificates`);
    const row = page.getByRole('row', { name: /Sam Okoro/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('60-day sent');
    await row.getByRole('link', { name: 'Enroll in BLS Provider' }).click();
    await page.waitForURL(/\/admin\/enroll\?email=sam%40example.org&program=bls-provider/);
  });

  it('warns before enrolling someone who holds a valid certificate of the program', async () => {
    await expect.poll(() => page.getByText('Sam Okoro already holds a valid BLS Provider certificate').isVisible()).toBe(true);
  });
});

describe('partner credentials with their own expiry', () => {
  it('shows the HSI card’s expiry the partner sent with the completion on the student’s enrollment', async () => {
    await baton.enroll({
      studentEmail: 'kai@example.org',
      studentName: 'Kai Tanaka',
      programId: 'bls-provider',
      partnerAccounts: { hsi: 'HSI-KAI' },
    });
    const sent = await baton.webhook(
      'hsi',
      JSON.stringify({ event: 'course.completed', student_id: 'HSI-KAI', course_id: 'bls-cpr-aed', credential_expires_at: '2031-05-31' }),
    );
    expect(sent.body).toEqual({ status: 'applied' });
    const { page, context } = await openPage(browser, VIEWPORTS.phone);
    await signIn(page, baton.url, { email: 'kai@example.org' });
    await expect.poll(() => page.getByText('HSI credential expires May 31, 2031').isVisible()).toBe(true);
    await expectAccessibleAndFitting(page);
    await context.close();
  });
});

describe.each(Object.entries(VIEWPORTS))('certificate pages at %s size', (size, viewport) => {
  let page: Page;
  beforeAll(async () => {
    ({ page } = await openPage(browser, viewport));
  });
  const check = (shot?: string) => expectAccessibleAndFitting(page, shot && `${shot}-${size}`);

  it('organization settings', async () => {
    await signIn(page, baton.url, { demo: 'Admin' });
    await page.goto(`${baton.url}/admin/settings`);
    await page.getByRole('heading', { name: 'Organization settings' }).waitFor();
    await check('admin-settings');
  });

  it('certificates expiring', async () => {
    await page.goto(`${baton.url}/admin/certificates`);
    await page.getByRole('row', { name: /Sam Okoro/ }).waitFor();
    await check('admin-certificates');
  });

  it('revoke confirmation', async () => {
    const sam = (await baton.api('GET', '/api/admin/enrollments?q=sam@example.org', { as: ADMIN })).body.enrollments[0];
    await page.goto(`${baton.url}/admin/enrollments/${sam.id}`);
    await page.getByRole('button', { name: 'Revoke certificate' }).click();
    await page.getByLabel(/Why is this certificate revoked/).fill('Checking the layout');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alertdialog').waitFor();
    await check();
    await page.getByRole('button', { name: 'Keep the certificate' }).click();
  });

  it('verification of a valid certificate, issued by the organization', async () => {
    const sam = (await baton.api('GET', '/api/admin/enrollments?q=sam@example.org', { as: ADMIN })).body.enrollments[0];
    await page.goto(`${baton.url}/verify/${sam.certificateId}`);
    await page.getByText('Credential verified.').waitFor();
    await check('verification-issued-by');
  });

  it('verification of a revoked certificate', async () => {
    await page.goto(`${baton.url}/verify/${certificateId}`);
    await page.getByText('its status list marks it revoked').waitFor();
    await check('verification-revoked');
  });

  it('the student’s certificates', async () => {
    const student = await openPage(browser, viewport);
    await signIn(student.page, baton.url, { email: STUDENT });
    await student.page.getByRole('region', { name: 'My certificates' }).waitFor();
    await expectAccessibleAndFitting(student.page, `student-certificates-${size}`);
    await student.context.close();
  });
});
