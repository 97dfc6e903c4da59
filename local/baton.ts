// Local mode's composition root: DynamoDB Local, the local workflow runner, files for S3 and
// SES, local tokens, and the HTTP server, wired to the same handlers and use cases as AWS.
// `npm start` and the integration tests both start Baton through here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClientFor, dynamoStores } from '../functions/adapters/dynamodb/client.js';
import {
  DocumentPartnerSecrets,
  documentFromValues,
  parseSecretDocument,
  serializeSecretDocument,
  valuesByPartner,
  type SecretDocument,
  type SecretsByPartner,
} from '../functions/adapters/partner-secrets.js';
import { RemoteKeySets } from '../functions/adapters/remote-key-sets.js';
import { partnerWebhookSecrets } from '../functions/config.js';
import { SEED_PARTNER_IDS } from '../functions/domain/seed-partners.js';
import type { PartnerId } from '../functions/domain/partners.js';
import { seedPartners } from '../functions/use-cases/partners.js';
import { normalizeEmail } from '../functions/domain/email.js';
import { DomainError } from '../functions/domain/errors.js';
import { HTTP_STATUS, errorBody } from '../functions/http/errors.js';
import { logger } from '../functions/observability.js';
import { systemClock, type Ports } from '../functions/wiring.js';
import { seedCatalog } from '../functions/use-cases/programs.js';
import { DEFAULT_RECONCILE, reconcile, type ReconcileReport } from '../functions/use-cases/reconcile.js';
import { DEFAULT_SWEEP, sweepSchedule, type SweepReport } from '../functions/use-cases/reminder-sweep.js';
import { staticUnsubscribeKeys } from '../functions/adapters/aws/secrets-manager-unsubscribe-key.js';
import { simulatedMailFeedback, type SimulatedFeedback } from './mail-feedback.js';
import type { Clock } from '../functions/use-cases/ports/services.js';
import { accessOf } from '../functions/access.js';
import { createLocalAuth, type LocalAuth } from './auth.js';
import { enforceDynamoDbAccess, enforcePortAccess, runAs } from './iam.js';
import { ensureTable, localClientConfig, startDynamoDbLocal } from './dynamodb-local.js';
import { FileCertificateStore, FileExportFiles } from './file-certificates.js';
import { runQueuedExport } from '../functions/handlers/run-export.js';
import { OutboxMailer } from './outbox-mailer.js';
import { FileUploads } from './file-uploads.js';
import { runImportStep } from '../functions/use-cases/import-worker.js';
import { DEFAULT_IMPORT_STARTS_PER_SECOND, IMPORT_WORKER_CONCURRENCY } from '../functions/use-cases/paced-workflow.js';
import { importDroppedFile } from '../functions/use-cases/drop-zone.js';
import { DropFolder } from './drop-folder.js';
import type { DroppedObject } from '../functions/domain/drop-zone.js';
import type { ImportQueue } from '../functions/use-cases/ports/imports.js';
import { FileOrganizationFiles } from './file-organization-files.js';
import { KeyFileSigner } from './key-file-signer.js';
import { sendExpiryReminders, type ReminderReport } from '../functions/use-cases/expiry-reminders.js';
import { createLocalServer } from './server.js';
import { LocalWorkflowRunner, type TaskFault, type WorkflowInstrumentation, type WorkflowType } from './workflow-runner.js';
import { LocalClock, parseClockAdvance } from './clock.js';
import { LocalSchedules, type ScheduleOutcome } from './schedules.js';
import { SafeWebhookSender } from '../functions/adapters/http/webhook-sender.js';
import { outboundAllowLoopback } from '../functions/config.js';
import { attemptDelivery, sweepOutbound } from '../functions/use-cases/outbound-dispatch.js';
import type { DeliveryQueue, WebhookSender } from '../functions/use-cases/ports/outbound.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const DEMO_STUDENT = { email: 'student@test.com', name: 'John Student' };
export const DEMO_ADMIN = { email: 'admin@test.com', name: 'Admin' };
/** Local mode's sender address (SENDER_EMAIL on AWS); the organization may set another at baton.local. */
export const LOCAL_SENDER = 'no-reply@baton.local';
/** Read-only staff (group `viewer`): sees the pipeline, lists and exports, changes nothing. */
export const DEMO_VIEWER = { email: 'viewer@test.com', name: 'Viewer' };

