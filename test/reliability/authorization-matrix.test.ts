// Authorization for every route in the route table × every kind of caller (OWASP API Top 10:
// broken object level authorization, broken function level authorization, mass assignment).
// The matrix is generated from ROUTES: a route without a declared expectation fails the test,
// and so does a declaration whose access level no longer matches the route's.
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYED_ROUTES, ROUTES, type RouteAuth, type RouteId } from '../../functions/http/routes.js';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, LOCAL_KEY_ID } from '../../local/auth.js';
import { completionBody } from '../../local/partner-webhook-client.js';
import { derivedSecretId } from '../../functions/adapters/partner-secrets.js';
import { unsubscribeToken } from '../../functions/domain/unsubscribe.js';
import { idTokenClaims, localKey, signWithLocalKey } from '../support/local-tokens.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { recordFigure } from './support/figures.js';
import { plural } from './support/probes.js';

const STUDENT_A = 'student-a@example.org';
const STUDENT_B = 'student-b@example.org';
const STUDENT_C = 'student-c@example.org';
const VIEWER = 'viewer@test.com';

const CALLERS = [
  'anonymous',
  'student A',
  'student B',
  'admin',
  'viewer',
  'wrong key',
  'expired',
  'alg none',
  'wrong issuer',
  'HS256 key confusion',
  'other app client',
  'student A ID token',
  'admin ID token',
] as const;
type Caller = (typeof CALLERS)[number];
/** Callers with a valid access token of the app client. */
const SIGNED_IN: readonly Caller[] = ['student A', 'student B', 'admin', 'viewer'];
/**
 * Callers the API must treat as signed out: no token, a token API Gateway's JWT authorizer rejects,
 * or an ID token, which the authorizer lets through (its `aud` is the app client) and the handler refuses.
 */
const UNAUTHENTICATED: readonly Caller[] = CALLERS.filter((caller) => !SIGNED_IN.includes(caller));

interface Fixtures {
  /** Student A's completed enrollment (with a certificate) and active one; B's enrollment. */
  completedA: string;
  activeA: string;
  enrollmentB: string;
  studentIdB: string;
  certificateA: string;
  /** Student C's active enrollment, which the admin cancels; a partner event that matched nobody. */
  cancellableC: string;
  unmatchedWebhookId: string;
  /** The delivery of A's JRI completion. */
  jriWebhookId: string;
  /** The id of Milady's secret, which the retire route retires. */
  miladySecretId: string;
  /** The id of the key that signs credentials (the last part of a credential's `kid`). */
  keyId: string;
  /** Student C's signed unsubscribe token (the link in their emails). */
  unsubscribeTokenC: string;
  /** An event endpoint (its delivery of a test ping), another one to delete, an export. */
  endpointId: string;
  endpointToDelete: string;
  deliveryId: string;
  exportId: string;
  /** Evidence: a fourth student's (to approve), B's (to reject), A's with a file never uploaded. */
  evidenceToApprove: string;
  evidenceToReject: string;
  evidenceAwaitingFile: string;
  /** An import whose file was never uploaded. */
  importId: string;
}

