// `npx cdk synth` as an operator or CI runs it — the CLI, offline, no credentials — and the
// bundles it builds: every function's esbuild output is imported in a fresh Node process (a
// missing dependency or an ESM/CommonJS mismatch fails here, not in a deploy), and every one is
// invoked once with its production wiring: the environment the template gives it, pointed at
// DynamoDB Local and a stand-in for the other AWS services, as a Lambda runtime would start it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_IDS, type FunctionId } from '../../functions/access.js';
import { EVERY_FUNCTION_VARIABLES, requiredVariables } from '../../functions/config.js';
import { REPO_ROOT } from '../../infra/constructs/baton-function.js';
import {
  inParallel,
  invocations,
  runBundle,
  runtimeEnvironment,
  startWiringFixture,
  type Outcome,
  type StandInValues,
  type WiringFixture,
} from './production-wiring.js';
import type { CfnJson } from './synth.js';
import { FUNCTION_ASSETS } from '../../functions/assets.js';
import { jwkThumbprint } from '../../functions/use-cases/jws.js';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'baton-cdk-cli-'));
let template: { Resources: Record<string, CfnJson> };

/** The deployed functions in the template, by handler id. */
function functions(): Record<string, CfnJson> {
  const found: Record<string, CfnJson> = {};
  for (const r of Object.values(template.Resources)) {
    const name = r.Properties?.FunctionName as string | undefined;
    if (r.Type === 'AWS::Lambda::Function' && name?.startsWith('baton-prod-')) found[name.slice('baton-prod-'.length)] = r;
  }
  return found;
}

/** Handler id → directory of its bundle in the cloud assembly. */
function bundles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(functions()).map(([id, r]) => [id, join(outdir, `asset.${(r.Properties!.Code.S3Key as string).replace(/\.zip$/, '')}`)]),
  );
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
    // One per deployed route, the three workflow tasks, the scheduled jobs, the mail feedback function and the token trigger.
    expect(dirs.map(([id]) => id).sort()).toEqual([...FUNCTION_IDS].sort());
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

  it('copies beside a bundle the files it reads at run time, and nothing beside the others', () => {
    for (const [id, dir] of Object.entries(bundles())) {
      const wanted = FUNCTION_ASSETS[id] ?? [];
      expect([id, existsSync(join(dir, 'assets'))]).toEqual([id, wanted.length > 0]);
      for (const asset of wanted) expect([id, asset, existsSync(join(dir, 'assets', asset))]).toEqual([id, asset, true]);
    }
  });
});

