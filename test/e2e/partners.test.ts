// The partner pages in a real browser (Debian's Chromium) against local mode, at desktop and
// phone size with the axe and layout checks: the partner list with each partner's last delivery,
// a new partner created from the Thinkific preset, its secret generated and shown once, a delivery
// verified in the test console, the delivery log filtered, a raw body opened and an unreadable
// delivery replayed after the mapping is fixed, and a partner account moved on the enrollment page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signHmac } from '../../local/partner-webhook-client.js';
import {
  VIEWPORTS,
  errorsOn,
  expectAccessibleAndFitting,
  expectPhonePagesFit,
  launchChromium,
  openPage,
  signIn,
} from '../support/browser.js';
import { post } from '../support/partners.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
let browser: Browser;
let secret = '';

const delivery = (id: string, email: string, course: Record<string, unknown> = { course_id: 68 }) =>
  JSON.stringify({
    id,
    resource: 'enrollment',
    action: 'completed',
    payload: { user: { id: 94, email }, ...course, completed_at: new Date().toISOString() },
  });
const signed = (body: string) => signHmac({ secret, body, header: 'X-Thinkific-Hmac-Sha256', encoding: 'hex' });

beforeAll(async () => {
  [baton, browser] = await Promise.all([startTestBaton(), launchChromium()]);
  // Seed-partner traffic, so the list shows last deliveries.
  await baton.enroll({ studentEmail: 'rae@example.org', programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-RAE' } });
  await baton.complete('hsi', { studentId: 'HSI-RAE', courseId: 'bls-cpr-aed' });
  await baton.complete('certiport', { studentId: 'CP-NOBODY', courseId: 'mos-word' });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await baton?.stop();
});
afterEach(() => expectPhonePagesFit());

async function adminPage(viewport: keyof typeof VIEWPORTS): Promise<Page> {
  const { page } = await openPage(browser, VIEWPORTS[viewport]);
  await signIn(page, baton.url, { demo: 'Admin' });
  return page;
}

describe('partners, as an admin sees them', () => {
  for (const viewport of ['desktop', 'phone'] as const) {
    it(`lists every partner with its scheme and last delivery (${viewport})`, async () => {
      const page = await adminPage(viewport);
      await page.getByRole('link', { name: 'Partners' }).click();
      await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
      const hsi = page.locator('li', { has: page.getByRole('link', { name: 'HSI', exact: true }) });
      await expect.poll(() => hsi.textContent()).toContain('Last delivery');
      expect(await hsi.textContent()).toContain('Applied');
      expect(await page.locator('li', { has: page.getByRole('link', { name: 'Certiport', exact: true }) }).textContent()).toContain(
        'Unmatched',
      );
      await expectAccessibleAndFitting(page, `admin-partners-${viewport}`);
      expect(errorsOn(page)).toEqual([]);
    });
  }

  it('creates a partner from the Thinkific preset, generates a secret shown once, and verifies a pasted delivery', async () => {
    const page = await adminPage('desktop');
    await page.goto(`${baton.url}/admin/partners/new`);
    await page.getByLabel('Id', { exact: true }).fill('acme-academy');
    await page.getByLabel('Name', { exact: true }).fill('Acme Academy');
    await page.getByRole('button', { name: 'Add a course' }).click();
    await page.getByLabel('Course 1 id').fill('68');
    await page.getByLabel('Course 1 name').fill('Forklift Safety');
    await page.getByLabel('Start from a preset').selectOption('thinkific');
    expect(await page.getByLabel('Header', { exact: true }).inputValue()).toBe('x-thinkific-hmac-sha256');
    expect(await page.getByLabel('Course id', { exact: true }).inputValue()).toBe('/payload/course_id');
    await page.getByRole('button', { name: 'Create partner' }).click();

    await page.waitForURL(`${baton.url}/admin/partners/acme-academy`);
    await page.getByRole('heading', { level: 1, name: 'Acme Academy' }).waitFor();
    expect(await page.getByText('No secret yet').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Generate a secret' }).click();
    const shown = page.getByLabel('The new secret');
    await shown.waitFor();
    secret = (await shown.textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await expect.poll(() => page.locator('.secret-row').count()).toBe(1);

    const request = signed(delivery('evt-console', 'nobody@example.org'));
    await page.getByLabel('Headers, one "Name: value" a line').fill(
      Object.entries(request.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
    await page.getByLabel('Raw body').fill(request.body);
    await page.getByRole('button', { name: 'Test this delivery' }).click();
    const result = page.locator('.console-result');
    await expect.poll(() => result.textContent()).toContain('Verified');
    expect(await result.textContent()).toContain('Would be unmatched');
    await expectAccessibleAndFitting(page, 'admin-partner-editor-desktop');
    // Reloading shows no value any more: only the secret's id.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Acme Academy' }).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('shows the partner editor on a phone', async () => {
    const page = await adminPage('phone');
    await page.goto(`${baton.url}/admin/partners/acme-academy`);
    await page.getByRole('heading', { level: 1, name: 'Acme Academy' }).waitFor();
    await expectAccessibleAndFitting(page, 'admin-partner-editor-phone');
  });

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`filters the delivery log, shows a raw body, and replays an unreadable delivery once the mapping is fixed (${viewport})`, async () => {
      const id = `evt-unreadable-${viewport}`;
      // This delivery nests the course: the preset's mapping cannot read it.
      expect((await post(baton, 'acme-academy', signed(delivery(id, 'ana@example.org', { course: { id: 68 } })))).body).toEqual({
        status: 'ignored',
      });
      const page = await adminPage(viewport);
      await page.goto(`${baton.url}/admin/partners/acme-academy/deliveries`);
      await page.getByLabel('Outcome').selectOption('ignored');
      const card = page.locator('li.event', { hasText: id });
      await card.waitFor();
      expect(await card.textContent()).toContain('courseId (/payload/course_id) is missing from the body');
      await card.getByText(/Raw body and headers/).click();
      await expect.poll(() => card.locator('pre').last().textContent()).toContain('"course"');
      await expectAccessibleAndFitting(page, `admin-delivery-log-${viewport}`);

      await baton.api('PUT', '/api/admin/partners/acme-academy', {
        as: ADMIN,
        body: {
          name: 'Acme Academy',
          courses: [{ courseId: '68', name: 'Forklift Safety' }],
          webhook: {
            verification: { scheme: 'hmac-sha256', header: 'X-Thinkific-Hmac-Sha256', encoding: 'hex' },
            deliveryId: { pointer: '/id' },
            format: 'mapped',
            mapping: {
              eventType: '/action',
              eventTypes: { completed: 'completed' },
              email: '/payload/user/email',
              courseId: '/payload/course/id',
            },
          },
        },
      });
      await card.getByRole('button', { name: new RegExp(`^Replay delivery ${id}`) }).click();
      await expect.poll(() => card.getByRole('status').textContent()).toContain('Replayed: unmatched');
      await expectAccessibleAndFitting(page);
      // Put the preset's mapping back for the next size.
      await baton.api('PUT', '/api/admin/partners/acme-academy', {
        as: ADMIN,
        body: {
          name: 'Acme Academy',
          courses: [{ courseId: '68', name: 'Forklift Safety' }],
          webhook: {
            verification: { scheme: 'hmac-sha256', header: 'X-Thinkific-Hmac-Sha256', encoding: 'hex' },
            deliveryId: { pointer: '/id' },
            format: 'mapped',
            mapping: {
              eventType: '/action',
              eventTypes: { completed: 'completed' },
              email: '/payload/user/email',
              courseId: '/payload/course_id',
            },
          },
        },
      });
    });
  }
});

describe('correcting a partner account on the enrollment page', () => {
  for (const viewport of ['desktop', 'phone'] as const) {
    it(`moves an account to the right student and reverts what it completed for the wrong one (${viewport})`, async () => {
      const wrong = await baton.enroll({ studentEmail: `wrong-${viewport}@example.org`, programId: 'cna' });
      await baton.enroll({ studentEmail: `right-${viewport}@example.org`, programId: 'cna' });
      const account = `HSI-MOVE-${viewport}`;
      expect(
        (await baton.complete('hsi', { studentId: account, email: `wrong-${viewport}@example.org`, courseId: 'bls-cpr-aed' })).body,
      ).toEqual({ status: 'applied' });
      const page = await adminPage(viewport);
      await page.goto(`${baton.url}/admin/enrollments/${wrong.id}`);
      const accounts = page.getByRole('region', { name: 'Partner accounts' });
      await accounts.getByRole('button', { name: new RegExp(`^Move HSI account ${account}`) }).click();
      await accounts.getByLabel(`Move HSI account ${account} to the student with email`).fill(`right-${viewport}@example.org`);
      await accounts.getByLabel('Why move it (required, kept on both students)').fill('HSI confirmed the account');
      await accounts.getByRole('button', { name: 'Move account' }).click();
      await expect.poll(() => accounts.textContent()).toContain('decide for each');
      await accounts.getByRole('button', { name: /^Revert for/ }).click();
      await accounts.getByLabel('Reason (required, on the timeline)').fill('Completed by the other student');
      await accounts.getByRole('button', { name: 'Reopen the step' }).click();
      await expect.poll(() => accounts.textContent()).toContain('reopened for');
      await expect.poll(async () => (await baton.enrollment(wrong.id)).steps[0].status).toBe('in_progress');
      await expect
        .poll(() => page.locator('.timeline').last().textContent())
        .toContain('reopened by admin@test.com: Completed by the other student');
      await expectAccessibleAndFitting(page, `admin-partner-accounts-${viewport}`);
    });
  }
});
