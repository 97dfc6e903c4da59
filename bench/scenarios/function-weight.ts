// Function weight: each Lambda bundle the CDK app deploys, built with the same esbuild options
// (infra/'s, via bench/lambda-bundling.ts): its size, what dominates it (esbuild's
// metafile), and its cold init: a fresh Node process imports the bundle and runs one no-op
// invocation, compared with an empty handler measured the same way in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { OTHER_FUNCTION_ACCESS } from '../../functions/access.js';
import type { RequiredVariable } from '../../functions/config.js';
import { DEPLOYED_ROUTES, type Route } from '../../functions/http/routes.js';
import { WORKFLOW_TASK_HANDLERS } from '../../functions/workflow/definition.js';
import { REPO_ROOT } from '../../local/baton.js';
import { LAMBDA_ESBUILD_OPTIONS, LAMBDA_NODE_OPTIONS } from '../lambda-bundling.js';
import { spread, type Spread } from '../stats.js';

export const EMPTY_HANDLER = 'empty-handler';
/** The first event of the functions that are neither a route nor a workflow task, where {} would not do. */
const OTHER_EVENTS: Partial<Record<keyof typeof OTHER_FUNCTION_ACCESS, { event: unknown; eventNote: string }>> = {
  reconcile: { event: {}, eventNote: 'queries the table: one request, refused' },
  'pre-token-generation': { event: { request: { userAttributes: {} }, response: {} }, eventNote: 'no verified email: returns the event' },
  'mail-feedback': { event: { Records: [] }, eventNote: 'no records: nothing to do' },
  'send-events': { event: { Records: [] }, eventNote: 'no messages: nothing to do' },
  'run-export': { event: { Records: [] }, eventNote: 'no messages: nothing to do' },
};

export interface LambdaEntry {
  id: string;
  entry: string;
  /** The no-op event its first invocation gets, and why it does no work. */
  event: unknown;
  eventNote: string;
}

/** Every function the CDK app deploys: one per deployed route, one per workflow task, and the others (functions/access.ts). */
export function lambdaEntries(): LambdaEntry[] {
  const handler = (id: string) => join(REPO_ROOT, 'functions', 'handlers', `${id}.ts`);
  return [
    ...DEPLOYED_ROUTES.map((route) => ({ id: route.id, entry: handler(route.id), ...routeEvent(route) })),
    ...Object.values(WORKFLOW_TASK_HANDLERS).map((id) => ({
      id,
      entry: handler(id),
      event: {},
      eventNote: 'no enrollmentId: rejected before any request',
    })),
    ...(Object.keys(OTHER_FUNCTION_ACCESS) as Array<keyof typeof OTHER_FUNCTION_ACCESS>).map((id) => ({
      id,
      entry: handler(id),
      ...(OTHER_EVENTS[id] ?? { event: {}, eventNote: 'scheduled run: queries the table, refused' }),
    })),
  ];
}

/** An API Gateway v2 event without a token, path parameters or body. */
function routeEvent(route: Route): { event: unknown; eventNote: string } {
  const event = {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: route.path,
    rawQueryString: '',
    headers: {},
    requestContext: {
      http: { method: route.method, path: route.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
    },
    isBase64Encoded: false,
  };
  const note =
    route.auth === 'user' || route.auth === 'admin'
      ? 'no token: 401 before any request'
      : route.auth === 'partner'
        ? 'no partner id: 404 before any request'
        : route.access.length === 0
          ? 'answers without requests'
          : 'reads the table: one request, refused';
  return { event, eventNote: note };
}

export interface PackageShare {
  name: string;
  bytes: number;
}

export interface FunctionWeight {
  id: string;
  bytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
  /** Bytes in the bundle per package (or Baton's own folder), largest first. */
  packages: PackageShare[];
  eventNote: string;
  outcome: string;
  /** Process start → first invocation done, ms. */
  coldInit: Spread;
  importMs: Spread;
  /** CPU time (user + system) of the process up to the end of the first invocation, ms. */
  cpuMs: Spread;
  /** coldInit median / the empty handler's. */
  ratio: number;
  /** cpuMs median / the empty handler's. */
  cpuRatio: number;
}

export interface FunctionWeightResult {
  functions: FunctionWeight[];
  empty: FunctionWeight;
  nodeOptions: readonly string[];
}

/** Which package (or Baton's own code) an input file belongs to. */
export function packageOf(input: string): string {
  const path = input.replace(/\\/g, '/');
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (match) return match[1]!;
  const top = path.split('/').find((part) => part !== '..' && part !== '.');
  return `baton ${top ?? path}/`;
}

export function topPackages(inputs: Metafile['outputs'][string]['inputs'], limit = Infinity): PackageShare[] {
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, limit);
}

const EMPTY_ENTRY = { id: EMPTY_HANDLER, entry: join(REPO_ROOT, 'bench', 'empty-handler.ts'), event: {}, eventNote: 'does nothing' };

