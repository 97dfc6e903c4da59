// Files functions read at run time besides their code: the certificate fonts and resvg's
// WebAssembly. In the repository they are under functions/assets/ (the wasm in node_modules);
// infra copies what a function needs next to its bundle (assets/…), so this module, bundled into
// index.mjs, finds them beside itself in Lambda and under functions/ everywhere else.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A file of functions/assets/ (e.g. `fonts/NotoSans-Regular.ttf`). */
export const assetPath = (name: string) => join(here, 'assets', name);

/** The assets each bundled function needs copied beside it (infra's bundling hooks; the bundle test checks them). */
export const FUNCTION_ASSETS: Readonly<Record<string, readonly string[]>> = {
  'workflow-issue-certificate': ['fonts'],
  'save-settings': ['fonts', 'resvg.wasm'],
};

/** resvg's WebAssembly: beside the bundle in Lambda, from the package otherwise. */
export function resvgWasmPath(): string {
  const bundled = assetPath('resvg.wasm');
  return existsSync(bundled) ? bundled : createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');
}
