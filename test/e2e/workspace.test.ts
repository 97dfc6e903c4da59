// The staff workspace in a real browser against local mode: the pipeline's counts opening the
// lists they count, the enrollment list's filters kept in the URL and paged, an export of a list
// downloaded, event endpoints registered (the secret shown once), pinged and their delivery log
// read, the unmatched count in the navigation, and a viewer who sees all of it but no action.
// Accessibility and phone layout are checked on every page, and the screenshots are written here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';
import { DESKTOP, VIEWPORTS, errorsOn, expectAccessibleAndFitting, launchChromium, openPage, signIn } from '../support/browser.js';

let baton: TestBaton;
let browser: Browser;
let receiver: Server;
let receiverUrl: string;
const received: string[] = [];

beforeAll(async () => {
  [baton, browser] = await Promise.all([startTestBaton({ outboundAllowLoopback: true }), launchChromium()]);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(body);
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/baton`;
  const people = ['Amara Okoye', 'Bruno Silva', 'Chen Wei', 'Dina Haddad', 'Emil Novak', 'Farah Khan', 'Goran Ilic'];
  for (const [i, name] of people.entries()) {
    await baton.enroll({
      studentEmail: `${name.split(' ')[0]!.toLowerCase()}@workspace.example`,
      studentName: name,
      programId: i % 2 === 0 ? 'cna' : 'medical-assistant',
      partnerAccounts: { hsi: `HSI-W${i}` },
    });
  }
  await baton.complete('hsi', { studentId: 'HSI-W1', courseId: 'bls-cpr-aed' });
  await baton.complete('hsi', { studentId: 'HSI-NOBODY', courseId: 'bls-cpr-aed' });
  await baton.drain();
}, 120_000);
afterAll(async () => {
  await Promise.all([baton?.stop(), browser?.close(), new Promise((r) => receiver?.close(r))]);
});

describe('as an admin', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ context, page } = await openPage(browser, DESKTOP));
    await signIn(page, baton.url, { demo: 'Admin' });
  });
  afterAll(() => context?.close());

  it('shows the unmatched inbox count in the navigation', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect.poll(() => nav.getByRole('link', { name: /Unmatched events/ }).textContent()).toContain('1');
  });

  it('opens the list a pipeline tile counts, with its filter in the URL', async () => {
    await page.goto(`${baton.url}/admin/dashboard`);
    await page.getByRole('link', { name: /Active enrollments/ }).click();
    await page.waitForURL(/\/admin\/enrollments\?status=active$/);
    await expect.poll(() => page.locator('.result-title').count()).toBe(7);
    expect(await page.getByLabel('Status').inputValue()).toBe('active');
  });

  it('opens the students at a partner in a step status from the partner counts', async () => {
    await page.goto(`${baton.url}/admin/dashboard`);
    await page.getByRole('link', { name: /completed at HSI: list them/ }).click();
    await page.waitForURL(/partnerId=hsi&stepStatus=completed/);
    await expect.poll(() => page.locator('.result-title').allTextContents()).toEqual(['Bruno Silva, Medical Assistant']);
  });

  it('filters by program, order and any part of a name, and keeps the filters in the URL', async () => {
    await page.goto(`${baton.url}/admin/enrollments`);
    await page.getByLabel('Program').selectOption('cna');
    await page.getByLabel('Order').selectOption('created_asc');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/programId=cna/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('created_asc');
    await expect
      .poll(() => page.locator('.result-title').allTextContents())
      .toEqual(['Amara Okoye, CNA', 'Chen Wei, CNA', 'Emil Novak, CNA', 'Goran Ilic, CNA']);
    await page.goto(`${baton.url}/admin/enrollments?sort=created_asc`);
    await expect.poll(() => page.locator('.result-title').count()).toBe(7);
    await page.getByLabel('Name or email contains').fill('NOVAK');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.locator('.result-title').allTextContents()).toEqual(['Emil Novak, CNA']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('NOVAK');
  });

  it('exports the list it shows, and downloads the CSV when it is ready', async () => {
    await page.goto(`${baton.url}/admin/enrollments?programId=medical-assistant`);
    await page.getByRole('button', { name: 'Export this list (CSV)' }).click();
    await page.waitForURL(/\/admin\/exports\?started=/);
    await page.getByRole('button', { name: /Download CSV/ }).waitFor();
    expect(await page.locator('[data-export]').first().textContent()).toContain('Ready: 3 rows');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /Download CSV/ })
        .first()
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^baton-enrollments-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('registers an event endpoint, shows its secret once, pings it and shows the delivery', async () => {
    await page.goto(`${baton.url}/admin/event-endpoints`);
    await page.getByLabel('URL (https)').fill(receiverUrl);
    await page.getByLabel('Description (optional)').fill('Case management system');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await expect.poll(() => page.locator('[data-secret]').textContent()).toMatch(/^whsec_/);
    const endpoint = page.locator('[data-endpoint]').first();
    await endpoint.getByRole('button', { name: 'Send a test ping' }).click();
    await expect.poll(() => received.map((b) => JSON.parse(b).type)).toContain('baton.test');
    await endpoint.getByRole('button', { name: 'Deliveries' }).click();
    await expect.poll(() => endpoint.locator('tbody tr').first().textContent()).toContain('delivered');
    await page.reload();
    expect(await page.locator('[data-secret]').count()).toBe(0);
  });

  it('threw no uncaught errors in the site', () => {
    expect(errorsOn(page)).toEqual([]);
  });
});

describe('as a viewer', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ context, page } = await openPage(browser, DESKTOP));
    await signIn(page, baton.url, { demo: 'Viewer' });
  });
  afterAll(() => context?.close());

  it('sees the pipeline, the lists, an enrollment and exports, with no action to take', async () => {
    expect(new URL(page.url()).pathname).toBe('/admin/dashboard');
    const nav = page.getByRole('navigation', { name: 'Main' });
    // The unmatched count loads after the navigation renders: wait for it before reading the links.
    await nav.getByRole('link', { name: /1 waiting/ }).waitFor();
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Pipeline', 'Enrollments', 'Unmatched events1, 1 waiting', 'Exports']);
    await page.goto(`${baton.url}/admin/enrollments?status=active`);
    await page.getByRole('link', { name: /Bruno Silva/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Bruno Silva' }).waitFor();
    expect(await page.getByRole('button', { name: /Waive|Mark complete|Cancel enrollment/ }).count()).toBe(0);
    await page.goto(`${baton.url}/admin/unmatched`);
    await page.locator('.event').first().waitFor();
    expect(await page.getByRole('button', { name: /Link and re-apply|Dismiss/ }).count()).toBe(0);
  });

  it('is told that the pages that change things are for admins', async () => {
    for (const path of ['/admin/event-endpoints', '/admin/enroll']) {
      await page.goto(`${baton.url}${path}`);
      await page.getByRole('heading', { name: 'This page is for program admins' }).waitFor();
    }
  });
});

describe.each(Object.entries(VIEWPORTS))('workspace pages at %s size', (size, viewport) => {
  let context: BrowserContext;
  let p: Page;
  beforeAll(async () => {
    ({ context, page: p } = await openPage(browser, viewport));
    await signIn(p, baton.url, { demo: 'Admin' });
  });
  afterAll(() => context?.close());
  const check = (shot?: string) => expectAccessibleAndFitting(p, shot && `${shot}-${size}`);

  it('enrollment list with filters', async () => {
    await p.goto(`${baton.url}/admin/enrollments?status=active&sort=updated`);
    await p.locator('.result-title').first().waitFor();
    await check('admin-enrollment-list');
  });

  it('exports', async () => {
    await p.goto(`${baton.url}/admin/exports`);
    await p.getByRole('heading', { name: 'Certificates issued in a date range' }).waitFor();
    await check('admin-exports');
  });

  it('event endpoints with a delivery log open', async () => {
    await p.goto(`${baton.url}/admin/event-endpoints`);
    const endpoint = p.locator('[data-endpoint]').first();
    await endpoint.getByRole('button', { name: 'Deliveries' }).click();
    await endpoint.locator('tbody tr').first().waitFor();
    await check('admin-event-endpoints');
  });
});