/** Every deployed function and the empty handler, bundled as the CDK app bundles them, into `outdir`. */
export async function bundleFunctions(outdir: string) {
  const entries = [...lambdaEntries(), EMPTY_ENTRY];
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    entryPoints: Object.fromEntries(entries.map((e) => [e.id, e.entry])),
    outdir,
    metafile: true,
    write: true,
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
  });
  const bundleFile = (id: string) => join(outdir, `${id}.mjs`);
  const output = (id: string) => result.metafile.outputs[relative(REPO_ROOT, bundleFile(id)).replace(/\\/g, '/')]!;
  return { entries, bundleFile, output };
}

/** Each deployed function's bundle, gzipped (what CI budgets), in KiB rounded up. */
export async function bundleGzipKib(): Promise<Record<string, number>> {
  const outdir = mkdtempSync(join(tmpdir(), 'baton-bench-bundles-'));
  try {
    const { entries, bundleFile } = await bundleFunctions(outdir);
    return Object.fromEntries(
      entries.filter((e) => e.id !== EMPTY_HANDLER).map((e) => [e.id, Math.ceil(gzipSync(readFileSync(bundleFile(e.id))).length / 1024)]),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function measureFunctionWeight(runs: number, progress: (message: string) => void): Promise<FunctionWeightResult> {
  const outdir = mkdtempSync(join(tmpdir(), 'baton-bench-bundles-'));
  try {
    const { entries, bundleFile, output } = await bundleFunctions(outdir);
    progress(`function weight: ${entries.length - 1} functions bundled`);

    // Interleave the functions run by run, so a noisy moment hits all of them alike.
    const samples = new Map<string, ColdStart[]>();
    for (let run = 0; run < runs; run++) {
      for (const entry of entries) {
        const sample = await coldStart(bundleFile(entry.id), entry.event);
        samples.set(entry.id, [...(samples.get(entry.id) ?? []), sample]);
      }
      progress(`function weight: cold-init run ${run + 1}/${runs}`);
    }

    const weigh = (entry: (typeof entries)[number]): FunctionWeight => {
      const code = readFileSync(bundleFile(entry.id));
      const taken = samples.get(entry.id)!;
      return {
        id: entry.id,
        bytes: code.length,
        gzipBytes: gzipSync(code).length,
        sourceMapBytes: readFileSync(`${bundleFile(entry.id)}.map`).length,
        packages: topPackages(output(entry.id).inputs),
        eventNote: entry.eventNote,
        outcome: taken[0]!.outcome,
        coldInit: spread(taken.map((s) => s.total)),
        importMs: spread(taken.map((s) => s.import)),
        cpuMs: spread(taken.map((s) => s.cpu)),
        ratio: 0,
        cpuRatio: 0,
      };
    };
    const empty = weigh(entries.at(-1)!);
    const functions = entries.slice(0, -1).map(weigh);
    for (const f of [...functions, empty]) {
      f.ratio = f.coldInit.median / empty.coldInit.median;
      f.cpuRatio = f.cpuMs.median / empty.cpuMs.median;
    }
    return { functions, empty, nodeOptions: LAMBDA_NODE_OPTIONS };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A value for every variable a function may require (functions/config.ts), each well-formed. */
const FUNCTION_ENV = {
  TABLE_NAME: 'bench',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
  SITE_URL: 'https://bench.example',
  CERTIFICATE_BUCKET: 'bench',
  SENDER_EMAIL: 'bench@bench.example',
  PARTNER_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-AbCdEf',
  SIGNING_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
  ORGANIZATION_NAME: 'Bench Training',
  SES_CONFIGURATION_SET: 'bench',
  UNSUBSCRIBE_KEY_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-unsubscribe-AbCdEf',
  EVENT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-events',
  EXPORT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-exports',
  EXPORT_BUCKET: 'bench-exports',
  USER_POOL_ID: 'us-east-1_Bench0000',
  UPLOAD_BUCKET: 'bench-uploads',
  IMPORT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-imports',
  IMPORT_STARTS_PER_SECOND: '20',
} satisfies Record<RequiredVariable, string>;

/**
 * Environment a deployed function has, pointed at nothing: any AWS request is refused at once.
 * AWS_LAMBDA_FUNCTION_NAME makes the init the one Lambda runs: the configuration checked, every
 * adapter built.
 */
const COLD_START_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'bench-cold-start',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_MAX_ATTEMPTS: '1',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  ...FUNCTION_ENV,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface ColdStart {
  total: number;
  import: number;
  cpu: number;
  outcome: string;
}

function coldStart(bundle: string, event: unknown): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...LAMBDA_NODE_OPTIONS, join(REPO_ROOT, 'bench', 'cold-start.mjs'), bundle, JSON.stringify(event)],
      {
        env: { PATH: process.env.PATH ?? '', ...COLD_START_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = /BENCH_COLD (\{.*\})/.exec(out)?.[1];
      if (code !== 0 || !line) return reject(new Error(`cold start of ${bundle} failed (exit ${code}):\n${err.slice(-2000)}`));
      resolve(JSON.parse(line) as ColdStart);
    });
  });
}
