// Ownership rests on the sign-in account once known: the first account to open its own page with
// the student's email claims the student (its `sub`), and from then on another account that comes
// to carry the same address (a recycled mailbox, a second identity provider) is not the student.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT_ID } from '../../local/auth.js';
import { signWithLocalKey } from '../support/local-tokens.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

const EMAIL = 'owner@example.org';
let baton: TestBaton;
let enrollmentId: string;
beforeAll(async () => {
  baton = await startTestBaton();
  enrollmentId = (await baton.enroll({ studentEmail: EMAIL, programId: 'cdl', partnerAccounts: { jri: 'JRI-OWNER' } })).id;
});
afterAll(() => baton?.stop());

/** An access token for this email under the given account, as the local authorizer accepts it. */
const tokenFor = (sub: string) =>
  signWithLocalKey(baton.dataDir, { sub, email: EMAIL, token_use: 'access', client_id: LOCAL_CLIENT_ID, 'cognito:groups': [] });
const as = async (sub: string, path: string) => baton.api('GET', path, { headers: { authorization: `Bearer ${await tokenFor(sub)}` } });

describe('who owns a student', () => {
  it('is the first account that opens its own page with the email; another account with the same email then sees nothing', async () => {
    // Before any sign-in, the email decides.
    expect((await as('account-later', `/api/enrollments/${enrollmentId}`)).status).toBe(200);

    const first = await as('account-first', '/api/me/enrollments');
    expect(first.body.enrollments.map((e: { id: string }) => e.id)).toEqual([enrollmentId]);
    const claimed = (await baton.items()).find((i) => i.entity === 'student' && i.email === EMAIL);
    expect(claimed?.sub).toBe('account-first');

    expect((await as('account-first', `/api/enrollments/${enrollmentId}`)).status).toBe(200);
    expect((await as('account-later', `/api/enrollments/${enrollmentId}`)).status).toBe(404);
    expect((await as('account-later', '/api/me/enrollments')).body).toEqual({ enrollments: [] });
    // Admins are not students: their view does not depend on the claim.
    expect((await baton.api('GET', `/api/enrollments/${enrollmentId}`, { as: ADMIN })).status).toBe(200);
  });
});
