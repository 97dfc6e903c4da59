// The Imports page in a real browser (Debian's Chromium) against local mode, on a desktop: a
// coordinator picks a Certiport exam-result report, sees its first rows, maps its columns (saved on
// the partner), uploads it, dry-runs it (nothing applied), applies it, follows it to the end and
// downloads the per-row result report; the history lists it. Then the same partner's report as
// an Excel workbook: its first rows previewed in the browser (date cells as dates), read with the
// saved mapping, applied.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWPORTS, errorsOn, expectAccessibleAndFitting, launchChromium, openPage, screenshot, signIn } from '../support/browser.js';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';
import { row, xlsxFile } from '../support/xlsx.js';

let baton: TestBaton;
let browser: Browser;
let page: Page;
let enrollmentId = '';

const REPORT = [
  'Candidate ID,First Name,Email,Exam,Exam Date,Score,Result',
  'C-500,Rae,rae@example.org,IT Specialist: HTML and CSS,03/14/2026,812,Pass',
  'C-501,Sam,sam@example.org,IT Specialist: HTML and CSS,03/14/2026,455,Fail',
].join('\r\n');

beforeAll(async () => {
  [baton, browser] = await Promise.all([startTestBaton(), launchChromium()]);
  enrollmentId = (await baton.enroll({ studentEmail: 'rae@example.org', programId: 'web-dev' })).id;
  ({ page } = await openPage(browser, VIEWPORTS.desktop));
  await signIn(page, baton.url, { demo: 'Admin' });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await baton?.stop();
});

describe('the Imports page', () => {
  it('previews, maps, uploads, dry-runs, applies and reports a completion report', async () => {
    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor();
    await page.getByLabel('Partner', { exact: true }).selectOption('certiport');
    await page.getByLabel(/^File/).setInputFiles({ name: 'exam-results.csv', mimeType: 'text/csv', buffer: Buffer.from(REPORT) });
    const preview = page.getByRole('table', { name: "The file's first rows" });
    await expect.poll(() => preview.textContent()).toContain('rae@example.org');

    await page.getByLabel('Student id at the partner').selectOption('Candidate ID');
    await page.getByLabel('Email', { exact: true }).selectOption('Email');
    await page.getByLabel('Course name').selectOption('Exam');
    await page.getByLabel('Completion date').selectOption('Exam Date');
    await page.getByLabel('Date format').selectOption('MM/DD/YYYY');
    await page.getByLabel('Status (result)').selectOption('Result');
    await page.getByLabel('Score').selectOption('Score');
    await page.getByLabel('Status “Pass” means').selectOption('passed');
    await page.getByLabel('Status “Fail” means').selectOption('ignore');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('Mapping saved.').waitFor();
    await expectAccessibleAndFitting(page);
    await screenshot(page, 'admin-import-mapping-desktop');

    await page.getByRole('button', { name: 'Upload' }).click();
    const run = page.locator('[data-import-run]');
    await run.getByText('Uploaded, not run yet').waitFor();
    await run.getByRole('button', { name: 'Dry run' }).click();
    await expect
      .poll(() => run.getByRole('status').textContent(), { timeout: 20_000 })
      .toMatch(/Dry run — 2 rows · Applied: 1 · Ignored: 1/);
    expect((await baton.enrollment(enrollmentId)).status).toBe('active');

    await run.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => run.getByRole('status').textContent(), { timeout: 20_000 })
      .toMatch(/Applied — 2 rows · Applied: 1 · Ignored: 1/);
    expect((await baton.enrollment(enrollmentId)).status).toBe('completed');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      run.getByRole('button', { name: 'Download the result report' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('exam-results-result.csv');
    const report = readFileSync(await download.path(), 'utf8');
    expect(report).toContain('"2","applied"');
    expect(report).toContain('"3","ignored"');

    const history = page.getByRole('region', { name: 'History' });
    await expect.poll(() => history.textContent()).toContain('exam-results.csv');
    await expectAccessibleAndFitting(page);
    await screenshot(page, 'admin-imports-desktop');
    expect(errorsOn(page)).toEqual([]);
  }, 90_000);

  it('previews an XLSX workbook in the browser and imports it with the saved mapping', async () => {
    const tia = await baton.enroll({ studentEmail: 'tia@example.org', programId: 'web-dev' });
    const workbook = xlsxFile({
      sheets: [
        {
          name: 'Results',
          rows:
            row(1, ['Candidate ID', 'First Name', 'Email', 'Exam', 'Exam Date', 'Score', 'Result']) +
            // The date is a date cell (Excel's m/d/yy style), 46095 days after 1899-12-30.
            row(2, ['C-502', 'Tia', 'tia@example.org', 'IT Specialist: HTML and CSS', [46095, 1], 900, 'Pass']),
        },
      ],
      cellFormats: [0, 14],
    });
    await page.getByLabel(/^File/).setInputFiles({
      name: 'exam-results.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(workbook),
    });
    const preview = page.getByRole('table', { name: "The file's first rows" });
    await expect.poll(() => preview.textContent()).toContain('tia@example.org');
    expect(await preview.textContent()).toContain('2026-03-14');
    // The saved mapping's columns are the workbook's: the editor keeps them selected.
    expect(await page.getByLabel('Completion date').inputValue()).toBe('Exam Date');

    await page.getByRole('button', { name: 'Upload' }).click();
    const run = page.locator('[data-import-run]');
    await run.getByRole('heading', { name: 'exam-results.xlsx' }).waitFor();
    await run.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => run.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/Applied — 1 row · Applied: 1/);
    expect((await baton.enrollment(tia.id)).status).toBe('completed');
    expect(errorsOn(page)).toEqual([]);
  }, 90_000);

  it('offers one status choice per value the import reads alike, whatever its case, keeping what was saved', async () => {
    // Next month's report: the portal wrote the result in capitals on one row.
    const nextMonth = REPORT.replace(',Pass', ',PASS') + '\r\nC-502,Kim,kim@example.org,IT Specialist: HTML and CSS,04/11/2026,790, pass ';
    await page.reload();
    await page.getByLabel('Partner', { exact: true }).selectOption('certiport');
    await page.getByLabel(/^File/).setInputFiles({ name: 'exam-results-april.csv', mimeType: 'text/csv', buffer: Buffer.from(nextMonth) });
    await expect.poll(() => page.getByRole('table', { name: "The file's first rows" }).textContent()).toContain('kim@example.org');
    const choices = page.getByLabel(/^Status “.*” means$/);
    await expect.poll(() => choices.count()).toBe(2);
    // Named as the file spells it; the saved meaning found whatever the case.
    expect(await page.getByLabel('Status “PASS” means').inputValue()).toBe('passed');
    expect(await page.getByLabel('Status “Fail” means').inputValue()).toBe('ignore');
    expect(errorsOn(page)).toEqual([]);
  }, 60_000);
});
