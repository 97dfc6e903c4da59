// `npx cdk synth` as an operator or CI runs it — the CLI, offline, no credentials — and the
// bundles it builds: every function's esbuild output is imported in a fresh Node process (a
// missing dependency or an ESM/CommonJS mismatch fails here, not in a deploy), and two are invoked.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/baton-function.js';
import type { CfnJson } from './synth.js';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'baton-cdk-cli-'));
let template: { Resources: Record<string, CfnJson> };

/** Handler id → directory of its bundle in the cloud assembly. */
function bundles(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const r of Object.values(template.Resources)) {
    const name = r.Properties?.FunctionName as string | undefined;
    if (r.Type !== 'AWS::Lambda::Function' || !name?.startsWith('baton-prod-')) continue;
    found[name.slice('baton-prod-'.length)] = join(outdir, `asset.${(r.Properties!.Code.S3Key as string).replace(/\.zip$/, '')}`);
  }
  return found;
}

/** Runs a module script in a separate Node process with no AWS settings at all, and returns what it prints. */
async function node(script: string): Promise<unknown> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  await run('npx', ['cdk', 'synth', '--quiet', '-o', outdir, '-c', 'stage=prod', '-c', 'senderEmail=certificates@example.org'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  template = JSON.parse(readFileSync(join(outdir, 'baton-prod.template.json'), 'utf8'));
}, 600_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('npx cdk synth (offline, no credentials)', () => {
  it('writes the stack template and a validation report with no cdk-nag error', () => {
    expect(Object.keys(template.Resources).length).toBeGreaterThan(100);
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const errors = report.pluginReports
      .flatMap((p: any) => p.violations)
      .filter((v: any) => v.severity === 'error' || v.severity === 'fatal');
    expect(errors).toEqual([]);
  });

  it('bundles every function as minified ESM with a source map (no sources inlined) and the require shim', () => {
    const dirs = Object.entries(bundles());
    expect(dirs.length).toBe(25);
    for (const [id, dir] of dirs) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect([id, code.startsWith("import { createRequire as __batonCreateRequire } from 'node:module';")]).toEqual([id, true]);
      expect([id, code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')]).toEqual([id, true]);
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8'));
      expect([id, map.sourcesContent]).toEqual([id, undefined]);
      // Minified: identifiers were renamed, so the map records their original names (empty otherwise).
      expect([id, map.names.length > 0]).toEqual([id, true]);
      expect([id, existsSync(join(dir, 'node_modules'))]).toEqual([id, false]);
    }
  });
});

describe('each bundled handler', () => {
  it('imports without error in Node and exports a handler function', async () => {
    const results = await node(`
      const bundles = ${JSON.stringify(bundles())};
      const results = {};
      for (const [id, dir] of Object.entries(bundles)) {
        try {
          const module = await import(dir + '/index.mjs');
          results[id] = typeof module.handler;
        } catch (error) {
          results[id] = 'import failed: ' + error.message;
        }
      }
      console.log(JSON.stringify(results));
    `);
    expect(results).toEqual(Object.fromEntries(Object.keys(bundles()).map((id) => [id, 'function'])));
  });

  it('runs: health answers 200 through middy, the token trigger adds the verified email', async () => {
    const dirs = bundles();
    const results = await node(`
      const health = await import(${JSON.stringify(dirs.health + '/index.mjs')});
      const trigger = await import(${JSON.stringify(dirs['pre-token-generation'] + '/index.mjs')});
      const context = { functionName: 'health', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 1000 };
      const event = { rawPath: '/api/health', headers: {}, requestContext: { http: { method: 'GET' } }, isBase64Encoded: false };
      const response = await health.handler(event, context);
      const token = await trigger.handler({
        request: { userAttributes: { email: 'student@test.com', email_verified: 'true' } },
        response: { claimsAndScopeOverrideDetails: null },
      });
      console.log(JSON.stringify({ status: response.statusCode, body: JSON.parse(response.body), claims: token.response.claimsAndScopeOverrideDetails }));
    `);
    expect(results).toEqual({
      status: 200,
      body: { status: 'ok' },
      claims: { accessTokenGeneration: { claimsToAddOrOverride: { email: 'student@test.com' } } },
    });
  });
});