export interface LocalBatonOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  tableName?: string;
  /** Use this DynamoDB Local instead of starting one (tests share one per run). */
  dynamoDbEndpoint?: string;
  /** The built site to serve (default web/dist). */
  webRoot?: string;
  /** Keep DynamoDB data under <dataDir>/dynamodb (npm start); otherwise in memory. */
  persist?: boolean;
  /**
   * What local mode's clock runs on (default: the system clock). Local mode's clock is this plus
   * the moves made since (POST /api/dev/clock, LocalBaton.advanceClock): everything reads it.
   */
  clock?: Clock;
  retryIntervalMs?: number;
  /** How workflow execution names behave: EXPRESS (default, like the default deploy) or STANDARD. */
  workflowType?: WorkflowType;
  /** Finished workflow executions whose records are kept (default 5,000; Infinity keeps all). */
  keepFinishedExecutions?: number;
  partnerSecrets?: SecretsByPartner;
  adminEmails?: string[];
  /** Emails whose local tokens carry the `viewer` group (default: the demo viewer). */
  viewerEmails?: string[];
  /** How often the reconciler runs; 0 turns the timer off (tests call reconcile() themselves). A clock move runs it either way. */
  reconcileEverySeconds?: number;
  /** How often the reminder sweep runs; 0 (the default) turns the timer off. A clock move runs it either way. */
  sweepEverySeconds?: number;
  reconcileGraceSeconds?: number;
  /** How often the certificate expiry reminders run; 0 (default) only on clock moves and runSchedules(). */
  remindEverySeconds?: number;
  /** The organization's name until an admin saves settings (ORGANIZATION_NAME on AWS). */
  organizationName?: string;
  /** Lets tests wrap adapters to inject faults (a failing workflow start, a failing mailer…). */
  decorate?: (ports: Ports) => Partial<Ports>;
  /**
   * Lets benchmarks count requests: `dynamoDbClient` is called with every DynamoDB client local
   * mode talks through (the repository's and the workflow's), `workflowEvent` with every event
   * of every workflow execution.
   */
  instrument?: WorkflowInstrumentation;
  /**
   * Lets tests make a workflow Task fail the way Step Functions reports a failure outside our
   * code (a Lambda service error, States.Timeout): with an error name and possibly no Cause, and
   * without running the task's function.
   */
  taskFault?: TaskFault;
  /** How often outbound events are relayed and due attempts sent (default 1 s with npm start; 0: only on clock moves and runSchedules). */
  dispatchEverySeconds?: number;
  /** Lets event endpoints be on loopback (default: OUTBOUND_ALLOW_LOOPBACK=1). */
  outboundAllowLoopback?: boolean;
  /** The outbound sender (tests wrap it to see or fail attempts). */
  webhookSender?: WebhookSender;
  /** Workflow starts per second all imports together may make (IMPORT_STARTS_PER_SECOND on AWS; default 20). */
  importStartsPerSecond?: number;
  /** How often the drop folder is scanned (npm start: every 5 s); 0 (the default): only by scanDropZone(). */
  dropZoneEverySeconds?: number;
}

