// The site's first-load budget check (web/build/budget.ts), which fails the Vite build when the
// JavaScript and CSS needed before the first page renders are over 150 kB gzipped.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLoadFileNames, formatBudget, measureBudget, type BuiltFile } from '../../web/build/budget.js';

const chunk = (fileName: string, options: Partial<BuiltFile> = {}): BuiltFile => ({
  fileName,
  kind: 'chunk',
  isEntry: false,
  imports: [],
  css: [],
  content: 'export const x = 1;',
  ...options,
});

describe('first-load budget', () => {
  const files = [
    chunk('index.js', { isEntry: true, imports: ['react.js'], css: ['index.css'] }),
    chunk('react.js', { imports: ['shared.js'] }),
    chunk('shared.js'),
    chunk('admin.js', { imports: ['shared.js'], css: ['admin.css'] }),
    { ...chunk('index.css'), kind: 'asset' as const },
    { ...chunk('admin.css'), kind: 'asset' as const },
    { ...chunk('favicon.svg'), kind: 'asset' as const },
  ];

  it('counts the entry, what it imports statically (transitively) and their CSS, not lazy chunks', () => {
    expect(firstLoadFileNames(files).sort()).toEqual(['index.css', 'index.js', 'react.js', 'shared.js']);
  });

  it('passes a small first load and lists lazy chunks separately', () => {
    const report = measureBudget(files, 150_000);

    expect(report.withinBudget).toBe(true);
    expect(report.firstLoad.map((f) => f.fileName).sort()).toEqual(['index.css', 'index.js', 'react.js', 'shared.js']);
    expect(report.lazy.map((f) => f.fileName)).toEqual(['admin.js']);
    expect(formatBudget(report)).toMatch(/^First load \(JS \+ CSS\): 0\.\d kB gzipped of a 150\.0 kB budget/);
  });

  it('fails when the gzipped first load is over the limit', () => {
    // Random bytes do not compress: 160 kB stays about 160 kB gzipped.
    const heavy = [chunk('index.js', { isEntry: true, content: randomBytes(160_000) })];

    const report = measureBudget(heavy, 150_000);

    expect(report.firstLoadGzipBytes).toBeGreaterThan(150_000);
    expect(report.withinBudget).toBe(false);
  });

  it('does not count a heavy chunk that is only loaded on demand', () => {
    const lazyHeavy = [chunk('index.js', { isEntry: true }), chunk('qr.js', { content: randomBytes(160_000) })];

    expect(measureBudget(lazyHeavy, 150_000).withinBudget).toBe(true);
  });
});

describe('the site the tests and npm start serve', () => {
  it('is a production build even though vitest runs with NODE_ENV=test', () => {
    // The global setup (test/support/web-build.ts) built web/dist from inside this test run.
    const assets = join(import.meta.dirname, '..', '..', 'web', 'dist', 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // React's development build carries warnings like this one; its production build does not.
    for (const file of scripts)
      expect([file, readFileSync(join(assets, file), 'utf8').includes('unique "key" prop')]).toEqual([file, false]);
  });
});
