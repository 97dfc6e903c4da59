// How the CDK app bundles and configures each Lambda function, for the function-weight
// benchmark and the cost model.
//
// TODO(issue 3): replace this module's values with the bundling options the CDK app exports
// from infra/ (one module there is the single source); until it lands they are written here
// from issue 3's requirements: ESM, minified, source maps, platform node, target node22, every
// dependency bundled (the AWS SDK included), arm64, 512 MB.
import type { BuildOptions } from 'esbuild';

export const LAMBDA_ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require(); ESM output needs one.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  outExtension: { '.js': '.mjs' },
  external: [],
};

/** Source maps only take effect in Lambda with this flag, which NodejsFunction sets with sourceMap: true. */
export const LAMBDA_NODE_OPTIONS: readonly string[] = ['--enable-source-maps'];

export const LAMBDA_MEMORY_MB = 512;
export const LAMBDA_ARCHITECTURE = 'arm64';
