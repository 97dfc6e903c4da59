// A certificate's life with no mocks and no I/O, Given / When / Then: what the enrollment records
// (the program's validity snapshot, the expiry with the certificate, a revocation for the
// timeline), and the certificate's own decisions — revoke only a valid one; claim the nearest
// reminder due, once; record, release or keep a claim by the send's outcome.
import { describe, expect, it } from 'vitest';
import { decideCertificate, evolveCertificateAll, type CertificateCommand } from '../../functions/domain/certificate-decider.js';
import type { Certificate } from '../../functions/domain/certificates.js';
import { decide, evolveAll, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import type { EnrollmentState } from '../../functions/domain/enrollment.js';
import { validateProgram, type Program } from '../../functions/domain/programs.js';

const DAY = 24 * 3600 * 1000;
const T = '2026-01-01T00:00:00.000Z';
const EXPIRES = '2028-01-01T00:00:00.000Z';
const daysBefore = (days: number) => new Date(Date.parse(EXPIRES) - days * DAY).toISOString();

const program: Program = {
  id: 'bls',
  name: 'BLS',
  category: 'Healthcare',
  steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls', courseName: 'BLS', required: true, completion: 'completed' }],
  certificateValidityMonths: 24,
  renewalProgramId: 'bls-renewal',
  reminders: null,
  version: 1,
  updatedAt: T,
};

function given(...commands: EnrollmentCommand[]): EnrollmentState {
  let state: EnrollmentState | undefined;
  const all: EnrollmentCommand[] = [
    { type: 'enroll', at: T, enrollmentId: 'e-1', student: { id: 's', name: 'Kim', email: 'kim@test.com' }, program, by: 'admin@test.com' },
    { type: 'record_partner_completion', at: T, partnerId: 'hsi', courseId: 'bls', result: 'completed', webhookId: 'w' },
    { type: 'advance', at: T },
    ...commands,
  ];
  for (const command of all) {
    const decision = decide(state, command);
    if (!decision.ok) throw new Error(`given ${command.type} was refused: ${decision.refusal.code}`);
    state = evolveAll(state, decision.events);
  }
  return state!;
}

const certificate = (extra: Partial<Certificate> = {}): Certificate => ({
  id: 'C',
  enrollmentId: 'e-1',
  studentId: 's',
  studentName: 'Kim',
  studentEmail: 'kim@test.com',
  programId: 'bls',
  programName: 'BLS',
  partners: ['HSI'],
  completedAt: T,
  issuedAt: T,
  expiresAt: EXPIRES,
  status: 'valid',
  ...extra,
});

function when(state: Certificate, command: CertificateCommand) {
  const decision = decideCertificate(state, command);
  return decision.ok
    ? { events: decision.events, after: evolveCertificateAll(state, decision.events) }
    : { refused: decision.refusal.code };
}

describe('the enrollment records its certificate', () => {
  it('keeps the program’s validity and renewal program as they were at enrollment', () => {
    const { enrollment } = given();
    expect(enrollment).toMatchObject({ certificateValidityMonths: 24, renewalProgramId: 'bls-renewal' });
  });

  it('records the expiry with the certificate, and a revocation once', () => {
    const issued = given({ type: 'issue_certificate', at: T, certificateId: 'C', expiresAt: EXPIRES });
    expect(issued.enrollment).toMatchObject({ certificateId: 'C', certificateExpiresAt: EXPIRES });
    const revoke = { type: 'record_certificate_revoked', certificateId: 'C', at: T, by: 'admin@test.com', reason: 'error' } as const;
    const decision = decide(issued, revoke);
    expect(decision.ok && decision.events).toEqual([{ type: 'certificate_revoked', at: T, by: 'admin@test.com', reason: 'error' }]);
    const revoked = evolveAll(issued, decision.ok ? decision.events : []);
    expect(revoked.enrollment.certificateRevocation).toEqual({ at: T, by: 'admin@test.com', reason: 'error' });
    expect(decide(revoked, revoke)).toEqual({ ok: true, events: [] });
    expect(decide(issued, { ...revoke, certificateId: 'OTHER' })).toMatchObject({ ok: false, refusal: { code: 'NOT_COMPLETED' } });
  });
});

describe('revoking a certificate', () => {
  it('revokes a valid one, with who and why', () => {
    expect(when(certificate(), { type: 'revoke', at: T, by: 'a', reason: 'r' }).after).toMatchObject({
      status: 'revoked',
      revokedAt: T,
      revokedBy: 'a',
      revokedReason: 'r',
    });
  });

  it('refuses one already revoked', () => {
    expect(when(certificate({ status: 'revoked', revokedAt: T }), { type: 'revoke', at: T, by: 'a', reason: 'r' })).toEqual({
      refused: 'CERTIFICATE_REVOKED',
    });
  });
});

describe('expiry reminders', () => {
  const claim = (at: string, state = certificate()) => when(state, { type: 'claim_reminder', at });

  it('claims nothing before 60 days, the 60-day reminder from then, and nothing twice', () => {
    expect(claim(daysBefore(61)).events).toEqual([]);
    const first = claim(daysBefore(59));
    expect(first.events).toEqual([{ type: 'reminder_claimed', daysBefore: 60, at: daysBefore(59), passed: [] }]);
    expect(claim(daysBefore(58), first.after).events).toEqual([]);
  });

  it('claims only the nearest when several are due, recording the farther as passed', () => {
    const late = claim(daysBefore(10));
    expect(late.events).toEqual([{ type: 'reminder_claimed', daysBefore: 14, at: daysBefore(10), passed: [60] }]);
    expect(late.after!.reminders).toEqual([
      { daysBefore: 60, passedAt: daysBefore(10) },
      { daysBefore: 14, claimedAt: daysBefore(10) },
    ]);
    expect(claim(daysBefore(5), late.after).events).toEqual([]);
  });

  it('sends nothing for a revoked, expired or never-expiring certificate', () => {
    expect(claim(daysBefore(10), certificate({ status: 'revoked' })).events).toEqual([]);
    expect(claim(EXPIRES).events).toEqual([]);
    expect(claim(daysBefore(10), certificate({ expiresAt: undefined })).events).toEqual([]);
  });

  it('records a send on its own claim only, releases a refused one for the next sweep, and keeps an unknown one claimed', () => {
    const claimed = claim(daysBefore(59)).after!;
    const at = daysBefore(59);
    expect(when(claimed, { type: 'record_reminder_sent', daysBefore: 60, claimedAt: at, at, messageId: 'm' }).after!.reminders).toEqual([
      { daysBefore: 60, claimedAt: at, sentAt: at, messageId: 'm' },
    ]);
    expect(when(claimed, { type: 'record_reminder_sent', daysBefore: 60, claimedAt: T, at, messageId: 'm' })).toEqual({
      refused: 'REMINDER_CLAIM_GONE',
    });
    const released = when(claimed, { type: 'release_reminder', daysBefore: 60, claimedAt: at }).after!;
    expect(released.reminders).toEqual([]);
    expect(claim(daysBefore(58), released).events).toHaveLength(1);
    const unknown = when(claimed, { type: 'record_reminder_unknown', daysBefore: 60, claimedAt: at, at, error: 'timeout' }).after!;
    expect(unknown.reminders![0]).toMatchObject({ outcomeUnknownAt: at, error: 'timeout' });
    expect(claim(daysBefore(58), unknown).events).toEqual([]);
  });
});

describe('program certificate rules', () => {
  const base = { id: 'bls', name: 'BLS', category: 'Healthcare', steps: [{ sequence: 1, partnerId: 'hsi', courseId: 'bls' }] };

  it('accepts a whole number of months from 1 to 120 and a renewal program other than itself', () => {
    expect(validateProgram({ ...base, certificateValidityMonths: 24, renewalProgramId: 'bls-renewal' })).toMatchObject({
      certificateValidityMonths: 24,
      renewalProgramId: 'bls-renewal',
    });
  });

  it.each([0, 121, 1.5, '12'])('refuses a validity of %s months, saying what is allowed', (months) => {
    expect(() => validateProgram({ ...base, certificateValidityMonths: months })).toThrow(/whole number of months from 1 to 120/);
  });

  it('refuses a program that renews itself', () => {
    expect(() => validateProgram({ ...base, renewalProgramId: 'bls' })).toThrow(/cannot name the program itself/);
  });
});
