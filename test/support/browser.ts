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

/** Phone-sized pages still open: expectPhonePagesFit() checks each (e2e files run it after every test). */
const phonePages = new Set<Page>();

/** A fresh context and page at this size; failing actions give up after 10 s. */
export async function openPage(browser: Browser, options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  if ((options.viewport?.width ?? Infinity) <= PHONE.viewport!.width) {
    phonePages.add(page);
    page.on('close', () => phonePages.delete(page));
  }
  return { context, page };
}

/** The checks every page passes: axe with no serious or critical violations, nothing wider than its panel or the screen. */
export async function expectAccessibleAndFitting(page: Page, screenshotName?: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await expectFits(page);
  if (screenshotName) await screenshot(page, screenshotName);
}

/** Fails when the page does not fit its width: see layoutOverflow(). */
export async function expectFits(page: Page): Promise<void> {
  expect(await layoutOverflow(page), `layout of ${new URL(page.url()).pathname} at ${page.viewportSize()?.width} px`).toEqual([]);
}

/** Runs expectFits() on every phone-sized page still open, as it is now (call it after each test). */
export async function expectPhonePagesFit(): Promise<void> {
  for (const page of phonePages) if (!page.isClosed()) await expectFits(page);
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

/**
 * Boxes the site paints as a card or a panel: what is inside one must stay inside it.
 * (A scrolling or clipping element inside a panel, such as a progress track, keeps its own content.)
 */
const PANELS = [
  '.card',
  '.certificate-panel',
  '.certificate',
  '.notice',
  '.empty',
  '.override-form',
  '.table-wrap',
  '.tile',
  '.account',
  'fieldset',
  '.step-in_progress .step-body',
].join(', ');

/**
 * What does not fit the page's width, in words (empty when everything fits): the document
 * scrolling horizontally, and every visible element whose box reaches beyond the card or panel it
 * is in, or beyond the viewport. Overflow hidden by a clipping or scrolling element inside the
 * panel does not count; overflow clipped by the panel itself (cut off) does.
 */
export async function layoutOverflow(page: Page): Promise<string[]> {
  return page.evaluate((panelSelector) => {
    const TOLERANCE = 1;
    const problems: string[] = [];
    const viewport = window.innerWidth;
    const doc = document.documentElement;
    if (doc.scrollWidth > viewport + TOLERANCE)
      problems.push(`the document scrolls horizontally: ${doc.scrollWidth} px wide in a ${viewport} px viewport`);

    const describe = (el: Element) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const classes = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `<${el.tagName.toLowerCase()}${classes}>${text ? ` "${text}"` : ''}`;
    };
    const clips = (el: Element) => getComputedStyle(el).overflowX !== 'visible';

    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('svg') !== el && el.closest('svg')) continue; // an icon's inner shapes: the <svg> is checked
      if (['SCRIPT', 'STYLE', 'OPTION', 'BR'].includes(el.tagName)) continue;
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const style = getComputedStyle(el);
      if (style.clip !== 'auto' && style.position === 'absolute') continue; // visually hidden text for screen readers
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;

      // The part not hidden by a clipping or scrolling element between it and its panel.
      const panel = el.parentElement?.closest(panelSelector);
      let left = box.left;
      let right = box.right;
      for (let up = el.parentElement; up && up !== panel && up !== document.body; up = up.parentElement) {
        if (!clips(up)) continue;
        const clip = up.getBoundingClientRect();
        left = Math.max(left, clip.left);
        right = Math.min(right, clip.right);
      }
      if (right <= left) continue;

      if (panel) {
        // Inside the panel's content box: what reaches into its padding or border is already out of place.
        const outer = panel.getBoundingClientRect();
        const ps = getComputedStyle(panel);
        const inner = {
          left: outer.left + parseFloat(ps.borderLeftWidth) + parseFloat(ps.paddingLeft),
          right: outer.right - parseFloat(ps.borderRightWidth) - parseFloat(ps.paddingRight),
        };
        const beyond = Math.max(inner.left - left, right - inner.right);
        if (beyond > TOLERANCE) problems.push(`${describe(el)} sticks ${Math.round(beyond)} px out of its panel ${describe(panel)}`);
      }
      const offScreen = Math.max(-left, right - viewport);
      if (offScreen > TOLERANCE) problems.push(`${describe(el)} reaches ${Math.round(offScreen)} px beyond the ${viewport} px viewport`);
    }
    return problems;
  }, PANELS);
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
