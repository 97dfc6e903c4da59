// Recertification in local mode: a program names its renewal program (a shorter path) through
// the programs API; a student who completed it enrolls again in the renewal and every earlier
// enrollment and certificate stays visible, to the student and to admins, with its own status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { readCredential } from '../support/open-badges.js';
import { saveProgram } from '../support/programs.js';

const DAY_MS = 24 * 3600 * 1000;
const STUDENT = 'ana@example.org';
let baton: TestBaton;
let now = Date.parse('2026-04-01T12:00:00Z');

beforeAll(async () => {
  baton = await startTestBaton({ clock: { now: () => new Date(now) } });
  await saveProgram(baton, {
    id: 'bls-renewal',
    name: 'BLS Renewal',
    category: 'Healthcare',
    certificateValidityMonths: 24,
    steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls-renewal', courseName: 'BLS Renewal' }],
  } as never);
  await saveProgram(baton, {
    id: 'bls-provider',
    name: 'BLS Provider',
    category: 'Healthcare',
    certificateValidityMonths: 24,
    renewalProgramId: 'bls-renewal',
    steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS, CPR, AED & First Aid' }],
  } as never);
}, 120_000);
afterAll(() => baton?.stop());

describe('a program and its renewal', () => {
  it('keeps certificateValidityMonths and renewalProgramId on the program, and refuses a renewal program that does not exist, writing nothing', async () => {
    const programs = (await baton.api('GET', '/api/programs', { as: ADMIN })).body.programs as Array<Record<string, unknown>>;
    expect(programs.find((p) => p.id === 'bls-provider')).toMatchObject({ certificateValidityMonths: 24, renewalProgramId: 'bls-renewal' });

    const before = await baton.items();
    const bad = await baton.api('PUT', '/api/admin/programs/bls-provider', {
      as: ADMIN,
      body: {
        name: 'BLS Provider',
        category: 'Healthcare',
        renewalProgramId: 'no-such-program',
        steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS, CPR, AED & First Aid' }],
      },
    });
    expect([bad.status, bad.body.error.message]).toEqual([
      400,
      expect.stringContaining('renewalProgramId "no-such-program" is not a program'),
    ]);
    expect(await baton.items()).toEqual(before);
  });
});

describe('enrolling again after completing', () => {
  let first: { id: string; certificate: { id: string } };
  let second: { id: string; certificate: { id: string } };

  beforeAll(async () => {
    const enrollment = await baton.enroll({
      studentEmail: STUDENT,
      studentName: 'Ana Lima',
      programId: 'bls-provider',
      partnerAccounts: { hsi: 'HSI-ANA' },
    });
    await baton.complete('hsi', { studentId: 'HSI-ANA', courseId: 'bls-cpr-aed' });
    first = await baton.enrollment(enrollment.id);
    // Two years on, the first certificate has expired; she takes the shorter renewal path.
    now += 2 * 366 * DAY_MS;
    const renewal = await baton.enroll({ studentEmail: STUDENT, programId: 'bls-renewal', partnerAccounts: { hsi: 'HSI-ANA' } });
    await baton.complete('hsi', { studentId: 'HSI-ANA', courseId: 'bls-renewal' });
    second = await baton.enrollment(renewal.id);
  }, 120_000);

  it('gives the renewal its own certificate and keeps the earlier one, expired, beside it for the student', async () => {
    expect(first.certificate?.id).toBeDefined();
    expect(second.certificate?.id).toBeDefined();
    expect(second.certificate.id).not.toBe(first.certificate.id);
    const mine = (await baton.api('GET', '/api/me/enrollments', { as: STUDENT })).body.enrollments as Array<Record<string, any>>;
    const byId = new Map(mine.map((e) => [e.id, e]));
    expect(byId.get(first.id)).toMatchObject({
      programId: 'bls-provider',
      status: 'completed',
      renewalProgramId: 'bls-renewal',
      certificate: { id: first.certificate.id, status: 'expired' },
    });
    expect(byId.get(second.id)).toMatchObject({
      programId: 'bls-renewal',
      status: 'completed',
      certificate: { id: second.certificate.id, status: 'valid' },
    });
  });

  it('shows admins both enrollments and both certificates, and verification still answers for the earlier one', async () => {
    // The list finds both (its rows name the certificate); each enrollment, opened, says how it stands.
    const rows = (await baton.api('GET', `/api/admin/enrollments?q=${STUDENT}`, { as: ADMIN })).body.enrollments as Array<
      Record<string, any>
    >;
    expect(rows.map((e) => [e.id, e.certificateId]).sort()).toEqual(
      [
        [first.id, first.certificate.id],
        [second.id, second.certificate.id],
      ].sort(),
    );
    const found = await Promise.all(rows.map(async (e) => (await baton.api('GET', `/api/enrollments/${e.id}`, { as: ADMIN })).body));
    expect(found.map((e) => [e.id, e.certificate?.id, e.certificate?.status]).sort()).toEqual(
      [
        [first.id, first.certificate.id, 'expired'],
        [second.id, second.certificate.id, 'valid'],
      ].sort(),
    );
    const earlier = await baton.api('GET', `/api/certificates/${first.certificate.id}`);
    expect(earlier.body).toMatchObject({ status: 'expired', programName: 'BLS Provider' });
  });

  it('issues the renewal an Open Badges 3.0 credential of its own that passes the schema and verifies; the earlier one verifies only before it expired', async () => {
    const renewal = await readCredential(baton, second.certificate.id, new Date(now));
    expect(renewal.credential.credentialSubject.achievement.name).toBe('BLS Renewal');
    expect(renewal.credential.validUntil).toBe((await baton.api('GET', `/api/certificates/${second.certificate.id}`)).body.expiresAt);

    const earlier = (await baton.api('GET', `/api/certificates/${first.certificate.id}`)).body;
    const before = await readCredential(baton, first.certificate.id, new Date(Date.parse(earlier.expiresAt) - DAY_MS));
    expect(before.credential.id).not.toBe(renewal.credential.id);
    expect(before.credential.credentialSubject.id).toBe(renewal.credential.credentialSubject.id);
    // Today an independent verifier refuses it on its exp claim, as the verification API says expired.
    await expect(readCredential(baton, first.certificate.id, new Date(now))).rejects.toThrow(/"exp" claim/);
  });

  it('may enroll again in the same program once the earlier one is completed, keeping it', async () => {
    const again = await baton.enroll({ studentEmail: STUDENT, programId: 'bls-provider', partnerAccounts: { hsi: 'HSI-ANA' } });
    const mine = (await baton.api('GET', '/api/me/enrollments', { as: STUDENT })).body.enrollments as Array<Record<string, any>>;
    expect(mine.map((e) => e.id).sort()).toEqual([first.id, second.id, again.id].sort());
    expect(mine.find((e) => e.id === first.id)?.certificate?.id).toBe(first.certificate.id);
  });
});
