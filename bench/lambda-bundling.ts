// How the CDK app bundles and configures each Lambda function, for the function-weight
// benchmark and the cost model.
//
// TODO(issue 3): derive these from the CDK app's own exports once infra/ is merged — the infra
// branch exports BUNDLING (NodejsFunction bundling options) and FUNCTION_DEFAULTS (runtime,
// memory, NODE_OPTIONS) from infra/constructs/baton-function.ts, and gives the certificate task
// 1,024 MB in infra/baton-stack.ts. Until then the same values are written here, once: ESM,
// minified, source maps without sources content, target node24 (the Node.js 24 runtime), every
// dependency bundled (the AWS SDK included), arm64, 512 MB.
import type { BuildOptions } from 'esbuild';

export const LAMBDA_ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require(); ESM output needs one.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  outExtension: { '.js': '.mjs' },
  external: [],
};

/** Source maps only take effect in Lambda with this flag, which NodejsFunction sets with sourceMap: true. */
export const LAMBDA_NODE_OPTIONS: readonly string[] = ['--enable-source-maps'];

export const LAMBDA_MEMORY_MB = 512;
/** Functions configured with more memory than the default. */
export const LAMBDA_MEMORY_OVERRIDES: Readonly<Record<string, number>> = { 'workflow-issue-certificate': 1024 };
export const memoryOf = (handlerId: string) => LAMBDA_MEMORY_OVERRIDES[handlerId] ?? LAMBDA_MEMORY_MB;
export const LAMBDA_ARCHITECTURE = 'arm64';