interface Request {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a route must answer each caller. Statuses of allowed callers are per route; the rest follow from `auth`. */
type Declaration =
  | { auth: 'public'; request: (f: Fixtures) => Request; status: number; check?: (caller: Caller, body: any, f: Fixtures) => void }
  | { auth: 'partner'; request: (f: Fixtures) => Request }
  | {
      auth: 'user';
      request: (f: Fixtures) => Request;
      owner: number;
      otherStudent: number;
      admin: number;
      /** What a viewer (read-only staff) gets: what an admin reads. */
      viewer: number;
      check?: (caller: Caller, body: any, f: Fixtures) => void;
    }
  /** Read routes for staff: admins and viewers get these statuses, students 403. */
  | { auth: 'staff'; request: (f: Fixtures) => Request; admin: number; viewer: number }
  /** Every route that changes something: a viewer gets 403 like a student. */
  | { auth: 'admin'; request: (f: Fixtures) => Request; admin: number };

const EXPECTATIONS: Record<RouteId, Declaration> = {
  health: { auth: 'public', request: () => ({ path: '/api/health' }), status: 200 },
  'list-programs': { auth: 'public', request: () => ({ path: '/api/programs' }), status: 200 },
  'save-program': {
    auth: 'admin',
    request: () => ({
      path: '/api/admin/programs/matrix-program',
      body: { name: 'Matrix Program', category: 'Specialized', steps: [{ sequence: 1, partnerId: 'jri', courseId: 'matrix-course' }] },
    }),
    admin: 201,
  },
  'create-enrollment': {
    auth: 'admin',
    request: () => ({ path: '/api/enrollments', body: { studentEmail: 'matrix-new@example.org', programId: 'cna' } }),
    admin: 201,
  },
  'get-enrollment': {
    auth: 'user',
    request: (f) => ({ path: `/api/enrollments/${f.completedA}` }),
    owner: 200,
    otherStudent: 404,
    admin: 200,
    viewer: 200,
  },
  'list-my-enrollments': {
    auth: 'user',
    request: () => ({ path: '/api/me/enrollments' }),
    owner: 200,
    otherStudent: 200,
    admin: 200,
    viewer: 200,
    // Student B's list is B's own: A's enrollments never appear in it.
    check: (caller, body, f) => {
      const ids = body.enrollments.map((e: any) => e.id);
      if (caller === 'student A') expect(ids).toEqual(expect.arrayContaining([f.completedA, f.activeA]));
      if (caller === 'student B') expect(ids).toEqual([f.enrollmentB]);
    },
  },
  'list-enrollments': { auth: 'staff', request: () => ({ path: '/api/admin/enrollments?q=student-a' }), admin: 200, viewer: 200 },
  'complete-step': {
    auth: 'admin',
    request: (f) => ({
      path: `/api/admin/enrollments/${f.activeA}/steps/1/complete`,
      body: { reason: 'Confirmed by the partner by phone' },
    }),
    admin: 200,
  },
  'waive-step': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/enrollments/${f.activeA}/steps/3/waive`, body: { reason: 'Prior certificate on file' } }),
    admin: 200,
  },
  // Authorized, but Medical Assistant's steps are all required: only an optional step can be skipped.
  'skip-step': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/enrollments/${f.activeA}/steps/2/skip`, body: { reason: 'Not offered this term' } }),
    admin: 409,
  },
  // Authorized, but no completion email of this enrollment is waiting on an unknown outcome.
  'mark-email-sent': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/enrollments/${f.completedA}/email/mark-sent`, body: { reason: 'Found in the mail log' } }),
    admin: 409,
  },
  // Authorized, but there is no failed workflow to retry.
  'retry-workflow': { auth: 'admin', request: (f) => ({ path: `/api/admin/enrollments/${f.completedA}/retry` }), admin: 409 },
  'cancel-enrollment': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/enrollments/${f.cancellableC}/cancel`, body: { reason: 'Student moved out of state' } }),
    admin: 200,
  },
  'link-partner-account': {
    auth: 'admin',
    request: () => ({ path: '/api/admin/partner-accounts', body: { partnerId: 'hsi', externalId: 'HSI-MATRIX', studentEmail: STUDENT_A } }),
    admin: 200,
  },
  'list-unmatched-events': { auth: 'staff', request: () => ({ path: '/api/admin/unmatched-events' }), admin: 200, viewer: 200 },
  'dismiss-unmatched-event': {
    auth: 'admin',
    request: (f) => ({
      path: '/api/admin/unmatched-events/dismiss',
      body: { partnerId: 'hsi', webhookId: f.unmatchedWebhookId, reason: 'Test account of the partner' },
    }),
    admin: 200,
  },
  'create-event-endpoint': {
    auth: 'admin',
    request: () => ({ path: '/api/admin/event-endpoints', body: { url: 'https://127.0.0.1/matrix', events: ['enrollment.created'] } }),
    admin: 201,
  },
  'list-event-endpoints': { auth: 'admin', request: () => ({ path: '/api/admin/event-endpoints' }), admin: 200 },
  'delete-event-endpoint': { auth: 'admin', request: (f) => ({ path: `/api/admin/event-endpoints/${f.endpointToDelete}` }), admin: 200 },
  'list-event-deliveries': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/event-endpoints/${f.endpointId}/deliveries` }),
    admin: 200,
  },
  'replay-event-delivery': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/event-endpoints/${f.endpointId}/deliveries/${f.deliveryId}/replay` }),
    admin: 202,
  },
  'test-event-endpoint': { auth: 'admin', request: (f) => ({ path: `/api/admin/event-endpoints/${f.endpointId}/test` }), admin: 202 },
  'rotate-event-endpoint-secret': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/event-endpoints/${f.endpointId}/rotate-secret` }),
    admin: 200,
  },
  'enable-event-endpoint': { auth: 'admin', request: (f) => ({ path: `/api/admin/event-endpoints/${f.endpointId}/enable` }), admin: 200 },
  // A viewer may export (that is reading); the export runs off the request.
  'create-export': {
    auth: 'staff',
    request: () => ({ path: '/api/admin/exports', body: { kind: 'enrollments', filters: { status: 'completed' } } }),
    admin: 202,
    viewer: 202,
  },
  'create-import': {
    auth: 'admin',
    request: () => ({ path: '/api/admin/imports', body: { kind: 'completions', partnerId: 'hsi', fileName: 'report.csv' } }),
    admin: 201,
  },
  'list-imports': { auth: 'admin', request: () => ({ path: '/api/admin/imports' }), admin: 200 },
  'get-import': { auth: 'admin', request: (f) => ({ path: `/api/admin/imports/${f.importId}` }), admin: 200 },
  // Its file was never uploaded: the admin's run is refused (409), nothing queued.
  'start-import-run': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/imports/${f.importId}/run`, body: { dryRun: true } }),
    admin: 409,
  },
  'get-export': { auth: 'staff', request: (f) => ({ path: `/api/admin/exports/${f.exportId}` }), admin: 200, viewer: 200 },
  'count-unmatched-events': { auth: 'staff', request: () => ({ path: '/api/admin/unmatched-events/count' }), admin: 200, viewer: 200 },
  'get-pipeline': { auth: 'staff', request: () => ({ path: '/api/admin/pipeline' }), admin: 200, viewer: 200 },
  // A bearer token, even an admin's, is no webhook signature.
  'partner-webhook': {
    auth: 'partner',
    request: () => ({
      path: '/api/webhooks/partners/hsi',
      body: completionBody({ event: 'course.completed', studentId: 'HSI-A', courseId: 'bls-cpr-aed' }),
    }),
  },
  'unlink-partner-account': {
    auth: 'admin',
    request: () => ({ path: '/api/admin/partner-accounts/careersafe/CS-MATRIX-UNLINK', body: { reason: 'Linked by mistake' } }),
    admin: 200,
  },
  'move-partner-account': {
    auth: 'admin',
    request: () => ({
      path: '/api/admin/partner-accounts/milady/ML-MATRIX-MOVE/move',
      body: { studentEmail: STUDENT_B, reason: 'The account is student B’s' },
    }),
    admin: 200,
  },
  // Authorized; the event's step is already completed for its student, so it stays a duplicate.
  'reapply-partner-event': {
    auth: 'admin',
    request: (f) => ({ path: '/api/admin/partner-accounts/jri/JRI-A/reapply', body: { webhookId: f.jriWebhookId, reason: 'Checked' } }),
    admin: 200,
  },
  // Step 1 of A's active enrollment was completed by the complete-step route above.
  'reopen-step': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/enrollments/${f.activeA}/steps/1/reopen`, body: { reason: 'Completed for the wrong student' } }),
    admin: 200,
  },
  'list-partners': { auth: 'admin', request: () => ({ path: '/api/admin/partners' }), admin: 200 },
  'get-partner': { auth: 'admin', request: () => ({ path: '/api/admin/partners/hsi' }), admin: 200 },
  'save-partner': {
    auth: 'admin',
    request: () => ({ path: '/api/admin/partners/matrix-partner', body: { name: 'Matrix Partner', contactEmail: 'ops@matrix.example' } }),
    admin: 201,
  },
  'create-partner-secret': { auth: 'admin', request: () => ({ path: '/api/admin/partners/milady/secrets', body: {} }), admin: 201 },
  // Milady's bootstrap secret: no fixture signs with it.
  'retire-partner-secret': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/partners/milady/secrets/${f.miladySecretId}` }),
    admin: 204,
  },
  'test-partner-webhook': {
    auth: 'admin',
    request: () => ({
      path: '/api/admin/partners/hsi/webhook-test',
      body: { headers: {}, body: completionBody({ event: 'course.completed', studentId: 'HSI-A', courseId: 'bls-cpr-aed' }) },
    }),
    admin: 200,
  },
  'list-partner-deliveries': { auth: 'admin', request: () => ({ path: '/api/admin/partners/hsi/deliveries' }), admin: 200 },
  'get-partner-delivery': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/partners/hsi/deliveries/${f.unmatchedWebhookId}` }),
    admin: 200,
  },
  'replay-partner-delivery': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/partners/hsi/deliveries/${f.unmatchedWebhookId}/replay` }),
    admin: 200,
  },
  'verify-certificate': {
    auth: 'public',
    request: (f) => ({ path: `/api/certificates/${f.certificateA}` }),
    status: 200,
    // Anyone holding the id may check it, but learns no contact details or internal ids.
    check: (_, body) => {
      expect(body.studentName).toBeDefined();
      expect(JSON.stringify(body)).not.toContain(STUDENT_A);
      expect(body).not.toHaveProperty('studentId');
      expect(body).not.toHaveProperty('enrollmentId');
    },
  },
  'download-certificate': {
    auth: 'user',
    request: (f) => ({ path: `/api/certificates/${f.certificateA}/pdf`, headers: { accept: 'application/json' } }),
    owner: 200,
    otherStudent: 404,
    admin: 200,
    viewer: 200,
  },
  'get-settings': { auth: 'admin', request: () => ({ path: '/api/admin/settings' }), admin: 200 },
  'save-settings': {
    auth: 'admin',
    request: () => ({ path: '/api/admin/settings', body: { organizationName: 'Matrix Academy' } }),
    admin: 200,
  },
  'get-organization': { auth: 'public', request: () => ({ path: '/api/organization' }), status: 200 },
  // No logo was uploaded: every caller gets the same 404, and a signature file is never served.
  'get-organization-file': {
    auth: 'public',
    request: () => ({ path: `/api/organization/files/signature-${'0'.repeat(64)}.png` }),
    status: 404,
  },
  'list-certificates': { auth: 'admin', request: () => ({ path: '/api/admin/certificates?expiringWithinDays=90' }), admin: 200 },
  'revoke-certificate': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/certificates/${f.certificateA}/revoke`, body: { reason: 'Matrix: issued in error' } }),
    admin: 200,
  },
  'get-credential': {
    auth: 'public',
    request: (f) => ({ path: `/api/certificates/${f.certificateA}/credential` }),
    status: 200,
    // A signed credential anyone may hold: no email in it, not even of its student.
    check: (_, body) => expect(Buffer.from(String(body).split('.')[1]!, 'base64url').toString()).not.toContain(STUDENT_A),
  },
  'issuer-profile': { auth: 'public', request: () => ({ path: '/api/issuer' }), status: 200 },
  'issuer-jwks': {
    auth: 'public',
    request: () => ({ path: '/api/issuer/jwks' }),
    status: 200,
    check: (_, body) => expect(body.keys.every((k: any) => !('d' in k) && !('p' in k) && !('q' in k))).toBe(true),
  },
  'issuer-key': {
    auth: 'public',
    request: (f) => ({ path: `/api/issuer/keys/${f.keyId}` }),
    status: 200,
    check: (_, body) => expect(body).not.toHaveProperty('d'),
  },
  'issuer-status-list': { auth: 'public', request: () => ({ path: '/api/issuer/status/1' }), status: 200 },
  'dev-token': { auth: 'public', request: () => ({ path: '/api/dev/token', body: { email: 'someone@example.org' } }), status: 200 },
  'dev-clock': {
    auth: 'public',
    request: () => ({ path: '/api/dev/clock', headers: { 'content-type': 'application/json' } }),
    status: 200,
  },
  // A few seconds per caller, so the tokens issued for the matrix stay valid.
  'dev-clock-advance': { auth: 'public', request: () => ({ path: '/api/dev/clock', body: { advanceDays: 0.0001 } }), status: 200 },
  'dev-mail-feedback': {
    auth: 'public',
    request: () => ({ path: '/api/dev/mail-feedback', body: { email: 'nobody-matrix@example.org', type: 'transient-bounce' } }),
    status: 200,
  },
  'send-reminders': { auth: 'admin', request: (f) => ({ path: '/api/admin/reminders', body: { enrollmentIds: [f.activeA] } }), admin: 200 },
  // The signed link is the authority: it needs no sign-in, and a token of any caller changes nothing about it.
  'unsubscribe-page': { auth: 'public', request: (f) => ({ path: `/api/unsubscribe?token=${f.unsubscribeTokenC}` }), status: 200 },
  unsubscribe: {
    auth: 'public',
    request: (f) => ({ path: `/api/unsubscribe?token=${f.unsubscribeTokenC}`, body: 'List-Unsubscribe=One-Click' }),
    status: 200,
  },
  // The caller's own preferences: a student has them, an admin who is no student gets 404.
  'submit-evidence': {
    auth: 'user',
    // A's completed enrollment: the owner is heard (409: nothing is open) and nobody else is.
    request: (f) => ({
      path: `/api/enrollments/${f.completedA}/evidence`,
      body: { sequence: 1, reference: 'JRI-123', completedAt: '2026-01-05' },
    }),
    owner: 409,
    otherStudent: 404,
    admin: 404,
    viewer: 404,
  },
  'confirm-evidence-file': {
    auth: 'user',
    request: (f) => ({ path: `/api/enrollments/${f.activeA}/evidence/${f.evidenceAwaitingFile}/file` }),
    owner: 409,
    otherStudent: 404,
    admin: 404,
    viewer: 404,
  },
  'list-evidence': { auth: 'admin', request: () => ({ path: '/api/admin/evidence?status=pending' }), admin: 200 },
  'approve-evidence': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/evidence/${f.evidenceToApprove}/approve`, body: { note: 'Card checked on the partner site' } }),
    admin: 200,
  },
  'reject-evidence': {
    auth: 'admin',
    request: (f) => ({ path: `/api/admin/evidence/${f.evidenceToReject}/reject`, body: { reason: 'The card number is not legible' } }),
    admin: 200,
  },
  'save-preferences': {
    auth: 'user',
    request: () => ({ path: '/api/me/preferences', body: { reminders: true } }),
    owner: 200,
    otherStudent: 200,
    admin: 404,
    viewer: 404,
  },
};

