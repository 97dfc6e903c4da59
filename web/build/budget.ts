// The first-load budget: what a browser downloads before the first page renders (the entry
// chunk, every chunk it imports statically, and their CSS), measured gzipped. The build reports
// it and fails when it is over the limit; lazily loaded chunks are listed but not counted.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const FIRST_LOAD_BUDGET_BYTES = 150_000;

export interface BuiltFile {
  fileName: string;
  kind: 'chunk' | 'asset';
  isEntry: boolean;
  /** Chunks this chunk imports statically (loaded with it). */
  imports: readonly string[];
  /** CSS files Vite links for this chunk. */
  css: readonly string[];
  content: string | Uint8Array;
}

export interface SizedFile {
  fileName: string;
  bytes: number;
  gzipBytes: number;
}

export interface BudgetReport {
  firstLoad: SizedFile[];
  lazy: SizedFile[];
  firstLoadGzipBytes: number;
  limitBytes: number;
  withinBudget: boolean;
}

/** The entry chunks, everything they import statically, and the CSS of each of those. */
export function firstLoadFileNames(files: readonly BuiltFile[]): string[] {
  const byName = new Map(files.map((f) => [f.fileName, f]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const file = byName.get(name);
    for (const next of [...(file?.imports ?? []), ...(file?.css ?? [])]) visit(next);
  };
  for (const entry of files.filter((f) => f.isEntry)) visit(entry.fileName);
  return [...seen];
}

export function measureBudget(files: readonly BuiltFile[], limitBytes = FIRST_LOAD_BUDGET_BYTES): BudgetReport {
  const size = (f: BuiltFile): SizedFile => {
    const buffer = typeof f.content === 'string' ? Buffer.from(f.content) : Buffer.from(f.content);
    return { fileName: f.fileName, bytes: buffer.length, gzipBytes: gzipSync(buffer, { level: 9 }).length };
  };
  const code = files.filter((f) => f.kind === 'chunk' || f.fileName.endsWith('.css'));
  const first = new Set(firstLoadFileNames(code));
  const firstLoad = code.filter((f) => first.has(f.fileName)).map(size);
  const lazy = code.filter((f) => !first.has(f.fileName) && f.kind === 'chunk').map(size);
  const firstLoadGzipBytes = firstLoad.reduce((n, f) => n + f.gzipBytes, 0);
  return { firstLoad, lazy, firstLoadGzipBytes, limitBytes, withinBudget: firstLoadGzipBytes <= limitBytes };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export function formatBudget(report: BudgetReport): string {
  const row = (f: SizedFile) => `    ${f.fileName.padEnd(44)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzipBytes).padStart(9)}`;
  return [
    `First load (JS + CSS): ${kb(report.firstLoadGzipBytes)} gzipped of a ${kb(report.limitBytes)} budget`,
    ...report.firstLoad.map(row),
    `Loaded on demand:`,
    ...report.lazy.map(row),
  ].join('\n');
}

/** Vite plugin: prints the report after the bundle is generated and fails the build over budget. */
export function firstLoadBudget(limitBytes = FIRST_LOAD_BUDGET_BYTES): Plugin {
  return {
    name: 'baton-first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files: BuiltFile[] = Object.values(bundle).map((output) =>
        output.type === 'chunk'
          ? {
              fileName: output.fileName,
              kind: 'chunk',
              isEntry: output.isEntry,
              imports: output.imports,
              css: [...(output.viteMetadata?.importedCss ?? [])],
              content: output.code,
            }
          : { fileName: output.fileName, kind: 'asset', isEntry: false, imports: [], css: [], content: output.source },
      );
      const report = measureBudget(files, limitBytes);
      this.info(`\n${formatBudget(report)}`);
      if (!report.withinBudget) {
        this.error(
          `first-load JS + CSS is ${kb(report.firstLoadGzipBytes)} gzipped, over the ${kb(limitBytes)} budget: ` +
            'load the new code lazily (React.lazy / import()) or find what grew with the report above',
        );
      }
    },
  };
}
