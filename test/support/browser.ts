// Browser tests drive Debian's Chromium through playwright-core: one browser per test file,
// contexts for the desktop and phone sizes, an axe-core check, and screenshots.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import jsQR from 'jsqr';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO_ROOT } from '../../local/baton.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
export const VIEWPORTS = { desktop: DESKTOP, phone: PHONE } as const;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A context whose pages fail the test on any uncaught error in the site. */
export async function newContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC' });
  context.on('page', (page) => watchPage(page));
  return context;
}

/** A fresh context and page at this size; failing actions give up after 10 s. */
export async function openPage(browser: Browser, options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** The checks every page passes: axe with no serious or critical violations, nothing wider than the screen. */
export async function expectAccessibleAndFitting(page: Page, screenshotName?: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await overflowsHorizontally(page)).toBe(false);
  if (screenshotName) await screenshot(page, screenshotName);
}

const pageErrors = new WeakMap<Page, string[]>();
function watchPage(page: Page) {
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
}

/** Uncaught errors the site threw on this page so far (a test asserts there are none). */
export function errorsOn(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

export interface A11yViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<A11yViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const r = await run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True when the page is wider than its viewport (something does not fit a phone screen). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/**
 * Screenshots go to .test-artifacts/screenshots on every run; SCREENSHOT_DIR=docs/screenshots
 * (`npm run screenshots`) refreshes the ones README shows.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = resolve(REPO_ROOT, process.env.SCREENSHOT_DIR ?? join('.test-artifacts', 'screenshots'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', scale: 'css' });
  return path;
}

/** Decodes a QR code drawn on the page (an <svg> or <img>) by rasterizing it in the browser. */
export async function decodeQr(element: Locator): Promise<string | undefined> {
  const pixels = await element.evaluate(async (node) => {
    const svg = new XMLSerializer().serializeToString(node);
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    await image.decode();
    const size = 240;
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size, size);
    context.drawImage(image, 0, 0, size, size);
    // RGBA bytes as a binary string: far faster through the DevTools protocol than a number array.
    const bytes = context.getImageData(0, 0, size, size).data;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { binary, size };
  });
  return jsQR(Uint8ClampedArray.from(Buffer.from(pixels.binary, 'latin1')), pixels.size, pixels.size)?.data;
}

/** Signs in through the local-mode sign-in page, as a demo account (by name) or any email. */
export async function signIn(page: Page, baseUrl: string, who: { demo: string } | { email: string }) {
  await page.goto(`${baseUrl}/sign-in`);
  if ('demo' in who) {
    await page.getByRole('button', { name: `Sign in as ${who.demo}` }).click();
  } else {
    await page.getByLabel('Email').fill(who.email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}
