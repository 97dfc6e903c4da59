// Local mode's composition root: DynamoDB Local, the local workflow runner, files for S3 and
// SES, local tokens, and the HTTP server, wired to the same handlers and use cases as AWS.
// `npm start` and the integration tests both start Baton through here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClientFor } from '../functions/adapters/dynamodb/client.js';
import { DynamoRepository } from '../functions/adapters/dynamodb/repository.js';
import { StaticPartnerSecrets, parsePartnerSecrets, type SecretsByPartner } from '../functions/adapters/partner-secrets.js';
import { PARTNER_IDS } from '../functions/domain/partners.js';
import { normalizeEmail } from '../functions/domain/email.js';
import { DomainError } from '../functions/domain/errors.js';
import { HTTP_STATUS, errorBody } from '../functions/http/errors.js';
import { logger } from '../functions/observability.js';
import { systemClock, type Ports } from '../functions/ports.js';
import { seedCatalog } from '../functions/use-cases/programs.js';
import { reconcile, type ReconcileReport } from '../functions/use-cases/reconcile.js';
import type { Clock } from '../functions/use-cases/ports.js';
import { accessOf } from '../functions/access.js';
import { createLocalAuth, type LocalAuth } from './auth.js';
import { enforceDynamoDbAccess, enforcePortAccess, runAs } from './iam.js';
import { ensureTable, localClientConfig, startDynamoDbLocal } from './dynamodb-local.js';
import { FileCertificateStore } from './file-certificates.js';
import { OutboxMailer } from './outbox-mailer.js';
import { createLocalServer } from './server.js';
import { LocalWorkflowRunner, type WorkflowInstrumentation, type WorkflowType } from './workflow-runner.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const DEMO_STUDENT = { email: 'student@test.com', name: 'John Student' };
export const DEMO_ADMIN = { email: 'admin@test.com', name: 'Admin' };

export interface LocalBatonOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  tableName?: string;
  /** The built site to serve (default web/dist). */
  webRoot?: string;
  /** Use this DynamoDB Local instead of starting one (tests share one per run). */
  dynamoDbEndpoint?: string;
  /** Keep DynamoDB data under <dataDir>/dynamodb (npm start); otherwise in memory. */
  persist?: boolean;
  clock?: Clock;
  retryIntervalMs?: number;
  /** How workflow execution names behave: EXPRESS (default, like the default deploy) or STANDARD. */
  workflowType?: WorkflowType;
  /** Finished workflow executions whose records are kept (default 5,000; Infinity keeps all). */
  keepFinishedExecutions?: number;
  partnerSecrets?: SecretsByPartner;
  adminEmails?: string[];
  /** How often the reconciler runs; 0 turns the timer off (tests call reconcile() themselves). */
  reconcileEverySeconds?: number;
  reconcileGraceSeconds?: number;
  /** Lets tests wrap adapters to inject faults (a failing workflow start, a failing mailer…). */
  decorate?: (ports: Ports) => Partial<Ports>;
  /**
   * Lets benchmarks count requests: `dynamoDbClient` is called with every DynamoDB client local
   * mode talks through (the repository's and the workflow's), `workflowEvent` with every event
   * of every workflow execution.
   */
  instrument?: WorkflowInstrumentation;
}