export interface LocalBaton {
  url: string;
  ports: Ports;
  /** Local mode's clock (also ports.clock): `now()`, and `advance(ms)` to move it without running the schedules. */
  clock: LocalClock;
  /** The scheduled jobs (the reconciler…): a sweep added later registers here in one line. */
  schedules: LocalSchedules;
  runner: LocalWorkflowRunner;
  auth: LocalAuth;
  secrets: Record<PartnerId, string[]>;
  tableName: string;
  dynamoDbEndpoint: string;
  dataDir: string;
  outboxDir: string;
  certificatesDir: string;
  /** Seeded on first start (empty table): catalog summary, else undefined. */
  seeded?: Awaited<ReturnType<typeof seedCatalog>>;
  /** Runs the reconciler once now (after a run in progress, if any), as its schedule does. */
  reconcile(): Promise<ReconcileReport>;
  /** Runs the certificate expiry reminders once now, as their schedule does. */
  remindExpiring(): Promise<ReminderReport>;
  organizationDir: string;
  /** Runs the reminder sweep once now (after a run in progress, if any), as its schedule does. */
  sweep(): Promise<SweepReport>;
  /** What `npm run bounce` does: SES's bounce (or complaint) for an address, through the mail-feedback function. */
  mailFeedback(feedback: SimulatedFeedback): Promise<unknown>;
  /** Runs every scheduled job once now, as a clock move does; failures are reported, not thrown. */
  runSchedules(): Promise<ScheduleOutcome[]>;
  /**
   * What POST /api/dev/clock does: moves the clock forward by `ms`, runs every scheduled job
   * once, and waits for the workflow executions running then (those the jobs started included).
   */
  advanceClock(ms: number): Promise<Date>;
  /** Waits until no workflow execution is running. */
  drain(): Promise<void>;
  /** The drop zone: files put under its imports/<partnerId>/ are imported (AWS: the uploads bucket's imports/ prefix). */
  dropDir: string;
  /**
   * Scans the drop folder once, as its timer does: a file seen at the same size as at the last scan
   * is picked up (answered here) and its import started; drain() waits for the run.
   */
  scanDropZone(): Promise<DroppedObject[]>;
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
  // One clock for everything time-based; npm start (persist) keeps its moves across restarts, so
  // the clock never runs behind the times already written.
  const clockFile = options.persist ? join(dataDir, 'local-clock.json') : undefined;
  const clock = new LocalClock(options.clock ?? systemClock, clockFile ? readClockOffset(clockFile) : 0);
  const tableName = options.tableName ?? 'baton';

  let endpoint = options.dynamoDbEndpoint;
  if (!endpoint) {
    const dynamo = await startDynamoDbLocal(options.persist ? { dbPath: join(dataDir, 'dynamodb') } : {});
    started.push(() => dynamo.stop());
    endpoint = dynamo.endpoint;
  }
  const dynamoConfig = localClientConfig(endpoint);
  const createdTable = await ensureTable(dynamoConfig, tableName);

  const partnerSecrets = loadPartnerSecrets(dataDir, options.partnerSecrets);
  const secrets = valuesByPartner(await partnerSecrets.snapshot());
  const adminEmails = options.adminEmails ?? [DEMO_ADMIN.email];
  const viewerEmails = options.viewerEmails ?? [DEMO_VIEWER.email];
  const auth = await createLocalAuth(join(dataDir, 'local-auth-key.json'), adminEmails, clock, viewerEmails);
  const outboxDir = join(dataDir, 'outbox');
  const certificatesDir = join(dataDir, 'certificates');
  const organizationDir = join(dataDir, 'organization');

