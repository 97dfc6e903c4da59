// What the production-wiring test (bundles.test.ts) needs besides the bundles: the data each
// function's event acts on, made through local mode in a table of the run's DynamoDB Local; the
// stand-in for the other AWS services; each function's event and what it must answer; and a
// runner that starts a bundle in a child Node process with a Lambda's environment.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { encode as encodePng } from 'fast-png';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { FunctionId } from '../../functions/access.js';
import { routeById, type RouteId } from '../../functions/http/routes.js';
import type { Ports } from '../../functions/wiring.js';
import { executionInput } from '../../functions/workflow/definition.js';
import { unsubscribeToken } from '../../functions/domain/unsubscribe.js';
import { sesNotification } from '../../local/mail-feedback.js';
import { REPO_ROOT } from '../../infra/constructs/baton-function.js';
import { completionBody, signWebhook } from '../../local/partner-webhook-client.js';
import { derivedSecretId } from '../../functions/adapters/partner-secrets.js';
import { startAwsStandIn, type AwsStandIn } from '../support/aws-stand-in.js';
import { saveProgram } from '../support/programs.js';
import { newJob } from '../../functions/use-cases/imports.js';
import { ADMIN, partnerSecrets, startTestBaton } from '../support/test-baton.js';

/** The values a deployed function would find in the variables CloudFormation fills in, pointed at the stand-ins. */
export interface StandInValues {
  TABLE_NAME: string;
  STATE_MACHINE_ARN: string;
  CERTIFICATE_BUCKET: string;
  PARTNER_SECRETS_ARN: string;
  SITE_URL: string;
  SIGNING_KEY_ID: string;
  SES_CONFIGURATION_SET: string;
  UNSUBSCRIBE_KEY_ARN: string;
  EVENT_QUEUE_URL: string;
  EXPORT_QUEUE_URL: string;
  USER_POOL_ID: string;
  EXPORT_BUCKET: string;
  UPLOAD_BUCKET: string;
  IMPORT_QUEUE_URL: string;
  IMPORT_STARTS_PER_SECOND: string;
}

/** The unsubscribe signing key the stand-in's secret holds (local mode's data made its tokens with its own key). */
export const WIRING_UNSUBSCRIBE_KEY = 'wiring-unsubscribe-key-0123456789abcdef0123456789abcdef';
const UNSUBSCRIBE_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:baton/unsubscribe-WiRiNg';