function expectedStatus(declared: Declaration, caller: Caller): number {
  switch (declared.auth) {
    case 'public':
      return declared.status;
    case 'partner':
      return 401;
    case 'user':
      if (UNAUTHENTICATED.includes(caller)) return 401;
      if (caller === 'viewer') return declared.viewer;
      return caller === 'student A' ? declared.owner : caller === 'student B' ? declared.otherStudent : declared.admin;
    case 'staff':
      if (UNAUTHENTICATED.includes(caller)) return 401;
      return caller === 'admin' ? declared.admin : caller === 'viewer' ? declared.viewer : 403;
    case 'admin':
      if (UNAUTHENTICATED.includes(caller)) return 401;
      return caller === 'admin' ? declared.admin : 403;
  }
}

const allowed = (status: number) => status < 400 || status === 409;

let baton: TestBaton;
let fixtures: Fixtures;
const tokens = {} as Record<Caller, string | undefined>;

/**
 * Tokens an attacker can make: admin access-token claims, each broken in one way; and the real
 * ID tokens Cognito gives the site's users, which name the same people and groups.
 */
async function forgedTokens(b: TestBaton) {
  const { privateKey: realKey, publicJwk } = await localKey(b.dataDir);
  const claims = { email: ADMIN, 'cognito:groups': ['admin'], token_use: 'access', client_id: LOCAL_CLIENT_ID };
  const now = Math.floor(Date.now() / 1000);
  const build = (options: { issuer?: string; expires?: number } = {}) =>
    new SignJWT(claims)
      .setSubject('forged-admin')
      .setIssuer(options.issuer ?? LOCAL_ISSUER)
      .setIssuedAt(now - 7200)
      .setExpirationTime(options.expires ?? now + 3600);
  const otherKey = (await generateKeyPair('ES256')).privateKey;
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { alg: 'ES256', kid: LOCAL_KEY_ID };
  const subjectOf = async (email: string) =>
    JSON.parse(Buffer.from((await b.token(email)).split('.')[1]!, 'base64url').toString()).sub as string;
  return {
    'wrong key': await build().setProtectedHeader(header).sign(otherKey),
    expired: await build({ expires: now - 3600 })
      .setProtectedHeader(header)
      .sign(realKey),
    'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, sub: 'forged-admin', iss: LOCAL_ISSUER, exp: now + 3600 })}.`,
    'wrong issuer': await build({ issuer: 'https://cognito-idp.example/someone-else' }).setProtectedHeader(header).sign(realKey),
    'HS256 key confusion': await build()
      .setProtectedHeader({ alg: 'HS256', kid: LOCAL_KEY_ID })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
    'other app client': await signWithLocalKey(b.dataDir, { ...claims, sub: await subjectOf(ADMIN), client_id: 'another-app-client' }),
    'student A ID token': await signWithLocalKey(b.dataDir, { ...idTokenClaims(STUDENT_A), sub: await subjectOf(STUDENT_A) }),
    'admin ID token': await signWithLocalKey(b.dataDir, { ...idTokenClaims(ADMIN, ['admin']), sub: await subjectOf(ADMIN) }),
  };
}

