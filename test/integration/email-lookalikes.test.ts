// Email addresses are compared after folding ASCII A-Z only. JavaScript's toLowerCase() folds
// more (the Kelvin sign U+212A becomes "k"), so a token whose email claim is "\u212Aim@test.com"
// must not read kim@test.com's enrollments, certificate or list, while "KIM@test.com" still does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';

const KIM = 'kim@test.com';
const KELVIN_KIM = '\u212Aim@test.com';

let baton: TestBaton;
let enrollmentId: string;
let certificateId: string;
beforeAll(async () => {
  baton = await startTestBaton();
  enrollmentId = (await baton.enroll({ studentEmail: KIM, programId: 'cdl', partnerAccounts: { jri: 'JRI-KIM' } })).id;
  await baton.complete('jri', { studentId: 'JRI-KIM', courseId: 'cdl-entry-level-driver' });
  certificateId = (await baton.enrollment(enrollmentId)).certificate.id;
});
afterAll(() => baton?.stop());

describe('an email claim that only toLowerCase() folds into another address', () => {
  it("gets a 404 for that address's enrollment and certificate, and an empty list of its own", async () => {
    const enrollment = await baton.api('GET', `/api/enrollments/${enrollmentId}`, { as: KELVIN_KIM });
    const certificate = await baton.api('GET', `/api/certificates/${certificateId}/pdf`, {
      as: KELVIN_KIM,
      headers: { accept: 'application/json' },
    });
    const mine = await baton.api('GET', '/api/me/enrollments', { as: KELVIN_KIM });

    expect(enrollment.status).toBe(404);
    expect(certificate.status).toBe(404);
    expect(mine).toMatchObject({ status: 200, body: { enrollments: [] } });
  });

  it('still matches the owner whatever the case of the ASCII letters', async () => {
    for (const email of [KIM, 'KIM@TEST.COM', 'Kim@Test.com']) {
      const mine = await baton.api('GET', '/api/me/enrollments', { as: email });
      expect
        .soft(
          mine.body.enrollments?.map((e: { id: string }) => e.id),
          email,
        )
        .toEqual([enrollmentId]);
      expect.soft((await baton.api('GET', `/api/enrollments/${enrollmentId}`, { as: email })).status, email).toBe(200);
    }
  });

  it('is no address local sign-in accepts', async () => {
    const response = await baton.api('POST', '/api/dev/token', { body: { email: KELVIN_KIM } });
    expect(response.status).toBe(400);
  });
});