  let baseUrl = 'http://127.0.0.1';
  const certificates = new FileCertificateStore(
    certificatesDir,
    () => baseUrl,
    loadOrCreate(join(dataDir, 'local-download-key'), () => randomBytes(32)),
    clock,
  );
  const exportFiles = new FileExportFiles(
    join(dataDir, 'exports'),
    () => baseUrl,
    loadOrCreate(join(dataDir, 'local-download-key'), () => randomBytes(32)),
    clock,
  );
  const uploads = new FileUploads(
    join(dataDir, 'uploads'),
    () => baseUrl,
    loadOrCreate(join(dataDir, 'local-download-key'), () => randomBytes(32)),
    clock,
  );
  // The exports queue's stand-in: each export runs in-process as soon as it is queued; drain() waits for them.
  const exportRuns = new Set<Promise<unknown>>();
  // The imports queue's stand-in: each step runs in-process when queued, a failing one again (SQS's
  // redelivery) up to IMPORT_RECEIVES times, then is logged as dead-lettered.
  const importRuns = new Set<Promise<unknown>>();
  const dynamoDbClient = new DynamoDBClient(dynamoConfig);
  started.push(() => dynamoDbClient.destroy());
  enforceDynamoDbAccess(dynamoDbClient);
  options.instrument?.dynamoDbClient?.(dynamoDbClient);
  const stores = dynamoStores(documentClientFor(dynamoDbClient), tableName);
  // The workflow port is the runner, which itself runs tasks with these ports: set just below.
  const ports: Omit<Ports, 'workflow'> & { workflow?: Ports['workflow'] } = {
    ...stores,
    certificates,
    mailer: new OutboxMailer(outboxDir, LOCAL_SENDER, clock),
    admins: auth,
    secrets: partnerSecrets,
    keySets: new RemoteKeySets(),
    // The key that signs unsubscribe links: generated on first start, kept in the data dir (Secrets Manager on AWS).
    unsubscribeKeys: staticUnsubscribeKeys(loadOrCreate(join(dataDir, 'unsubscribe-key'), () => randomBytes(32))),
    clock,
    settings: {
      get siteUrl() {
        return baseUrl;
      },
      organizationName: options.organizationName ?? 'Baton',
      senderEmail: LOCAL_SENDER,
    },
    logger,
    organizationFiles: new FileOrganizationFiles(organizationDir),
    // The KMS key's stand-in: generated on first start, kept in the data dir (mode 0600).
    signer: new KeyFileSigner(join(dataDir, 'credential-signing-key.pem')),
    webhookSender:
      options.webhookSender ?? new SafeWebhookSender({ allowLoopback: options.outboundAllowLoopback ?? outboundAllowLoopback() }),
    // SQS's stand-in: an attempt due now runs at once, as the sender function would (a delayed one waits for its time: the sweep finds it due).
    deliveryQueue: undefined as unknown as DeliveryQueue,
    exportFiles,
    uploads,
    importQueue: undefined as unknown as ImportQueue,
    exportQueue: {
      enqueue: async (exportId: string) => {
        const run = runAs('run-export', accessOf('run-export'), () =>
          runQueuedExport(functionPorts, exportId, timeBudget(EXPORT_BUDGET_MS)),
        )
          .catch((error: unknown) => logger.error('export run failed', { exportId, error: String(error) }))
          .finally(() => exportRuns.delete(run));
        exportRuns.add(run);
      },
    },
  };
  // What functions get: the same adapters, every call checked against the function's access.
  const functionPorts = enforcePortAccess(ports as Ports);
  const importWorker = { ...functionPorts, importStartsPerSecond: options.importStartsPerSecond ?? DEFAULT_IMPORT_STARTS_PER_SECOND };
  // At most IMPORT_WORKER_CONCURRENCY messages worked on at once, as the event source's
  // maxConcurrency on AWS: each step paces its starts at its share of the limit.
  let working = 0;
  const waiting: Array<() => void> = [];
  const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
    while (working >= IMPORT_WORKER_CONCURRENCY) await new Promise<void>((resolveTurn) => waiting.push(resolveTurn));
    working++;
    try {
      return await work();
    } finally {
      working--;
      waiting.shift()?.();
    }
  };
  // One message of the imports queue, received again when it fails (SQS's redelivery), then dead-lettered.
  const receive = (what: string, context: object, work: () => Promise<unknown>) => {
    const run = (async () => {
      for (let attempt = 1; attempt <= IMPORT_RECEIVES; attempt++) {
        try {
          return await inTurn(() => runAs('import-worker', accessOf('import-worker'), work));
        } catch (error) {
          logger.error(`${what} failed; ${attempt < IMPORT_RECEIVES ? 'redelivered' : 'dead-lettered'}`, {
            ...context,
            error: String(error),
          });
        }
      }
      return undefined;
    })().finally(() => importRuns.delete(run));
    importRuns.add(run);
    return run;
  };
  ports.importQueue = {
    enqueue: async (message) => {
      // Like SendMessage: queued, not waited for (drain() waits).
      void receive('import step', message, () => runImportStep(importWorker, message));
    },
  };
  // The bucket's notification of a dropped file, on the same queue to the same worker.
  const dropFolder = new DropFolder(
    join(dataDir, 'drop'),
    uploads,
    async (object) => {
      const outcome = await receive('drop zone file', object, () => importDroppedFile(importWorker, object));
      if (outcome === undefined) throw new Error('its notification was dead-lettered');
    },
    logger,
  );
  ports.deliveryQueue = {
    enqueue: async (refs, delaySeconds = 0) => {
      if (delaySeconds > 0) return;
      for (const ref of refs) await runAs('send-events', accessOf('send-events'), () => attemptDelivery(functionPorts, ref));
    },
  };
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
    ...(options.taskFault ? { taskFault: options.taskFault } : {}),
  });
  ports.workflow = runner;
  started.push(async () => {
    await runner.drain();
    runner.close();
  });
  // Decorators get a snapshot, so a wrapper calling ports.x reaches the original adapter.
  Object.assign(ports, options.decorate?.({ ...ports } as Ports) ?? {});

  let seeded: LocalBaton['seeded'];
  if (createdTable || (await stores.catalog.list()).length === 0) {
    await seedPartners(ports);
    seeded = await seedCatalog(ports);
    await stores.students.ensure({
      id: 'demo-student',
      ...DEMO_STUDENT,
      email: normalizeEmail(DEMO_STUDENT.email),
      createdAt: clock.now().toISOString(),
    });
  }

  // The drop zone's folders, one per partner, and the scan that picks up what is put there.
  await dropFolder.prepare((await stores.partners.list()).map((partner) => partner.id));
  dropFolder.start(options.dropZoneEverySeconds ?? 0);

  // The scheduled functions (EventBridge Scheduler on AWS), each with its own declared access.
  const schedules = new LocalSchedules(logger);
  started.push(() => schedules.stop());
  schedules.register('reconcile', options.reconcileEverySeconds ?? 0, () =>
    runAs('reconcile', accessOf('reconcile'), () =>
      reconcile(functionPorts, {
        ...DEFAULT_RECONCILE,
        graceSeconds: options.reconcileGraceSeconds ?? DEFAULT_RECONCILE.graceSeconds,
        timeLeft: timeBudget(RECONCILE_BUDGET_MS),
      }),
    ),
  );
  schedules.register('certificate-reminders', options.remindEverySeconds ?? 0, () =>
    runAs('certificate-reminders', accessOf('certificate-reminders'), () =>
      sendExpiryReminders(functionPorts, { timeLeft: timeBudget(RECONCILE_BUDGET_MS) }),
    ),
  );
  schedules.register('reminder-sweep', options.sweepEverySeconds ?? 0, () =>
    runAs('reminder-sweep', accessOf('reminder-sweep'), () =>
      sweepSchedule(functionPorts, { ...DEFAULT_SWEEP, timeLeft: timeBudget(SWEEP_BUDGET_MS) }),
    ),
  );
  const mailFeedback = (feedback: SimulatedFeedback) => simulatedMailFeedback(functionPorts, feedback);
  schedules.register('sweep-events', options.dispatchEverySeconds ?? 0, () =>
    runAs('sweep-events', accessOf('sweep-events'), () => sweepOutbound(functionPorts, timeBudget(RECONCILE_BUDGET_MS))),
  );
  const advanceClock = async (ms: number) => {
    clock.advance(ms);
    if (clockFile) writeFileSync(clockFile, JSON.stringify({ offsetMs: clock.offsetMs }));
    await schedules.runAll();
    await runner.drain();
    return clock.now();
  };

  const drain = async () => {
    await runner.drain();
    while (exportRuns.size > 0 || importRuns.size > 0) await Promise.all([...exportRuns, ...importRuns]);
  };
  started.push(drain);
  // Stopped before the drain (stops run last first): no file is picked up while or after it drains.
  started.push(() => dropFolder.stop());
  const server = await createLocalServer({
    ports: functionPorts,
    auth,
    certificates,
    exportFiles,
    uploads,
    webRoot: options.webRoot ?? join(REPO_ROOT, 'web', 'dist'),
    siteConfig: {
      mode: 'local',
      apiBaseUrl: '',
      region: 'local',
      demoAccounts: [DEMO_STUDENT, { ...DEMO_ADMIN, admin: true }, { ...DEMO_VIEWER, viewer: true }],
    },
    localRoutes: {
      'dev-token': async (body) => {
        try {
          return { status: 200, body: await auth.issue(normalizeEmail((body as { email?: unknown } | undefined)?.email)) };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return { status: HTTP_STATUS[error.code], body: errorBody(error.code, error.message) };
        }
      },
      'dev-clock': async () => ({ status: 200, body: { now: clock.now().toISOString() } }),
      'dev-mail-feedback': async (body) => {
        try {
          return { status: 200, body: await mailFeedback(body as SimulatedFeedback) };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return { status: HTTP_STATUS[error.code], body: errorBody(error.code, error.message) };
        }
      },
      'dev-clock-advance': async (body) => {
        const move = parseClockAdvance(body);
        if ('error' in move) return { status: 400, body: errorBody('VALIDATION_FAILED', move.error) };
        return { status: 200, body: { now: (await advanceClock(move.ms)).toISOString() } };
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

  return {
    url: baseUrl,
    ports: ports as Ports,
    clock,
    schedules,
    runner,
    auth,
    secrets,
    tableName,
    dynamoDbEndpoint: endpoint,
    dataDir,
    outboxDir,
    certificatesDir,
    ...(seeded ? { seeded } : {}),
    reconcile: () => schedules.runNow('reconcile') as Promise<ReconcileReport>,
    remindExpiring: () => schedules.runNow('certificate-reminders') as Promise<ReminderReport>,
    organizationDir,
    sweep: () => schedules.runNow('reminder-sweep') as Promise<SweepReport>,
    mailFeedback,
    runSchedules: () => schedules.runAll(),
    advanceClock,
    drain,
    dropDir: dropFolder.root,
    scanDropZone: () => dropFolder.scan(),
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

/** Like the imports queue's maxReceiveCount. */
const IMPORT_RECEIVES = 3;

/** How long one local export run may work (the deployed function's 15 minutes, less its reserve). */
const EXPORT_BUDGET_MS = 14 * 60_000;

/** How long one local reconciler run may work (the deployed function's limit, less what it keeps in reserve). */
const RECONCILE_BUDGET_MS = 50_000;
/** The same for the reminder sweep. */
const SWEEP_BUDGET_MS = 285_000;

/** True until `ms` of wall-clock time have passed since it was made. */
function timeBudget(ms: number): () => boolean {
  const until = performance.now() + ms;
  return () => performance.now() < until;
}

/**
 * Local mode's stand-in for the Secrets Manager secret: <dataDir>/partner-secrets.json (mode 0600),
 * which the admin routes write. PARTNER_WEBHOOK_SECRETS (or the tests' secrets) bootstrap it: the
 * secrets it names that the file lacks are added on start. With neither, the first start
 * generates one Standard Webhooks secret per seed partner.
 */
export function loadPartnerSecrets(dataDir: string, given?: SecretsByPartner): FilePartnerSecrets {
  const file = join(dataDir, 'partner-secrets.json');
  const fromEnv = partnerWebhookSecrets();
  const bootstrap: SecretDocument | undefined = given
    ? documentFromValues(given)
    : fromEnv
      ? parseSecretDocument(fromEnv, 'PARTNER_WEBHOOK_SECRETS')
      : undefined;
  let document: SecretDocument = existsSync(file) ? parseSecretDocument(readFileSync(file, 'utf8'), file) : {};
  if (!existsSync(file) && !bootstrap) {
    document = documentFromValues(Object.fromEntries(SEED_PARTNER_IDS.map((id) => [id, [`whsec_${randomBytes(24).toString('base64')}`]])));
  }
  for (const [partnerId, list] of Object.entries(bootstrap ?? {})) {
    const known = new Set((document[partnerId] ?? []).map((s) => s.id));
    document[partnerId] = [...(document[partnerId] ?? []), ...list.filter((s) => !known.has(s.id))];
  }
  const write = (next: SecretDocument) => writeFileSync(file, serializeSecretDocument(next), { mode: 0o600 });
  write(document);
  return new FilePartnerSecrets(document, write);
}

export class FilePartnerSecrets extends DocumentPartnerSecrets {
  private current: SecretDocument;
  constructor(document: SecretDocument, write: (document: SecretDocument) => void) {
    super(document, (next) => {
      this.current = next;
      write(next);
    });
    this.current = document;
  }

  /** Every partner's secrets as they are now. */
  async snapshot(): Promise<SecretDocument> {
    return this.current;
  }
}

/** The clock's offset saved by earlier moves (npm start), or 0. */
function readClockOffset(file: string): number {
  if (!existsSync(file)) return 0;
  const { offsetMs } = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
  return typeof offsetMs === 'number' ? offsetMs : 0;
}

function loadOrCreate(file: string, create: () => Buffer): Buffer {
  if (existsSync(file)) return readFileSync(file);
  const value = create();
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}