async function call(method: string, request: Request, caller: Caller) {
  const token = tokens[caller];
  return baton.api(method, request.path, {
    ...(request.body !== undefined ? { body: request.body } : {}),
    headers: { ...(request.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

beforeAll(async () => {
  baton = await startTestBaton();
  const completedA = await baton.enroll({ studentEmail: STUDENT_A, programId: 'cdl', partnerAccounts: { jri: 'JRI-A' } });
  await baton.complete('jri', { studentId: 'JRI-A', courseId: 'cdl-entry-level-driver' }, { id: 'msg_matrix_jri' });
  const activeA = await baton.enroll({ studentEmail: STUDENT_A, programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-A' } });
  const enrollmentB = await baton.enroll({ studentEmail: STUDENT_B, programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-B' } });
  const cancellableC = await baton.enroll({
    studentEmail: STUDENT_C,
    programId: 'cna',
    partnerAccounts: { careersafe: 'CS-MATRIX-UNLINK', milady: 'ML-MATRIX-MOVE' },
  });
  const unmatchedWebhookId = 'msg_matrix_unmatched';
  await baton.complete('hsi', { studentId: 'HSI-NOBODY', courseId: 'bls-cpr-aed' }, { id: unmatchedWebhookId });
  await baton.drain();
  const certificateA = (await baton.api('GET', `/api/enrollments/${completedA.id}`, { as: ADMIN })).body.certificate.id;
  const endpoint = async () =>
    (
      await baton.api('POST', '/api/admin/event-endpoints', {
        as: ADMIN,
        body: { url: 'https://127.0.0.1/matrix', events: ['step.completed'] },
      })
    ).body.endpointId as string;
  const endpointId = await endpoint();
  const endpointToDelete = await endpoint();
  const deliveryId = (await baton.api('POST', `/api/admin/event-endpoints/${endpointId}/test`, { as: ADMIN })).body.deliveryId as string;
  const exportId = (
    await baton.api('POST', '/api/admin/exports', {
      as: ADMIN,
      body: { kind: 'certificates', filters: { issuedFrom: '2020-01-01', issuedTo: '2099-12-31' } },
    })
  ).body.exportId as string;
  const evidence = async (student: string, enrollmentId: string, file?: { contentType: string; size: number }) =>
    (
      await baton.api('POST', `/api/enrollments/${enrollmentId}/evidence`, {
        as: student,
        body: { sequence: 1, reference: 'CARD-1', completedAt: '2026-01-05', ...(file ? { file } : {}) },
      })
    ).body.evidenceId as string;
  const dentalD = await baton.enroll({ studentEmail: 'student-d@example.org', programId: 'dental-assistant' });
  const evidenceToApprove = await evidence('student-d@example.org', dentalD.id);
  const evidenceToReject = await evidence(STUDENT_B, enrollmentB.id);
  const evidenceAwaitingFile = await evidence(STUDENT_A, activeA.id, { contentType: 'application/pdf', size: 1000 });
  const importId = (
    await baton.api('POST', '/api/admin/imports', { as: ADMIN, body: { kind: 'completions', partnerId: 'hsi', fileName: 'matrix.csv' } })
  ).body.importId as string;
  fixtures = {
    completedA: completedA.id,
    activeA: activeA.id,
    enrollmentB: enrollmentB.id,
    studentIdB: enrollmentB.studentId,
    certificateA,
    cancellableC: cancellableC.id,
    unmatchedWebhookId,
    jriWebhookId: 'msg_matrix_jri',
    miladySecretId: derivedSecretId(baton.secrets.milady![0]!),
    keyId: ((await baton.api('GET', '/api/issuer/jwks')).body.keys[0].kid as string).split('/').pop()!,
    unsubscribeTokenC: unsubscribeToken(await baton.ports.unsubscribeKeys.key(), cancellableC.studentId),
    endpointId,
    endpointToDelete,
    deliveryId,
    exportId,
    evidenceToApprove,
    evidenceToReject,
    evidenceAwaitingFile,
    importId,
  };
  Object.assign(tokens, {
    anonymous: undefined,
    'student A': await baton.token(STUDENT_A),
    'student B': await baton.token(STUDENT_B),
    admin: await baton.token(ADMIN),
    viewer: await baton.token(VIEWER),
    ...(await forgedTokens(baton)),
  });
});
afterAll(() => baton?.stop());

interface Observation {
  routeId: string;
  auth: RouteAuth;
  caller: Caller;
  status: number;
  expected: number;
  wrote: boolean;
}
const observations: Observation[] = [];

describe('authorization matrix, generated from the route table', () => {
  it('has a declaration for exactly the routes in the table, and the dev token and clock routes are never deployed', () => {
    expect(Object.keys(EXPECTATIONS).sort()).toEqual(ROUTES.map((r) => r.id).sort());
    expect(DEPLOYED_ROUTES.map((r) => r.id)).not.toContain('dev-token');
    expect(DEPLOYED_ROUTES.map((r) => r.path)).not.toContain('/api/dev/clock');
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.path} (${route.auth}) answers every caller as declared`, async () => {
      const declared = EXPECTATIONS[route.id] as Declaration | undefined;
      expect(declared, `route ${route.id} has no declared expectation: add it to EXPECTATIONS`).toBeDefined();
      expect(declared!.auth, `route ${route.id} is "${route.auth}" but declared "${declared!.auth}"`).toBe(route.auth);
      const request = declared!.request(fixtures);
      const observe = async (caller: Caller) => {
        const expected = expectedStatus(declared!, caller);
        const response = await call(route.method, request, caller);
        const observation = { routeId: route.id, auth: route.auth, caller, status: response.status, expected, wrote: false };
        observations.push(observation);
        expect.soft(response.status, `${caller} → ${route.id}: ${JSON.stringify(response.body)}`).toBe(expected);
        if ((declared!.auth === 'user' || declared!.auth === 'public') && response.status === 200)
          declared!.check?.(caller, response.body, fixtures);
        return observation;
      };
      // Denied callers first, between two consistent scans of the table: none of them may change anything.
      const denied = CALLERS.filter((caller) => !allowed(expectedStatus(declared!, caller)));
      await baton.drain(); // workflows started by earlier routes' admin calls write too
      const before = JSON.stringify(await baton.items());
      const deniedObservations = [];
      for (const caller of denied) deniedObservations.push(await observe(caller));
      const wrote = JSON.stringify(await baton.items()) !== before;
      for (const observation of deniedObservations) observation.wrote = wrote;
      expect.soft(wrote, `a caller denied ${route.id} (${denied.join(', ')}) wrote something`).toBe(false);
      for (const caller of CALLERS.filter((c) => !denied.includes(c))) await observe(caller);
    });
  }

  it('publishes the matrix', () => {
    expect(observations).toHaveLength(ROUTES.length * CALLERS.length);
    const mismatches = observations.filter((o) => o.status !== o.expected);
    const groups = (['public', 'partner', 'user', 'staff', 'admin'] as const).map((auth) => {
      const inGroup = observations.filter((o) => o.auth === auth);
      const routes = new Set(inGroup.map((o) => o.routeId)).size;
      const byCaller = CALLERS.map((caller) => {
        const statuses = [...new Set(inGroup.filter((o) => o.caller === caller).map((o) => o.status))].sort();
        return `${caller} ${statuses.join('/')}`;
      });
      return `${auth} (${plural(routes, 'route')}): ${byCaller.join(', ')}`;
    });
    recordFigure(
      'authorization-matrix',
      `${ROUTES.length} routes × ${CALLERS.length} callers = ${observations.length} requests, ${mismatches.length} differing from the declaration; ` +
        `${groups.join('; ')}; ${plural(observations.filter((o) => o.wrote).length, 'denied request')} wrote anything.`,
    );
    expect(mismatches).toEqual([]);
  });
});

describe('mass assignment: fields a caller must not set never take effect', () => {
  const unchanged = async (send: () => Promise<{ status: number; body: any }>) => {
    const before = JSON.stringify(await baton.items());
    const response = await send();
    return { ...response, wrote: JSON.stringify(await baton.items()) !== before };
  };

  it('rejects unknown fields on the strict admin routes with a 400 naming them, ignores them elsewhere, and never lets them through', async () => {
    const results: string[] = [];
    const strict = [
      {
        route: 'create-enrollment',
        path: '/api/enrollments',
        body: {
          studentEmail: 'mass@example.org',
          programId: 'cna',
          status: 'completed',
          studentId: fixtures.studentIdB,
          id: 'chosen-id',
          createdBy: 'nobody',
        },
        fields: ['status', 'studentId', 'id', 'createdBy'],
      },
      {
        route: 'complete-step',
        path: `/api/admin/enrollments/${fixtures.enrollmentB}/steps/1/complete`,
        body: { reason: 'because', status: 'waived', by: 'someone' },
        fields: ['status', 'by'],
      },
      {
        route: 'waive-step',
        path: `/api/admin/enrollments/${fixtures.enrollmentB}/steps/1/waive`,
        body: { reason: 'because', studentId: 'x' },
        fields: ['studentId'],
      },
      {
        route: 'retry-workflow',
        path: `/api/admin/enrollments/${fixtures.enrollmentB}/retry`,
        body: { workflowFailure: null, emailSentAt: null },
        fields: ['workflowFailure', 'emailSentAt'],
      },
      {
        route: 'skip-step',
        path: `/api/admin/enrollments/${fixtures.enrollmentB}/steps/1/skip`,
        body: { reason: 'because', status: 'completed' },
        fields: ['status'],
      },
      {
        route: 'mark-email-sent',
        path: `/api/admin/enrollments/${fixtures.enrollmentB}/email/mark-sent`,
        body: { reason: 'because', emailSentAt: '2020-01-01T00:00:00Z' },
        fields: ['emailSentAt'],
      },
      {
        route: 'cancel-enrollment',
        path: `/api/admin/enrollments/${fixtures.enrollmentB}/cancel`,
        body: { reason: 'because', status: 'completed', cancellation: { by: 'someone else' } },
        fields: ['status', 'cancellation'],
      },
      {
        route: 'dismiss-unmatched-event',
        path: '/api/admin/unmatched-events/dismiss',
        body: { partnerId: 'hsi', webhookId: 'msg_whatever', reason: 'because', outcome: 'applied', dismissal: { by: 'someone else' } },
        fields: ['outcome', 'dismissal'],
      },
      {
        route: 'revoke-certificate',
        path: `/api/admin/certificates/${fixtures.certificateA}/revoke`,
        body: { reason: 'because', status: 'valid', revokedBy: 'someone else' },
        fields: ['status', 'revokedBy'],
      },
      {
        route: 'link-partner-account',
        path: '/api/admin/partner-accounts',
        body: { partnerId: 'hsi', externalId: 'HSI-MASS', studentEmail: STUDENT_B, studentId: fixtures.studentIdB },
        fields: ['studentId'],
      },
    ];
    for (const { route, path, body, fields } of strict) {
      const response = await unchanged(() => baton.api('POST', path, { as: ADMIN, body }));
      expect.soft(response.status, route).toBe(400);
      for (const field of fields) expect.soft(response.body.error?.message, route).toContain(field);
      expect.soft(response.wrote, `${route} wrote`).toBe(false);
      results.push(`${route} → ${response.status} naming ${fields.join(', ')}`);
    }

    // save-program strips unknown fields: the id comes from the path, the version from the store.
    const saved = await baton.api('PUT', '/api/admin/programs/mass-program', {
      as: ADMIN,
      body: {
        name: 'Mass Program',
        category: 'Specialized',
        id: 'hijacked-program',
        version: 99,
        updatedAt: '1999-01-01T00:00:00Z',
        steps: [{ sequence: 1, partnerId: 'jri', courseId: 'mass-course', status: 'completed', index: 7 }],
      },
    });
    const programs = (await baton.api('GET', '/api/programs')).body.programs;
    const hijacked = programs.some((p: any) => p.id === 'hijacked-program');
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ id: 'mass-program', version: 1 });
    expect(saved.body.updatedAt).not.toBe('1999-01-01T00:00:00Z');
    expect(saved.body.steps[0]).not.toHaveProperty('status');
    expect(saved.body.steps[0]).not.toHaveProperty('index');
    expect(hijacked).toBe(false);
    results.push(`save-program → ${saved.status}, id/version/updatedAt/step status ignored`);

    // A webhook body naming another student's enrollment or status moves only the signed-for student's step.
    const webhook = await baton.webhook(
      'hsi',
      JSON.stringify({
        event: 'course.completed',
        student_id: 'HSI-A',
        course_id: 'bls-cpr-aed',
        enrollment_id: fixtures.enrollmentB,
        studentId: fixtures.studentIdB,
        status: 'waived',
        step_index: 2,
      }),
    );
    await baton.drain();
    const stepsB = (await baton.api('GET', `/api/enrollments/${fixtures.enrollmentB}`, { as: ADMIN })).body.steps.map((s: any) => s.status);
    expect(webhook.status).toBe(200);
    expect(stepsB).toEqual(['in_progress', 'pending', 'pending']);
    results.push(
      `webhook with enrollment_id/studentId/status/step_index of student B → ${webhook.status} ${webhook.body.status}, B's steps unchanged`,
    );

    // The local token endpoint takes only an email: groups in the body do not make an admin.
    const minted = await baton.api('POST', '/api/dev/token', {
      body: { email: 'climber@example.org', 'cognito:groups': ['admin'], groups: ['admin'], isAdmin: true },
    });
    const escalated = await baton.api('GET', '/api/admin/pipeline', { headers: { authorization: `Bearer ${minted.body.token}` } });
    expect(minted.body.groups).toEqual([]);
    expect(escalated.status).toBe(403);
    results.push(`dev-token with cognito:groups/isAdmin → groups ${JSON.stringify(minted.body.groups)}, admin route → ${escalated.status}`);

    // Query strings and headers cannot pick whose data a student sees.
    const mine = await baton.api('GET', `/api/me/enrollments?studentId=${fixtures.studentIdB}&email=${STUDENT_B}`, {
      as: STUDENT_A,
      headers: { 'x-user-email': STUDENT_B, 'x-amzn-oidc-identity': STUDENT_B },
    });
    const othersById = await baton.api('GET', `/api/enrollments/${fixtures.enrollmentB}?as=admin&admin=true`, { as: STUDENT_A });
    expect(mine.body.enrollments.map((e: any) => e.studentEmail)).toEqual([STUDENT_A, STUDENT_A]);
    expect(othersById.status).toBe(404);
    results.push(
      `student A with studentId/email query and identity headers of B → only A's enrollments; B's enrollment with ?admin=true → ${othersById.status}`,
    );

    recordFigure('mass-assignment', `${results.join('; ')}.`);
  });
});

describe('admin groups, through the gateway as AWS flattens them', () => {
  // Local mode's authorizer passes cognito:groups to the handler as API Gateway does ("[a b]"),
  // so these tokens reach the same parsing a deployed function does.
  const pipelineAs = async (groups: string[]) => {
    const token = await signWithLocalKey(baton.dataDir, {
      email: 'grouped@example.org',
      'cognito:groups': groups,
      token_use: 'access',
      client_id: LOCAL_CLIENT_ID,
    });
    return (await baton.api('GET', '/api/admin/pipeline', { headers: { authorization: `Bearer ${token}` } })).status;
  };

  it('makes an admin of a whole admin or super_admin group, alone or among others', async () => {
    for (const groups of [['admin'], ['super_admin'], ['students', 'admin'], ['teachers', 'super_admin', 'students']])
      expect.soft(await pipelineAs(groups), JSON.stringify(groups)).toBe(200);
  });

  it('never makes an admin of a group whose name only contains admin with a comma or spaces around it', async () => {
    for (const groups of [['students,admin'], ['admin,super_admin'], ['admin '], [' admin'], ['students', ' admin'], [' super_admin ']])
      expect.soft(await pipelineAs(groups), JSON.stringify(groups)).toBe(403);
  });
});
