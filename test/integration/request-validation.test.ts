// Input the API cannot use gets a clear 4xx before it reaches DynamoDB: path ids that cannot
// exist, crafted cursors, and malformed retry bodies. And an override that keeps colliding with
// other writers says so, instead of claiming the step was already done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollmentStore } from '../../functions/use-cases/ports/enrollments.js';
import { withEnrollments } from '../support/stores.js';
import { ADMIN, STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
const commands: string[] = [];
let alwaysConflict = false;
let enrollment: { id: string; studentEmail: string };
let certificateId: string;

/** The enrollment store, with every save losing to a concurrent writer while `alwaysConflict` is set. */
const conflicting = (store: EnrollmentStore): EnrollmentStore =>
  withEnrollments(store, {
    save: async (changes, extras) => (alwaysConflict ? { ok: false, conflict: 'stale' } : store.save(changes, extras)),
  });

beforeAll(async () => {
  baton = await startTestBaton({
    decorate: (ports) => ({ enrollments: conflicting(ports.enrollments) }),
    instrument: {
      dynamoDbClient: (client) =>
        client.middlewareStack.add(
          (next, context) => async (args) => {
            commands.push(String(context.commandName));
            return next(args);
          },
          { step: 'initialize', name: 'requestValidationCounter' },
        ),
    },
  });
  const done = await baton.enroll({ studentEmail: STUDENT, programId: 'cdl', partnerAccounts: { jri: 'JRI-VALID' } });
  await baton.complete('jri', { studentId: 'JRI-VALID', courseId: 'cdl-entry-level-driver' });
  await baton.drain();
  certificateId = (await baton.api('GET', `/api/enrollments/${done.id}`, { as: ADMIN })).body.certificate.id;
  enrollment = await baton.enroll({ studentEmail: STUDENT, programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-VALID' } });
});
afterAll(() => baton?.stop());

/** Calls the API and returns the response with the DynamoDB requests it made. */
async function measured(method: string, path: string, options: { as?: string; body?: unknown } = {}) {
  await baton.drain();
  const before = commands.length;
  const response = await baton.api(method, path, options);
  return { ...response, dynamoDbRequests: commands.slice(before) };
}

const NOT_IDS = [
  'x'.repeat(3000),
  'not-a-uuid',
  'ENROLLMENT#00000000-0000-4000-8000-000000000001',
  `${'a'.repeat(8)}-${'b'.repeat(4)}-zzzz-${'c'.repeat(4)}-${'d'.repeat(12)}`,
];

describe('path ids', () => {
  it('an enrollment id that is not a UUID gets the same 404 as a missing one, says why, and reads nothing', async () => {
    for (const id of NOT_IDS) {
      const path = encodeURIComponent(id);
      const calls = [
        await measured('GET', `/api/enrollments/${path}`, { as: STUDENT }),
        await measured('GET', `/api/enrollments/${path}`, { as: ADMIN }),
        await measured('POST', `/api/admin/enrollments/${path}/steps/1/complete`, { as: ADMIN, body: { reason: 'Confirmed by phone' } }),
        await measured('POST', `/api/admin/enrollments/${path}/steps/1/waive`, { as: ADMIN, body: { reason: 'Prior certificate' } }),
        await measured('POST', `/api/admin/enrollments/${path}/retry`, { as: ADMIN }),
      ];
      for (const call of calls) {
        expect(call.status, id.slice(0, 20)).toBe(404);
        expect(call.body.error.code).toBe('ENROLLMENT_NOT_FOUND');
        expect(call.body.error.message).toContain('enrollment ids are UUIDs');
        expect(call.body.error.message.length).toBeLessThan(120);
        expect(call.dynamoDbRequests).toEqual([]);
      }
    }
  });

  it('a well-formed id that names no enrollment is a 404 after one read; the same id in capitals finds the enrollment', async () => {
    const missing = await measured('GET', '/api/enrollments/7d3c1c43-8f2e-4c36-9a51-0e2a4d0f6b11', { as: ADMIN });
    const upper = await measured('GET', `/api/enrollments/${enrollment.id.toUpperCase()}`, { as: STUDENT });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('no enrollment 7d3c1c43-8f2e-4c36-9a51-0e2a4d0f6b11');
    expect(missing.dynamoDbRequests).toEqual(['QueryCommand']);
    expect(upper.status).toBe(200);
    expect(upper.body.id).toBe(enrollment.id);
  });

  it('a certificate id not in its XXXX-XXXX-XXXX-XXXX form is a 404 that reads nothing; a real one in lower case is found', async () => {
    for (const id of NOT_IDS) {
      const path = encodeURIComponent(id);
      for (const call of [
        await measured('GET', `/api/certificates/${path}`),
        await measured('GET', `/api/certificates/${path}/pdf`, { as: STUDENT }),
      ]) {
        expect(call.status).toBe(404);
        expect(call.body.error.code).toBe('CERTIFICATE_NOT_FOUND');
        expect(call.dynamoDbRequests).toEqual([]);
      }
    }
    expect((await baton.api('GET', `/api/certificates/${certificateId.toLowerCase()}`)).status).toBe(200);
  });
});

describe('the unmatched inbox cursor', () => {
  it('answers a crafted cursor with a 400 naming it, before any query', async () => {
    const crafted = Buffer.from(JSON.stringify({ pk: { S: 'x' }, sk: 'DELIVERY', gsi2pk: 'UNMATCHED', gsi2sk: 'x' })).toString('base64url');
    const response = await measured('GET', `/api/admin/unmatched-events?cursor=${crafted}`, { as: ADMIN });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'cursor is not one this API returned; start again without it',
    });
    expect(response.dynamoDbRequests).toEqual([]);
  });
});

describe('the retry body', () => {
  it('is optional; malformed JSON, unknown fields and a body over 64 KiB are 4xx that say so', async () => {
    const empty = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, { as: ADMIN });
    const blank = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, { as: ADMIN, body: '  ' });
    const broken = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, { as: ADMIN, body: '{"resendEmail": tru' });
    const wrongType = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, { as: ADMIN, body: { resendEmail: 'yes' } });
    const huge = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, {
      as: ADMIN,
      body: { resendEmail: false, padding: 'x'.repeat(70_000) },
    });
    // Authorized and parsed: there is just no failed workflow to retry.
    expect(empty.body.error.code).toBe('NOTHING_TO_RETRY');
    expect(blank.body.error.code).toBe('NOTHING_TO_RETRY');
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'body is not valid JSON' } } });
    expect(wrongType).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('resendEmail') } },
    });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
  });
});

describe('an admin override that keeps colliding with other writers', () => {
  it('answers 409 CONCURRENT_CHANGE saying nothing was saved, not that the step was done', async () => {
    alwaysConflict = true;
    try {
      const response = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/complete`, {
        as: ADMIN,
        body: { reason: 'Confirmed by phone' },
      });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('CONCURRENT_CHANGE');
      expect(response.body.error.message).toContain('nothing was saved');
    } finally {
      alwaysConflict = false;
    }
    const view = (await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: ADMIN })).body;
    expect(view.steps[0].status).toBe('in_progress');
  });
});

describe('local sign-in', () => {
  it('takes the same email addresses as the API, by the same rule', async () => {
    const accepted = await baton.api('POST', '/api/dev/token', { body: { email: '  Hana.Sato@Example.COM ' } });
    const refused = await Promise.all(
      ['someone@localhost', 'a@b', 'double..dot@example.org'].map((email) => baton.api('POST', '/api/dev/token', { body: { email } })),
    );
    expect(accepted.status).toBe(200);
    expect(refused.map((r) => [r.status, r.body.error.message])).toEqual(Array(3).fill([400, 'email must be a valid email address']));
  });
});