describe('each bundled handler', () => {
  it('imports without error in Node outside Lambda (no AWS settings: the wiring checks and builds nothing) and exports a handler function', async () => {
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
});

describe('each bundled function, started with its production wiring', () => {
  let fixture: WiringFixture;
  let events: ReturnType<typeof invocations>;
  const outcomes = {} as Record<FunctionId, Outcome>;

  /**
   * The function's environment as the template sets it: literal values as they are, and each value
   * CloudFormation fills in (a Ref, a GetAtt…) by the stand-in's value for that variable.
   */
  function deployedEnvironment(id: FunctionId): Record<string, string> {
    const r = functions()[id]!;
    const variables = (r.Properties!.Environment?.Variables ?? {}) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(variables).map(([name, value]) => {
        if (typeof value === 'string') return [name, value];
        const standIn = fixture.values[name as keyof StandInValues];
        if (!standIn) throw new Error(`${id}: no stand-in value for ${name} (${JSON.stringify(value)})`);
        return [name, standIn];
      }),
    );
  }
  const lambdaEnvironment = (id: FunctionId, own: Record<string, string>) => ({
    ...runtimeEnvironment(fixture, functions()[id]!.Properties!.FunctionName as string),
    ...own,
  });
  const shown = (id: string, outcome: Outcome) => `${id}: ${JSON.stringify({ ...outcome, output: outcome.output.slice(-3000) }, null, 1)}`;

  beforeAll(async () => {
    fixture = await startWiringFixture();
    events = invocations(fixture.data, jwkThumbprint(fixture.standIn.signingKey.publicJwk));
    const results = await inParallel(
      FUNCTION_IDS.map(
        (id) => () =>
          runBundle(
            bundles()[id]!,
            lambdaEnvironment(id, deployedEnvironment(id)),
            events[id].event,
            functions()[id]!.Properties!.Timeout as number,
          ),
      ),
    );
    FUNCTION_IDS.forEach((id, i) => (outcomes[id] = results[i]!));
  }, 300_000);

  afterAll(async () => fixture?.close());

  it('initializes every function, in Lambda, from the environment the template gives it', () => {
    expect(Object.keys(bundles()).sort()).toEqual([...FUNCTION_IDS].sort());
    for (const id of FUNCTION_IDS) expect(outcomes[id].phase, shown(id, outcomes[id])).toBe('invoke');
  });

  it('answers every route with its expected status, reading and writing the table', () => {
    for (const id of FUNCTION_IDS) {
      const expected = events[id].status;
      if (expected === undefined) continue;
      const outcome = outcomes[id];
      expect([id, outcome.value?.statusCode], shown(id, outcome)).toEqual([id, expected]);
    }
    const body = (id: FunctionId) => JSON.parse(outcomes[id].value.body as string);
    const e = fixture.data.enrollments;
    expect(body('health')).toEqual({ status: 'ok' });
    expect(body('list-programs').programs.map((p: any) => p.id)).toContain('wiring-smoke');
    expect(body('get-enrollment')).toMatchObject({ id: e.reader.id, studentEmail: e.reader.email });
    expect(body('list-my-enrollments').enrollments.map((x: any) => x.id)).toEqual([e.reader.id]);
    expect(body('list-enrollments').enrollments.map((x: any) => x.id)).toEqual([e.reader.id]);
    expect(body('cancel-enrollment')).toMatchObject({ id: e.cancel.id, status: 'cancelled' });
    expect(body('complete-step').steps.find((step: any) => step.partnerId === 'hsi')).toMatchObject({ status: 'completed' });
    expect(body('waive-step').steps.find((step: any) => step.partnerId === 'hsi')).toMatchObject({ status: 'waived' });
    expect(body('skip-step').steps.find((step: any) => step.partnerId === 'jri')).toMatchObject({ status: 'skipped' });
    expect([body('mark-email-sent').id, body('mark-email-sent').workflowFailure]).toEqual([e.markSent.id, undefined]);
    expect([body('retry-workflow').id, body('retry-workflow').workflowFailure]).toEqual([e.retry.id, undefined]);
    expect(body('link-partner-account')).toMatchObject({ partnerId: 'hsi', externalId: 'WIRING-LINK' });
    expect(body('create-enrollment')).toMatchObject({ studentEmail: 'wiring-created@example.org', status: 'active' });
    expect(body('save-program')).toMatchObject({ id: 'wiring-saved', version: 1 });
    expect(body('dismiss-unmatched-event')).toMatchObject({ webhookId: fixture.data.strayWebhookId });
    expect(body('partner-webhook')).toEqual({ status: 'applied' });
    expect(body('send-reminders')).toEqual({ sent: 1, skipped: [] });
    expect(body('unsubscribe')).toEqual({ unsubscribed: true, reminders: false });
    expect(body('save-preferences')).toEqual({ reminders: false });
    expect(outcomes['unsubscribe-page'].value.body).toContain('Stop reminder emails?');
    expect(body('verify-certificate')).toMatchObject({
      id: fixture.data.certificateId,
      status: 'valid',
      verifyUrl: `${fixture.values.SITE_URL}/verify/${fixture.data.certificateId}`,
    });
  });

  it('reaches S3, Step Functions, SES and Secrets Manager through the real clients, with the resources the environment names', () => {
    const body = (id: FunctionId) => JSON.parse(outcomes[id].value.body as string);
    const { calls, url } = fixture.standIn;
    const e = fixture.data.enrollments;
    expect(calls.filter((c) => c.operation === 'unexpected')).toEqual([]);

    const starts = calls.flatMap((c) => (c.operation === 'StartExecution' ? [c] : []));
    expect(new Set(starts.map((c) => c.stateMachineArn))).toEqual(new Set([fixture.values.STATE_MACHINE_ARN]));
    const startedFor = (id: string) => starts.filter((c) => c.name.startsWith(id)).map((c) => c.name.slice(id.length + 1));
    const created = JSON.parse(outcomes['create-enrollment'].value.body as string).id as string;
    expect(startedFor(created)).toEqual(['enrolled']);
    expect(startedFor(e.complete.id)).toEqual([expect.stringMatching(/^s\d+-complete$/)]);
    expect(startedFor(e.waive.id)).toEqual([expect.stringMatching(/^s\d+-waive$/)]);
    expect(startedFor(e.skip.id)).toEqual([expect.stringMatching(/^s\d+-skip$/)]);
    expect(startedFor(e.retry.id)).toEqual([expect.stringMatching(/^retry-\d+$/)]);
    expect(startedFor(e.webhook.id)).toEqual([expect.stringMatching(/-completed$/)]);
    // The event waiting for the linked account is applied by the link (or, if it looked first, the reconciler's second look).
    expect(startedFor(e.link.id)).toHaveLength(1);
    expect(startedFor(e.reconcile.id)).toEqual([expect.stringMatching(/^reconcile-\d+$/)]);
    expect(starts[0]!.input).toMatchObject({ enrollmentId: expect.any(String), keys: expect.any(Object) });

    // Two secrets exist (issues 10 and 13): the partners' and the unsubscribe key. The webhook, the partner page, the test
    // console and the secret routes read the partners' secret; only the secret routes write it, and nothing writes the key.
    const secretCalls = calls.filter((c) => c.service === 'secretsmanager');
    expect(new Set(secretCalls.map((c) => ('secretId' in c ? c.secretId : '')))).toEqual(
      new Set([fixture.values.PARTNER_SECRETS_ARN, fixture.values.UNSUBSCRIBE_KEY_ARN]),
    );
    const writes = secretCalls.filter((c) => c.operation === 'PutSecretValue');
    expect(writes.map((c) => ('secretId' in c ? c.secretId : ''))).toEqual(Array<string>(2).fill(fixture.values.PARTNER_SECRETS_ARN));
    expect(body('create-partner-secret')).toMatchObject({ secretId: expect.stringMatching(/^sec_/), secret: expect.any(String) });
    expect(body('test-partner-webhook')).toMatchObject({ verified: true, events: [{ courseId: 'bls-cpr-aed' }] });
    expect(body('replay-partner-delivery')).toMatchObject({ deliveryId: fixture.data.ignoredWebhookId, status: 'ignored' });
    // Each function that signs or checks unsubscribe links reads the key once; every other read is the partners' secret.
    const reads = calls.flatMap((c) => (c.operation === 'GetSecretValue' ? [c.secretId] : []));
    expect(reads.filter((id) => id === fixture.values.UNSUBSCRIBE_KEY_ARN)).toHaveLength(4);
    expect(reads.filter((id) => id !== fixture.values.UNSUBSCRIBE_KEY_ARN)).toEqual(
      Array<string>(reads.length - 4).fill(fixture.values.PARTNER_SECRETS_ARN),
    );

    const puts = calls.flatMap((c) =>
      c.operation === 'PutObject' && c.bucket === fixture.values.CERTIFICATE_BUCKET && c.key.startsWith('certificates/') ? [c] : [],
    );
    expect(puts.map(({ bucket, key, contentType }) => ({ bucket, key, contentType }))).toEqual([
      { bucket: fixture.values.CERTIFICATE_BUCKET, key: expect.stringMatching(/^certificates\/.+\.pdf$/), contentType: 'application/pdf' },
    ]);
    expect(puts[0]!.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(outcomes['workflow-issue-certificate'].value).toEqual({ enrollmentId: e.issue.id, certificateId: expect.any(String) });
    expect(puts[0]!.key).toBe(`certificates/${outcomes['workflow-issue-certificate'].value.certificateId}.pdf`);

    // The settings route stored the logo under the organization's prefix, named by its content.
    const logos = calls.flatMap((c) => (c.operation === 'PutObject' && c.key.startsWith('organization/') ? [c] : []));
    expect(logos.map(({ bucket, key, contentType }) => ({ bucket, key, contentType }))).toEqual([
      {
        bucket: fixture.values.CERTIFICATE_BUCKET,
        key: expect.stringMatching(/^organization\/logo-[0-9a-f]{64}\.png$/),
        contentType: 'image/png',
      },
    ]);
    expect(calls.filter((c) => c.operation === 'GetObject' && c.key === `organization/logo-${'a'.repeat(64)}.png`)).toHaveLength(1);
    // Credentials and status lists are signed by KMS (the digest, RS256), on the key the environment names.
    const signs = calls.flatMap((c) => (c.operation === 'Sign' ? [c] : []));
    expect(signs.length).toBeGreaterThanOrEqual(2);
    for (const sign of signs)
      expect(sign).toMatchObject({
        keyId: fixture.values.SIGNING_KEY_ID,
        signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        messageType: 'DIGEST',
      });
    expect(JSON.parse(outcomes['issuer-jwks'].value.body as string).keys[0]).toMatchObject({
      kty: 'RSA',
      n: fixture.standIn.signingKey.publicJwk.n,
      kid: `${fixture.values.SITE_URL}/api/issuer/keys/${jwkThumbprint(fixture.standIn.signingKey.publicJwk)}`,
    });

    // The welcome of the enrollment created, the nudge, the completion email: each raw, with the
    // configuration set, from the organization: its deploy-time name and the deployment's sender, or
    // (if the settings route, running at the same time, saved first) the name and sender it saved.
    const sends = calls.flatMap((c) => (c.operation === 'SendRawEmail' ? [c] : []));
    expect(
      sends.map(({ configurationSet, from, to }) => ({ configurationSet, from, to })).sort((a, b) => a.to.localeCompare(b.to)),
    ).toEqual(
      ['wiring-created@example.org', e.email.email, e.nudge.email].sort().map((to) => ({
        configurationSet: fixture.values.SES_CONFIGURATION_SET,
        from: expect.stringMatching(/^(Baton <certificates@example\.org>|"?Wiring Academy"? <registrar@example\.org>)$/),
        to,
      })),
    );
    const nudge = sends.find((c) => c.to === e.nudge.email)!;
    // Headers as a mail client reads them: a long one is folded onto the next line (RFC 5322), so unfold first.
    const headers = nudge.raw.slice(0, nudge.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/learn\.example\.org\/api\/unsubscribe\?token=[\w-]+\.[\w-]{43}>$/m);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(outcomes['workflow-send-completion-email'].value).toEqual({ enrollmentId: e.email.id, sent: true });

    // The presigned download link is made locally, for the bucket and key the environment names.
    const download = JSON.parse(outcomes['download-certificate'].value.body as string);
    expect(download.url).toMatch(
      new RegExp(`^${url}/${fixture.values.CERTIFICATE_BUCKET}/certificates/${fixture.data.certificateId}\\.pdf\\?.*X-Amz-Signature=`),
    );
  });

  it('queues outbound attempts and exports on the queues the environment names, and writes the export to its bucket', () => {
    const { calls } = fixture.standIn;
    const sent = calls.flatMap((c) => (c.operation === 'SendMessage' ? [c] : []));
    expect(new Set(sent.map((c) => c.queueUrl))).toEqual(new Set([fixture.values.EVENT_QUEUE_URL, fixture.values.EXPORT_QUEUE_URL]));
    expect(sent.filter((c) => c.queueUrl === fixture.values.EXPORT_QUEUE_URL).map((c) => JSON.parse(c.body))).toEqual([
      { exportId: JSON.parse(outcomes['create-export'].value.body as string).exportId },
    ]);
    const exported = calls.flatMap((c) => (c.operation === 'PutObject' && c.bucket === fixture.values.EXPORT_BUCKET ? [c] : []));
    expect(outcomes['run-export'].phase, shown('run-export', outcomes['run-export'])).toBe('invoke');
    // Its one slice, read back from the bucket, then the file assembled from it.
    expect(exported.map((c) => [c.key, c.contentType])).toEqual([
      [expect.stringMatching(new RegExp(`^exports/${fixture.data.exportId}/parts/00001-\\w+\\.jsonl$`)), 'application/jsonl'],
      [`exports/${fixture.data.exportId}/baton-enrollments-${new Date().toISOString().slice(0, 10)}.csv`, 'text/csv; charset=utf-8'],
    ]);
    expect(calls).toContainEqual(
      expect.objectContaining({ operation: 'GetObject', bucket: fixture.values.EXPORT_BUCKET, key: exported[0]!.key, found: true }),
    );
    expect(exported[1]!.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(outcomes['send-events'].value).toEqual({ batchItemFailures: [] });
    expect(outcomes['sweep-events'].value).toMatchObject({ relayed: expect.any(Number), queued: expect.any(Number) });
  });

  it('runs the workflow task, the reconciler and the token trigger on their own events', () => {
    expect(outcomes['workflow-advance'].value).toEqual({
      enrollmentId: fixture.data.enrollments.advance.id,
      completed: false,
      started: [],
    });
    expect(outcomes.reconcile.value).toMatchObject({ overdue: 1, restarted: 1, failedToStart: 0, finished: true });
    expect(outcomes['reminder-sweep'].value).toMatchObject({ failed: 0, finished: true });
    expect(outcomes['mail-feedback'].value).toEqual({ suppressed: ['wiring-bounced@example.org'], ignored: 0 });
    expect(outcomes['pre-token-generation'].value.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: { claimsToAddOrOverride: { email: 'wiring-student@example.org' } },
    });
  });

  it('fails at init, naming each variable, when a function starts without the ones the template gives it', async () => {
    const needing = FUNCTION_IDS.filter((id) => requiredVariables(id).length > 0);
    const results = await inParallel(
      needing.map((id) => () => {
        const own = Object.fromEntries(EVERY_FUNCTION_VARIABLES.map((name) => [name, deployedEnvironment(id)[name]!]));
        return runBundle(bundles()[id]!, lambdaEnvironment(id, own), events[id].event);
      }),
    );
    needing.forEach((id, i) => {
      const outcome = results[i]!;
      const missing = Object.keys(deployedEnvironment(id)).filter((name) => !(EVERY_FUNCTION_VARIABLES as string[]).includes(name));
      expect([id, outcome.phase, outcome.error?.name], shown(id, outcome)).toEqual([id, 'init', 'ConfigurationError']);
      expect(outcome.error!.message).toBe(
        `${id} is not configured: ${missing.map((name) => `Missing environment variable ${name}`).join('; ')}`,
      );
    });
  }, 120_000);

  it('fails at init when one variable is missing or malformed, naming it', async () => {
    const cases: Array<{ id: FunctionId; name: string; value?: string; message: string }> = [
      { id: 'list-programs', name: 'TABLE_NAME', message: 'Missing environment variable TABLE_NAME' },
      { id: 'reconcile', name: 'STATE_MACHINE_ARN', message: 'Missing environment variable STATE_MACHINE_ARN' },
      { id: 'download-certificate', name: 'CERTIFICATE_BUCKET', message: 'Missing environment variable CERTIFICATE_BUCKET' },
      { id: 'workflow-send-completion-email', name: 'SENDER_EMAIL', message: 'Missing environment variable SENDER_EMAIL' },
      { id: 'partner-webhook', name: 'PARTNER_SECRETS_ARN', message: 'Missing environment variable PARTNER_SECRETS_ARN' },
      { id: 'verify-certificate', name: 'SITE_URL', message: 'Missing environment variable SITE_URL' },
      {
        id: 'get-enrollment',
        name: 'SITE_URL',
        value: 'learn.example.org',
        message: 'Environment variable SITE_URL must be an https:// or http:// URL (it is "learn.example.org")',
      },
      {
        id: 'create-enrollment',
        name: 'STATE_MACHINE_ARN',
        value: 'baton-advance',
        message: 'Environment variable STATE_MACHINE_ARN must be a Step Functions state machine ARN (it is "baton-advance")',
      },
    ];
    const results = await inParallel(
      cases.map(({ id, name, value }) => () => {
        const own = deployedEnvironment(id);
        if (value === undefined) delete own[name];
        else own[name] = value;
        return runBundle(bundles()[id]!, lambdaEnvironment(id, own), events[id].event);
      }),
    );
    cases.forEach(({ id, message }, i) => {
      expect([id, results[i]!.phase, results[i]!.error], shown(id, results[i]!)).toEqual([
        id,
        'init',
        { name: 'ConfigurationError', message: `${id} is not configured: ${message}` },
      ]);
    });
  }, 120_000);
});