export interface LocalBaton {
  url: string;
  ports: Ports;
  runner: LocalWorkflowRunner;
  auth: LocalAuth;
  secrets: SecretsByPartner;
  tableName: string;
  dynamoDbEndpoint: string;
  dataDir: string;
  outboxDir: string;
  certificatesDir: string;
  /** Seeded on first start (empty table): catalog summary, else undefined. */
  seeded?: Awaited<ReturnType<typeof seedCatalog>>;
  reconcile(): Promise<ReconcileReport>;
  /** Waits until no workflow execution is running. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalBaton(options: LocalBatonOptions): Promise<LocalBaton> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? 0;
  // Before Java starts: a taken port is the most common failed start, and the quickest to report.
  if (port !== 0) await assertPortFree(port);
  // What has been started so far, stopped in reverse order by stop() or by a failed start-up.
  const started: Array<() => unknown> = [];
  try {
    return await start(options, dataDir, port, started);
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

async function start(options: LocalBatonOptions, dataDir: string, port: number, started: Array<() => unknown>): Promise<LocalBaton> {
  const clock = options.clock ?? systemClock;
  const tableName = options.tableName ?? 'baton';

  let endpoint = options.dynamoDbEndpoint;
  if (!endpoint) {
    const dynamo = await startDynamoDbLocal(options.persist ? { dbPath: join(dataDir, 'dynamodb') } : {});
    started.push(() => dynamo.stop());
    endpoint = dynamo.endpoint;
  }
  const dynamoConfig = localClientConfig(endpoint);
  const createdTable = await ensureTable(dynamoConfig, tableName);

  const secrets = options.partnerSecrets ?? loadPartnerSecrets(dataDir);
  const adminEmails = options.adminEmails ?? [DEMO_ADMIN.email];
  const auth = await createLocalAuth(join(dataDir, 'local-auth-key.json'), adminEmails);
  const outboxDir = join(dataDir, 'outbox');
  const certificatesDir = join(dataDir, 'certificates');

  let baseUrl = 'http://127.0.0.1';
  const certificates = new FileCertificateStore(
    certificatesDir,
    () => baseUrl,
    loadOrCreate(join(dataDir, 'local-download-key'), () => randomBytes(32)),
  );
  const dynamoDbClient = new DynamoDBClient(dynamoConfig);
  started.push(() => dynamoDbClient.destroy());
  enforceDynamoDbAccess(dynamoDbClient);
  options.instrument?.dynamoDbClient?.(dynamoDbClient);
  const repo = new DynamoRepository(documentClientFor(dynamoDbClient), tableName);
  // The workflow port is the runner, which itself runs tasks with these ports: set just below.
  const ports: Omit<Ports, 'workflow'> & { workflow?: Ports['workflow'] } = {
    repo,
    certificates,
    mailer: new OutboxMailer(outboxDir, 'Baton <no-reply@baton.local>', clock),
    secrets: new StaticPartnerSecrets(secrets),
    clock,
    settings: {
      get siteUrl() {
        return baseUrl;
      },
    },
    logger,
  };
  // What functions get: the same adapters, every call checked against the function's access.
  const functionPorts = enforcePortAccess(ports as Ports);
  const runner = await LocalWorkflowRunner.create({
    repoRoot: REPO_ROOT,
    tableName,
    dynamoDb: dynamoConfig,
    ports: functionPorts,
    clock,
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    ...(options.workflowType ? { type: options.workflowType } : {}),
    ...(options.keepFinishedExecutions !== undefined ? { keepFinished: options.keepFinishedExecutions } : {}),
    onFailure: (record) => logger.warn('workflow execution failed', { ...record }),
    ...(options.instrument ? { instrument: options.instrument } : {}),
  });
  started.push(async () => {
    await runner.drain();
    runner.close();
  });
  ports.workflow = runner;
  // Decorators get a snapshot, so a wrapper calling ports.x reaches the original adapter.
  Object.assign(ports, options.decorate?.({ ...ports } as Ports) ?? {});

  let seeded: LocalBaton['seeded'];
  if (createdTable || (await repo.listPrograms()).length === 0) {
    seeded = await seedCatalog(ports);
    await repo.ensureStudent({
      id: 'demo-student',
      ...DEMO_STUDENT,
      email: normalizeEmail(DEMO_STUDENT.email),
      createdAt: clock.now().toISOString(),
    });
  }

  const server = await createLocalServer({
    ports: functionPorts,
    auth,
    certificates,
    webRoot: options.webRoot ?? join(REPO_ROOT, 'web', 'dist'),
    siteConfig: { mode: 'local', apiBaseUrl: '', region: 'local', demoAccounts: [DEMO_STUDENT, { ...DEMO_ADMIN, admin: true }] },
    localRoutes: {
      'dev-token': async (body) => {
        try {
          return { status: 200, body: await auth.issue(normalizeEmail((body as { email?: unknown } | undefined)?.email)) };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return { status: HTTP_STATUS[error.code], body: errorBody(error.code, error.message) };
        }
      },
    },
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portTaken(port) : error));
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  started.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(undefined)));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The scheduled reconciler function, with its own declared access.
  const reconcileNow = () =>
    runAs('reconcile', accessOf('reconcile'), () =>
      reconcile(functionPorts, { graceSeconds: options.reconcileGraceSeconds ?? 120, limit: 100 }),
    );
  const every = options.reconcileEverySeconds ?? 0;
  if (every > 0) {
    const timer = setInterval(() => void reconcileNow().catch((e) => logger.error('reconcile failed', { error: String(e) })), every * 1000);
    timer.unref();
    started.push(() => clearInterval(timer));
  }

  return {
    url: baseUrl,
    ports: ports as Ports,
    runner,
    auth,
    secrets,
    tableName,
    dynamoDbEndpoint: endpoint,
    dataDir,
    outboxDir,
    certificatesDir,
    ...(seeded ? { seeded } : {}),
    reconcile: reconcileNow,
    drain: () => runner.drain(),
    stop: () => stopAll(started),
  };
}

/** Stops what was started, last first; one failing stop does not keep the others running. */
async function stopAll(started: Array<() => unknown>): Promise<void> {
  const errors: unknown[] = [];
  for (const stop of started.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) logger.error('stopping local mode failed', { errors: errors.map(String) });
}

function portTaken(port: number): Error {
  return new Error(
    `port ${port} on 127.0.0.1 is already in use (is Baton already running?): stop what is using it, or pick another port, e.g. PORT=${port === 65535 ? 3001 : port + 1} npm start`,
  );
}

/** Rejects with portTaken() when something already listens on the port. */
async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolveProbe, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portTaken(port) : error));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveProbe()));
  });
}

/**
 * Partner secrets: PARTNER_WEBHOOK_SECRETS when set; otherwise one generated per partner on
 * first start and kept in <dataDir>/partner-secrets.json, so restarts keep the same secrets.
 */
export function loadPartnerSecrets(dataDir: string): SecretsByPartner {
  if (process.env.PARTNER_WEBHOOK_SECRETS) return parsePartnerSecrets(process.env.PARTNER_WEBHOOK_SECRETS, 'PARTNER_WEBHOOK_SECRETS');
  const file = join(dataDir, 'partner-secrets.json');
  const json = loadOrCreate(file, () =>
    Buffer.from(JSON.stringify(Object.fromEntries(PARTNER_IDS.map((id) => [id, `whsec_${randomBytes(24).toString('base64')}`])), null, 2)),
  );
  return parsePartnerSecrets(json.toString('utf8'), file);
}

function loadOrCreate(file: string, create: () => Buffer): Buffer {
  if (existsSync(file)) return readFileSync(file);
  const value = create();
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}
