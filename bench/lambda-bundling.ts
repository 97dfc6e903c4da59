// How the CDK app bundles and configures each Lambda function, for the function-weight
// benchmark and the cost model: derived from infra/'s own exports, so the benchmark measures the
// bundles that are deployed.
import type { BuildOptions } from 'esbuild';
import { BUNDLING, FUNCTION_DEFAULTS, MEMORY_OVERRIDES, memoryOf } from '../infra/constructs/baton-function.js';

/** NodejsFunction's bundling options as the esbuild options it passes on. */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: BUNDLING.target,
  format: BUNDLING.format,
  minify: BUNDLING.minify,
  sourcemap: BUNDLING.sourceMap,
  sourcesContent: BUNDLING.sourcesContent,
  mainFields: [...BUNDLING.mainFields],
  banner: { js: BUNDLING.banner },
  outExtension: { '.js': '.mjs' },
  external: [...BUNDLING.externalModules],
} satisfies BuildOptions;

/** NodejsFunction sets --enable-source-maps with sourceMap: true; source maps only take effect with it. */
export const LAMBDA_NODE_OPTIONS: readonly string[] = FUNCTION_DEFAULTS.environment.NODE_OPTIONS.split(' ');

export const LAMBDA_MEMORY_MB = FUNCTION_DEFAULTS.memorySize;
export const LAMBDA_MEMORY_OVERRIDES = MEMORY_OVERRIDES;
export { memoryOf };
export const LAMBDA_ARCHITECTURE = FUNCTION_DEFAULTS.architecture.name;