/** One hsi step (required) and one jri step beside it (optional): one completion completes it, and there is a step to skip. */
const PROGRAM = {
  id: 'wiring-smoke',
  name: 'Wiring Smoke',
  category: 'Healthcare',
  steps: [
    { sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS, CPR, AED & First Aid' },
    { sequence: 1, partnerId: 'jri', courseId: 'work-readiness', courseName: 'Work Readiness & Professional Skills', required: false },
  ],
} as const;

/** What each enrollment of the data is for. */
const PURPOSES = [
  'reader',
  'complete',
  'waive',
  'skip',
  'cancel',
  'retry',
  'markSent',
  'issue',
  'email',
  'certified',
  'advance',
  'webhook',
  'link',
  'reconcile',
  'revoke',
  'nudge',
  'unsubscribe',
  // Its own student: the page is fetched in parallel with the one-click unsubscribe, and would show the other's outcome.
  'unsubscribePage',
  // Evidence: one submitted by the route, one whose file never arrived, one to approve, one to reject.
  'evidenceSubmit',
  'evidenceFile',
  'evidenceApprove',
  'evidenceReject',
] as const;

/** The enrollments the events act on, each in the state its function needs, by what they are for. */
export interface WiringData {
  enrollments: Record<(typeof PURPOSES)[number], { id: string; email: string; studentId: string }>;
  certificateId: string;
  /** A second certificate, for the revocation route. */
  revokeCertificateId: string;
  /** An unmatched event nobody will match (to dismiss). */
  strayWebhookId: string;
  /** An event endpoint with a pending delivery (a test ping that failed once), another to delete, a queued export. */
  endpointId: string;
  endpointToDelete: string;
  deliveryId: string;
  exportId: string;
  /** An import whose run 1 is running (its file was never uploaded). */
  importId: string;
  secrets: Record<string, string[]>;
  /** A delivery stored as ignored (the delivery log's routes). */
  ignoredWebhookId: string;
  /** Evidence, by what it is for (the enrollments of the same names). */
  evidence: { file: string; approve: string; reject: string };
}

export interface WiringFixture {
  values: StandInValues;
  standIn: AwsStandIn;
  data: WiringData;
  dynamoDbEndpoint: string;
  home: string;
  close(): Promise<void>;
}

const email = (name: string) => `wiring-${name.toLowerCase()}@example.org`;

/**
 * Makes the data through local mode (the same handlers and workflow file), with its clock ten
 * minutes behind, so the advance request left for the reconciler is overdue for the real clock the
 * bundles run on. Faults leave some enrollments in the states their functions act on.
 */
export async function startWiringFixture(): Promise<WiringFixture> {
  const tableName = `baton-wiring-${randomUUID()}`;
  const secrets = partnerSecrets();
  const failIssue = new Set<string>();
  const failEmailTask = new Set<string>();
  const failStart = new Set<string>();
  const unknownEmailOutcome = new Set([email('markSent')]);
  const baton = await startTestBaton({
    tableName,
    partnerSecrets: secrets,
    clock: { now: () => new Date(Date.now() - 10 * 60_000) },
    taskFault: (state, input) => {
      const id = (input as { enrollmentId?: string }).enrollmentId ?? '';
      if ((state === 'IssueCertificate' && failIssue.has(id)) || (state === 'SendCompletionEmail' && failEmailTask.has(id)))
        return { error: 'Wiring.Fault', cause: 'left for the wiring test' };
      return undefined;
    },
    decorate: (ports: Ports) => ({
      workflow: {
        start: (id, trigger) => (failStart.has(id) ? Promise.reject(new Error('start lost')) : ports.workflow.start(id, trigger)),
      },
      mailer: { send: (m) => (unknownEmailOutcome.has(m.to) ? Promise.reject(new Error('socket hang up')) : ports.mailer.send(m)) },
    }),
  });
  try {
    await saveProgram(baton, PROGRAM);
    const enroll = async (name: (typeof PURPOSES)[number], partnerAccounts?: Record<string, string>) => {
      const enrollment = await baton.enroll({
        studentEmail: email(name),
        programId: PROGRAM.id,
        ...(partnerAccounts ? { partnerAccounts } : {}),
      });
      return { id: enrollment.id as string, email: email(name), studentId: enrollment.studentId as string };
    };
    const enrollments = Object.fromEntries(
      await Promise.all(
        PURPOSES.map(async (key) => [key, await enroll(key, key === 'webhook' ? { hsi: 'WIRING-WEBHOOK' } : undefined)] as const),
      ),
    ) as WiringData['enrollments'];

    failIssue.add(enrollments.retry.id).add(enrollments.issue.id);
    failEmailTask.add(enrollments.email.id);
    failStart.add(enrollments.reconcile.id);
    const completeHsi = async (id: string) => {
      const done = await baton.api('POST', `/api/admin/enrollments/${id}/steps/1/complete`, {
        as: ADMIN,
        body: { reason: 'set up for the wiring test', partnerId: 'hsi' },
      });
      if (done.status !== 200) throw new Error(`completing ${id}: ${done.status} ${JSON.stringify(done.body)}`);
    };
    await Promise.all(
      ['retry', 'markSent', 'issue', 'email', 'certified', 'reconcile', 'revoke'].map((key) =>
        completeHsi(enrollments[key as (typeof PURPOSES)[number]].id),
      ),
    );
    // Events waiting: one for the account the link route links, one for nobody (dismissed).
    const strayWebhookId = `msg_wiring_${randomUUID().replace(/-/g, '')}`;
    for (const [studentId, id] of [
      ['WIRING-LINK', undefined],
      ['WIRING-NOBODY', strayWebhookId],
    ] as const) {
      const answer = await baton.complete('hsi', { studentId, courseId: 'bls-cpr-aed' }, id ? { id } : {});
      if (answer.status !== 200) throw new Error(`unmatched webhook: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    // Accounts the unlink and move routes correct.
    for (const [partnerId, externalId] of [
      ['jri', 'WIRING-UNLINK'],
      ['milady', 'WIRING-MOVE'],
    ] as const) {
      const linked = await baton.api('POST', '/api/admin/partner-accounts', {
        as: ADMIN,
        body: { partnerId, externalId, studentEmail: enrollments.reader.email },
      });
      if (linked.status !== 200) throw new Error(`linking ${externalId}: ${linked.status} ${JSON.stringify(linked.body)}`);
    }
    // A delivery Baton ignored (an event it does not act on): the delivery log's routes read and replay it.
    const ignoredWebhookId = `msg_wiring_ignored_${randomUUID().replace(/-/g, '')}`;
    const ignored = await baton.webhook(
      'hsi',
      JSON.stringify({ event: 'course.started', student_id: 'WIRING-LOG', course_id: 'bls-cpr-aed' }),
      {
        id: ignoredWebhookId,
      },
    );
    if (ignored.status !== 200) throw new Error(`ignored webhook: ${ignored.status} ${JSON.stringify(ignored.body)}`);
    const submitEvidence = async (key: 'evidenceFile' | 'evidenceApprove' | 'evidenceReject') => {
      const submitted = await baton.api('POST', `/api/enrollments/${enrollments[key].id}/evidence`, {
        as: enrollments[key].email,
        body: {
          sequence: 1,
          partnerId: 'hsi',
          reference: 'WIRING-CARD',
          completedAt: '2026-01-05',
          ...(key === 'evidenceFile' ? { file: { contentType: 'application/pdf', size: 1000 } } : {}),
        },
      });
      if (submitted.status !== 201) throw new Error(`evidence: ${submitted.status} ${JSON.stringify(submitted.body)}`);
      return submitted.body.evidenceId as string;
    };
    const evidence = {
      file: await submitEvidence('evidenceFile'),
      approve: await submitEvidence('evidenceApprove'),
      reject: await submitEvidence('evidenceReject'),
    };
    await baton.drain();
    const endpoint = async () => {
      const made = await baton.api('POST', '/api/admin/event-endpoints', {
        as: ADMIN,
        body: { url: 'https://127.0.0.1/wiring', events: ['enrollment.created'] },
      });
      if (made.status !== 201) throw new Error(`endpoint: ${made.status} ${JSON.stringify(made.body)}`);
      return made.body.endpointId as string;
    };
    const endpointId = await endpoint();
    const endpointToDelete = await endpoint();
    // Local mode refuses loopback here too: the ping's first attempt fails and the next one is due in 5 s.
    const deliveryId = (await baton.api('POST', `/api/admin/event-endpoints/${endpointId}/test`, { as: ADMIN })).body.deliveryId as string;
    const exportId = randomUUID();
    await baton.ports.exports.putJob({
      id: exportId,
      kind: 'enrollments',
      filters: {},
      createdAt: new Date().toISOString(),
      createdBy: ADMIN,
      status: 'queued',
      revision: 0,
      rows: 0,
      parts: [],
      runs: 0,
    });

    const importId = randomUUID();
    const importJob = newJob(
      importId,
      { kind: 'completions', partnerId: 'hsi', fileName: 'report.csv' },
      ADMIN,
      new Date().toISOString(),
      'upload',
    );
    await baton.ports.imports.create(importJob);
    await baton.ports.imports.replace({ ...importJob, status: 'running', run: 1 }, importJob);

    const certified = await baton.enrollment(enrollments.certified.id);
    const certificateId = certified.certificate?.id as string | undefined;
    if (!certificateId) throw new Error(`no certificate: ${JSON.stringify(certified)}`);
    const revokeCertificateId = (await baton.enrollment(enrollments.revoke.id)).certificate?.id as string;
    for (const key of ['retry', 'markSent', 'issue', 'email'] as const) {
      const view = await baton.enrollment(enrollments[key].id);
      if (!view.workflowFailure) throw new Error(`${key}: expected a recorded failure, got ${JSON.stringify(view)}`);
    }
    await baton.stop();

    const data: WiringData = {
      enrollments,
      certificateId,
      revokeCertificateId,
      strayWebhookId,
      ignoredWebhookId,
      secrets,
      endpointId,
      endpointToDelete,
      deliveryId,
      exportId,
      evidence,
      importId,
    };
    const home = mkdtempSync(join(tmpdir(), 'baton-wiring-home-'));
    const standIn = await startAwsStandIn({
      secrets: Object.fromEntries(Object.entries(secrets).map(([p, s]) => [p, s[0]!])),
      otherSecrets: { [UNSUBSCRIBE_KEY_ARN]: WIRING_UNSUBSCRIBE_KEY },
    });
    return {
      values: {
        TABLE_NAME: tableName,
        STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:baton-wiring-test',
        CERTIFICATE_BUCKET: 'baton-wiring-certificates',
        PARTNER_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:baton/partner-webhooks-WiRiNg',
        SITE_URL: 'https://learn.example.org',
        SIGNING_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/0e1b7a4c-1111-2222-3333-444455556666',
        SES_CONFIGURATION_SET: 'baton-wiring-mail',
        UNSUBSCRIBE_KEY_ARN,
        EVENT_QUEUE_URL: `${standIn.url}/123456789012/baton-wiring-events`,
        EXPORT_QUEUE_URL: `${standIn.url}/123456789012/baton-wiring-exports`,
        USER_POOL_ID: 'us-east-1_WiRiNg000',
        EXPORT_BUCKET: 'baton-wiring-exports',
        UPLOAD_BUCKET: 'baton-wiring-uploads',
        IMPORT_QUEUE_URL: `${standIn.url}/123456789012/baton-wiring-imports`,
        IMPORT_STARTS_PER_SECOND: '20',
      },
      standIn,
      data,
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      home,
      close: async () => {
        await standIn.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await baton.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Events

type Claims = Record<string, string>;
const adminClaims: Claims = { sub: 'wiring-admin', email: 'admin@example.org', token_use: 'access', 'cognito:groups': '[admin]' };
const studentClaims = (studentEmail: string): Claims => ({ sub: `sub-${studentEmail}`, email: studentEmail, token_use: 'access' });

/** An API Gateway HTTP API (payload 2.0) event for a route, with the JWT authorizer's claims when signed in. */
export function httpEvent(
  id: RouteId,
  options: {
    params?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
    claims?: Claims;
  } = {},
) {
  const route = routeById(id);
  const params = options.params ?? {};
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
  const query = options.query ?? {};
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const claims = options.claims ?? (route.auth === 'admin' || route.auth === 'staff' ? adminClaims : undefined);
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { host: 'api.example.org', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'wiring',
      domainName: 'api.example.org',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'wiring-test' },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

/** One function's event, and for a route the HTTP status it must answer. */
export interface Invocation {
  event: unknown;
  status?: number;
}

/** Every deployed function's event: each acts on data its production wiring must read or write for real. */
/** A 16×16 PNG (an opaque blue square) for the settings route's logo. */
const TINY_PNG = `data:image/png;base64,${Buffer.from(encodePng({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 4).fill(200), channels: 4, depth: 8 })).toString('base64')}`;

export function invocations(data: WiringData, keyId: string): Record<FunctionId, Invocation> {
  const e = data.enrollments;
  const reason = { reason: 'checked by the wiring test' };
  const webhook = signWebhook({
    secret: data.secrets.hsi![0]!,
    body: completionBody({ event: 'course.completed', studentId: 'WIRING-WEBHOOK', courseId: 'bls-cpr-aed' }),
  });
  return {
    health: { event: httpEvent('health'), status: 200 },
    'list-programs': { event: httpEvent('list-programs'), status: 200 },
    'save-program': {
      event: httpEvent('save-program', {
        params: { programId: 'wiring-saved' },
        body: {
          name: 'Wiring Saved',
          category: 'Healthcare',
          steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS' }],
        },
      }),
      status: 201,
    },
    'create-enrollment': {
      event: httpEvent('create-enrollment', { body: { studentEmail: email('created'), programId: PROGRAM.id } }),
      status: 201,
    },
    'get-enrollment': {
      event: httpEvent('get-enrollment', { params: { id: e.reader.id }, claims: studentClaims(e.reader.email) }),
      status: 200,
    },
    'list-my-enrollments': { event: httpEvent('list-my-enrollments', { claims: studentClaims(e.reader.email) }), status: 200 },
    'list-enrollments': { event: httpEvent('list-enrollments', { query: { q: 'wiring-reader' } }), status: 200 },
    'complete-step': {
      event: httpEvent('complete-step', { params: { id: e.complete.id, sequence: '1' }, body: { ...reason, partnerId: 'hsi' } }),
      status: 200,
    },
    'waive-step': {
      event: httpEvent('waive-step', { params: { id: e.waive.id, sequence: '1' }, body: { ...reason, partnerId: 'hsi' } }),
      status: 200,
    },
    'skip-step': {
      event: httpEvent('skip-step', { params: { id: e.skip.id, sequence: '1' }, body: { ...reason, partnerId: 'jri' } }),
      status: 200,
    },
    'retry-workflow': { event: httpEvent('retry-workflow', { params: { id: e.retry.id } }), status: 200 },
    'mark-email-sent': { event: httpEvent('mark-email-sent', { params: { id: e.markSent.id }, body: reason }), status: 200 },
    'cancel-enrollment': { event: httpEvent('cancel-enrollment', { params: { id: e.cancel.id }, body: reason }), status: 200 },
    'link-partner-account': {
      event: httpEvent('link-partner-account', { body: { partnerId: 'hsi', externalId: 'WIRING-LINK', studentEmail: e.link.email } }),
      status: 200,
    },
    'list-unmatched-events': { event: httpEvent('list-unmatched-events'), status: 200 },
    'dismiss-unmatched-event': {
      event: httpEvent('dismiss-unmatched-event', { body: { partnerId: 'hsi', webhookId: data.strayWebhookId, ...reason } }),
      status: 200,
    },
    'get-pipeline': { event: httpEvent('get-pipeline'), status: 200 },
    'count-unmatched-events': { event: httpEvent('count-unmatched-events'), status: 200 },
    'partner-webhook': {
      event: httpEvent('partner-webhook', { params: { partnerId: 'hsi' }, headers: webhook.headers, body: webhook.body }),
      status: 200,
    },
    'verify-certificate': { event: httpEvent('verify-certificate', { params: { id: data.certificateId } }), status: 200 },
    'unlink-partner-account': {
      event: httpEvent('unlink-partner-account', { params: { partnerId: 'jri', externalId: 'WIRING-UNLINK' }, body: reason }),
      status: 200,
    },
    'move-partner-account': {
      event: httpEvent('move-partner-account', {
        params: { partnerId: 'milady', externalId: 'WIRING-MOVE' },
        body: { ...reason, studentEmail: e.cancel.email },
      }),
      status: 200,
    },
    // The stored delivery is not a completion: refused after reading it.
    'reapply-partner-event': {
      event: httpEvent('reapply-partner-event', {
        params: { partnerId: 'hsi', externalId: 'WIRING-LOG' },
        body: { ...reason, webhookId: data.ignoredWebhookId },
      }),
      status: 400,
    },
    // The reader's step is in progress, not completed: decided on the table's copy and refused.
    'reopen-step': {
      event: httpEvent('reopen-step', { params: { id: e.reader.id, sequence: '1' }, body: { ...reason, partnerId: 'hsi' } }),
      status: 409,
    },
    'list-partners': { event: httpEvent('list-partners'), status: 200 },
    'get-partner': { event: httpEvent('get-partner', { params: { partnerId: 'hsi' } }), status: 200 },
    'save-partner': {
      event: httpEvent('save-partner', { params: { partnerId: 'wiring-partner' }, body: { name: 'Wiring Partner' } }),
      status: 201,
    },
    // Secrets of partners the webhook does not use, so the parallel runs cannot change what it verifies with.
    'create-partner-secret': { event: httpEvent('create-partner-secret', { params: { partnerId: 'certiport' } }), status: 201 },
    'retire-partner-secret': {
      event: httpEvent('retire-partner-secret', { params: { partnerId: 'jri', secretId: derivedSecretId(data.secrets.jri![0]!) } }),
      status: 204,
    },
    'test-partner-webhook': {
      event: httpEvent('test-partner-webhook', { params: { partnerId: 'hsi' }, body: { headers: webhook.headers, body: webhook.body } }),
      status: 200,
    },
    'list-partner-deliveries': { event: httpEvent('list-partner-deliveries', { params: { partnerId: 'hsi' } }), status: 200 },
    'get-partner-delivery': {
      event: httpEvent('get-partner-delivery', { params: { partnerId: 'hsi', deliveryId: data.ignoredWebhookId } }),
      status: 200,
    },
    'replay-partner-delivery': {
      event: httpEvent('replay-partner-delivery', { params: { partnerId: 'hsi', deliveryId: data.ignoredWebhookId } }),
      status: 200,
    },
    'download-certificate': {
      event: httpEvent('download-certificate', {
        params: { id: data.certificateId },
        headers: { accept: 'application/json' },
        claims: studentClaims(e.certified.email),
      }),
      status: 200,
    },
    'get-settings': { event: httpEvent('get-settings'), status: 200 },
    'save-settings': {
      event: httpEvent('save-settings', {
        body: { organizationName: 'Wiring Academy', logo: TINY_PNG, senderEmail: 'registrar@example.org' },
      }),
      status: 200,
    },
    'get-organization': { event: httpEvent('get-organization'), status: 200 },
    // No such logo in the bucket: the function asks S3 for exactly this key and answers 404.
    'get-organization-file': { event: httpEvent('get-organization-file', { params: { file: `logo-${'a'.repeat(64)}.png` } }), status: 404 },
    'list-certificates': { event: httpEvent('list-certificates', { query: { expiringWithinDays: '90' } }), status: 200 },
    'revoke-certificate': {
      event: httpEvent('revoke-certificate', { params: { id: data.revokeCertificateId }, body: reason }),
      status: 200,
    },
    'get-credential': { event: httpEvent('get-credential', { params: { id: data.certificateId } }), status: 200 },
    'issuer-profile': { event: httpEvent('issuer-profile'), status: 200 },
    'issuer-jwks': { event: httpEvent('issuer-jwks'), status: 200 },
    'issuer-key': { event: httpEvent('issuer-key', { params: { keyId } }), status: 200 },
    'issuer-status-list': { event: httpEvent('issuer-status-list', { params: { list: '1' } }), status: 200 },
    'certificate-reminders': {
      event: {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        account: '123456789012',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/baton-certificate-reminders'],
        detail: {},
      },
    },
    'send-reminders': { event: httpEvent('send-reminders', { body: { enrollmentIds: [e.nudge.id] } }), status: 200 },
    'unsubscribe-page': {
      event: httpEvent('unsubscribe-page', {
        query: { token: unsubscribeToken(Buffer.from(WIRING_UNSUBSCRIBE_KEY), e.unsubscribePage.studentId) },
      }),
      status: 200,
    },
    unsubscribe: {
      event: httpEvent('unsubscribe', {
        query: { token: unsubscribeToken(Buffer.from(WIRING_UNSUBSCRIBE_KEY), e.unsubscribe.studentId) },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      }),
      status: 200,
    },
    'save-preferences': {
      event: httpEvent('save-preferences', { claims: studentClaims(e.reader.email), body: { reminders: false } }),
      status: 200,
    },
    'create-event-endpoint': {
      event: httpEvent('create-event-endpoint', { body: { url: 'https://hooks.example.org/baton', events: ['step.completed'] } }),
      status: 201,
    },
    'list-event-endpoints': { event: httpEvent('list-event-endpoints'), status: 200 },
    'delete-event-endpoint': { event: httpEvent('delete-event-endpoint', { params: { endpointId: data.endpointToDelete } }), status: 200 },
    'list-event-deliveries': { event: httpEvent('list-event-deliveries', { params: { endpointId: data.endpointId } }), status: 200 },
    'replay-event-delivery': {
      event: httpEvent('replay-event-delivery', { params: { endpointId: data.endpointId, deliveryId: data.deliveryId } }),
      status: 202,
    },
    'test-event-endpoint': { event: httpEvent('test-event-endpoint', { params: { endpointId: data.endpointId } }), status: 202 },
    'rotate-event-endpoint-secret': {
      event: httpEvent('rotate-event-endpoint-secret', { params: { endpointId: data.endpointId } }),
      status: 200,
    },
    'enable-event-endpoint': { event: httpEvent('enable-event-endpoint', { params: { endpointId: data.endpointId } }), status: 200 },
    'create-export': { event: httpEvent('create-export', { body: { kind: 'enrollments', filters: { status: 'active' } } }), status: 202 },
    'get-export': { event: httpEvent('get-export', { params: { exportId: data.exportId } }), status: 200 },
    'submit-evidence': {
      event: httpEvent('submit-evidence', {
        params: { id: e.evidenceSubmit.id },
        claims: studentClaims(e.evidenceSubmit.email),
        body: {
          sequence: 1,
          partnerId: 'hsi',
          reference: 'WIRING-CARD',
          completedAt: '2026-01-05',
          file: { contentType: 'image/png', size: 2000 },
        },
      }),
      status: 201,
    },
    // The file never arrived (HeadObject finds nothing): 409, nothing changes.
    'confirm-evidence-file': {
      event: httpEvent('confirm-evidence-file', {
        params: { id: e.evidenceFile.id, evidenceId: data.evidence.file },
        claims: studentClaims(e.evidenceFile.email),
      }),
      status: 409,
    },
    'list-evidence': { event: httpEvent('list-evidence', { query: { status: 'pending', partnerId: 'hsi' } }), status: 200 },
    'approve-evidence': {
      event: httpEvent('approve-evidence', { params: { evidenceId: data.evidence.approve }, body: { note: 'checked by the wiring test' } }),
      status: 200,
    },
    'reject-evidence': { event: httpEvent('reject-evidence', { params: { evidenceId: data.evidence.reject }, body: reason }), status: 200 },
    // Off their queues: SQS's event, one message each.
    'send-events': { event: sqsEvent({ endpointId: data.endpointId, eventId: data.deliveryId }) },
    'run-export': { event: sqsEvent({ exportId: data.exportId }) },
    'create-import': {
      event: httpEvent('create-import', { body: { kind: 'completions', partnerId: 'hsi', fileName: 'report.csv' } }),
      status: 201,
    },
    'list-imports': { event: httpEvent('list-imports'), status: 200 },
    'get-import': { event: httpEvent('get-import', { params: { importId: data.importId } }), status: 200 },
    // S3 has no such file (HeadObject's 404): the run is refused before anything is queued.
    'start-import-run': {
      event: httpEvent('start-import-run', { params: { importId: data.importId }, body: { dryRun: true } }),
      status: 409,
    },
    // The file is not in S3: the step reads it (HeadObject) and records the run as failed.
    'import-worker': { event: sqsEvent({ importId: data.importId, run: 1, step: 'prepare' }) },
    // Workflow tasks get the execution input Step Functions passes them.
    'workflow-advance': { event: executionInput(e.advance.id, new Date().toISOString()) },
    'workflow-issue-certificate': { event: executionInput(e.issue.id, new Date().toISOString()) },
    'workflow-send-completion-email': { event: executionInput(e.email.id, new Date().toISOString()) },
    'sweep-events': { event: schedulerEvent() },
    // EventBridge Scheduler's event (the reconciler reads nothing from it).
    reconcile: {
      event: {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        account: '123456789012',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/baton-reconcile'],
        detail: {},
      },
    },
    'reminder-sweep': {
      event: {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        account: '123456789012',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/baton-reminders'],
        detail: {},
      },
    },
    // SNS's delivery of an SES bounce notification.
    'mail-feedback': {
      event: {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:baton-mail-feedback:wiring',
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: 'arn:aws:sns:us-east-1:123456789012:baton-mail-feedback',
              Message: JSON.stringify(sesNotification('wiring-bounced@example.org', 'bounce', new Date())),
              Timestamp: new Date().toISOString(),
            },
          },
        ],
      },
    },
    // Cognito's Pre Token Generation (V2_0) event.
    'pre-token-generation': {
      event: {
        version: '2',
        triggerSource: 'TokenGeneration_Authentication',
        region: 'us-east-1',
        userPoolId: 'us-east-1_Wiring',
        userName: 'wiring-student',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'wiring-client' },
        request: {
          userAttributes: { sub: 'wiring-student', email: 'Wiring-Student@Example.org', email_verified: 'true' },
          groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
          scopes: ['openid', 'email'],
        },
        response: { claimsAndScopeOverrideDetails: null },
      },
    },
  };
}

/** An SQS event with one message. */
function sqsEvent(body: unknown) {
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: 'wiring',
        body: JSON.stringify(body),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'wiring',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:baton-wiring',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

function schedulerEvent() {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/baton-sweep-events'],
    detail: {},
  };
}

// ---------------------------------------------------------------------------------------------
// Running a bundle

export interface Outcome {
  phase: 'init' | 'invoke' | 'crashed';
  value?: any;
  error?: { name: string; message: string };
  /** What the process printed (the function's logs), for failure messages. */
  output: string;
}

const INVOKE = join(REPO_ROOT, 'test', 'infra', 'invoke-bundle.mjs');

/** The environment a Lambda runtime adds to the function's own, with fake credentials and every endpoint local. */
export function runtimeEnvironment(fixture: WiringFixture, functionName: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: fixture.home,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAWIRINGTEST000000',
    AWS_SECRET_ACCESS_KEY: 'wiring-test-secret-access-key',
    AWS_SESSION_TOKEN: 'wiring-test-session-token',
    // No shared config or credentials files: nothing of this machine's AWS setup is read.
    AWS_CONFIG_FILE: join(fixture.home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(fixture.home, 'no-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fixture.standIn.endpoints(),
    AWS_ENDPOINT_URL_DYNAMODB: fixture.dynamoDbEndpoint,
  };
}

/** Starts a bundle in a fresh Node process with exactly this environment, and invokes it once with the event (with the function's timeout). */
export function runBundle(bundleDir: string, env: Record<string, string>, event: unknown, timeoutSeconds = 60): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INVOKE, join(bundleDir, 'index.mjs'), JSON.stringify(event), String(timeoutSeconds)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('BATON_INVOKE '));
      if (!line) return resolve({ phase: 'crashed', error: { name: 'exit', message: `exit code ${code}` }, output });
      resolve({ ...(JSON.parse(line.slice('BATON_INVOKE '.length)) as Omit<Outcome, 'output'>), output });
    });
  });
}

/** Runs every task with at most `limit` at once (child processes are CPU-bound at start). */
export async function inParallel<T>(tasks: Array<() => Promise<T>>, limit = Math.max(2, availableParallelism()) * 2): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
