// Builds the site (web/ → web/dist) when it is missing or older than its sources, so `npm start`
// on a fresh clone and the browser tests always serve the current site. `--force` always builds.
// Usage: tsx scripts/build-web.ts [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const WEB = join(ROOT, 'web');
const BUILT_INDEX = join(WEB, 'dist', 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when web/dist exists and nothing it is built from (web/, the lockfile) changed since. */
export function webBuildIsCurrent(): boolean {
  if (!existsSync(BUILT_INDEX)) return false;
  const sources = Math.max(newestMtime(WEB), newestMtime(join(ROOT, 'package-lock.json')));
  return statSync(BUILT_INDEX).mtimeMs >= sources;
}

/** Runs the Vite build; throws with its output when it fails (e.g. over the first-load budget). */
export function buildWeb(options: { quiet?: boolean } = {}): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(WEB, 'vite.config.ts')], {
    cwd: ROOT,
    // Always a production build: callers such as vitest set NODE_ENV=test, which would make Vite
    // bundle React's development build (several times larger) into the site that is then served.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `the site did not build (vite exited with ${result.status})${options.quiet ? `:\n${result.stdout}\n${result.stderr}` : ''}`,
    );
  }
}

export function ensureWebBuild(options: { force?: boolean; quiet?: boolean; log?: (line: string) => void } = {}): 'built' | 'current' {
  if (!options.force && webBuildIsCurrent()) return 'current';
  options.log?.('building the site (web/ → web/dist) …');
  buildWeb(options);
  return 'built';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const outcome = ensureWebBuild({ force: process.argv.includes('--force'), log: (line) => console.log(`  ${line}`) });
    if (outcome === 'current') console.log('  the site in web/dist is up to date');
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
