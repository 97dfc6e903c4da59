// Partner webhooks against local mode: signatures (Standard Webhooks), dedupe, out-of-order
// completions, the unmatched inbox, xAPI statements, and "a 4xx writes nothing".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionBody, sendWebhook, signWebhook, xapiBody } from '../../local/partner-webhook-client.js';
import { ADMIN, partnerSecrets, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

const stepStatuses = async (enrollmentId: string) => (await baton.enrollment(enrollmentId)).steps.map((s: any) => s.status);

let counter = 0;
const newStudent = () => {
  counter++;
  return { email: `learner${counter}@example.org`, hsi: `H-${counter}`, certiport: `C-${counter}`, careersafe: `S-${counter}` };
};
const enrollMedicalAssistant = (s: ReturnType<typeof newStudent>) =>
  baton.enroll({
    studentEmail: s.email,
    programId: 'medical-assistant',
    partnerAccounts: { hsi: s.hsi, certiport: s.certiport, careersafe: s.careersafe },
  });

describe('signatures: only a valid Standard Webhooks signature is accepted, and a rejection writes nothing', () => {
  const body = completionBody({ event: 'course.completed', studentId: 'nobody', courseId: 'bls-cpr-aed' });

  async function expectRejected(send: () => Promise<{ status: number; body: any }>, status: number, code: string) {
    const before = await baton.items();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(await baton.items()).toEqual(before);
  }

  it('rejects a tampered body', () =>
    expectRejected(
      () => {
        const signed = signWebhook({ secret: baton.secrets.hsi![0]!, body });
        return sendWebhook(`${baton.url}/api/webhooks/partners/hsi`, { ...signed, body: body.replace('nobody', 'somebody') });
      },
      401,
      'INVALID_SIGNATURE',
    ));

  it('rejects a signature made with the wrong secret', () =>
    expectRejected(() => baton.webhook('hsi', body, { secret: partnerSecrets().hsi[0] }), 401, 'INVALID_SIGNATURE'));

  it("rejects another partner's secret on this partner's URL", () =>
    expectRejected(() => baton.webhook('hsi', body, { secret: baton.secrets.certiport![0] }), 401, 'INVALID_SIGNATURE'));

  it('rejects a timestamp more than 5 minutes old', () =>
    expectRejected(() => baton.webhook('hsi', body, { timestamp: new Date(Date.now() - 6 * 60_000) }), 401, 'INVALID_SIGNATURE'));

  it('rejects a timestamp more than 5 minutes in the future', () =>
    expectRejected(() => baton.webhook('hsi', body, { timestamp: new Date(Date.now() + 6 * 60_000) }), 401, 'INVALID_SIGNATURE'));

  for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    it(`rejects a request without the ${header} header`, () =>
      expectRejected(
        async () => {
          const response = await fetch(`${baton.url}/api/webhooks/partners/hsi`, {
            method: 'POST',
            headers: Object.fromEntries(
              Object.entries(signWebhook({ secret: baton.secrets.hsi![0]!, body }).headers).filter(([name]) => name !== header),
            ),
            body,
          });
          return { status: response.status, body: await response.json() };
        },
        401,
        'INVALID_SIGNATURE',
      ));
  }

  it('rejects the same JSON re-serialised differently (the signature covers the raw bytes)', () =>
    expectRejected(
      () => {
        const signed = signWebhook({ secret: baton.secrets.hsi![0]!, body });
        return sendWebhook(`${baton.url}/api/webhooks/partners/hsi`, { ...signed, body: JSON.stringify(JSON.parse(body), null, 2) });
      },
      401,
      'INVALID_SIGNATURE',
    ));

  it('answers 404 for an unknown partner', () =>
    expectRejected(() => baton.webhook('nope' as never, body, { secret: baton.secrets.hsi![0] }), 404, 'NOT_FOUND'));

  it('answers 400 naming the missing field', async () => {
    const before = await baton.items();
    const response = await baton.webhook('hsi', JSON.stringify({ event: 'course.completed', student_id: 'x' }));
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('course_id');
    expect(await baton.items()).toEqual(before);
  });

  it('answers 400 saying the accepted range for a completion time before 2000 or more than 24 hours ahead, and writes nothing', async () => {
    const student = newStudent();
    const enrollment = await enrollMedicalAssistant(student);
    const before = await baton.items();
    const completion = (completedAt: string) =>
      completionBody({ event: 'course.completed', studentId: student.hsi, courseId: 'bls-cpr-aed', completedAt });
    const statement = (completedAt: string) =>
      xapiBody({ event: 'course.completed', studentId: student.hsi, courseId: 'bls-cpr-aed', completedAt });
    const tooLate = new Date(Date.now() + 25 * 3600_000).toISOString();

    const responses = [
      await baton.webhook('hsi', completion('-000001-03-01T15:04:05Z')),
      await baton.webhook('hsi', completion('1999-12-31T23:59:59Z')),
      await baton.webhook('hsi', completion(tooLate)),
      await baton.webhook('hsi', statement('+010000-01-01T00:00:00Z')),
    ];

    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    for (const response of responses)
      expect
        .soft(response.body.error.message)
        .toMatch(/^(completed_at|timestamp) must be between 2000-01-01T00:00:00Z and 24 hours after the server's current time/);
    expect(await baton.items()).toEqual(before);
    expect(await stepStatuses(enrollment.id)).toEqual(['in_progress', 'pending', 'pending']);

    const soon = new Date(Date.now() + 23 * 3600_000).toISOString();
    expect((await baton.webhook('hsi', completion(soon))).body).toEqual({ status: 'applied' });
    expect((await stepStatuses(enrollment.id))[0]).toBe('completed');
  });

  it('answers 400 for malformed JSON and 413 for a body over 256 KiB', async () => {
    const before = await baton.items();
    expect((await baton.webhook('hsi', '{"event": ')).status).toBe(400);
    const huge = JSON.stringify({ event: 'course.completed', student_id: 'x', course_id: 'y', padding: 'x'.repeat(300 * 1024) });
    expect((await baton.webhook('hsi', huge)).status).toBe(413);
    expect(await baton.items()).toEqual(before);
  });

  it('accepts any one valid signature among several (key rotation) and a rotated secret list', async () => {
    const rotated = await startTestBaton({ partnerSecrets: { hsi: [partnerSecrets().hsi[0]!, baton.secrets.hsi![0]!] } });
    try {
      const response = await rotated.webhook(
        'hsi',
        completionBody({ event: 'course.completed', studentId: 'rotated', courseId: 'bls-cpr-aed' }),
        {
          secret: baton.secrets.hsi![0],
        },
      );
      expect(response).toEqual({ status: 200, body: { status: 'unmatched' } });

      const wrong = signWebhook({ secret: partnerSecrets().hsi[0]!, body, id: 'msg_multi' });
      const right = signWebhook({ secret: baton.secrets.hsi![0]!, body, id: 'msg_multi' });
      const both = {
        ...right,
        headers: { ...right.headers, 'webhook-signature': `${wrong.headers['webhook-signature']} ${right.headers['webhook-signature']}` },
      };
      expect((await sendWebhook(`${rotated.url}/api/webhooks/partners/hsi`, both)).status).toBe(200);
    } finally {
      await rotated.stop();
    }
  });
});

describe('delivery semantics', () => {
  it('applies a completion once: the same webhook-id again is a duplicate that changes nothing', async () => {
    const s = newStudent();
    const enrollment = await enrollMedicalAssistant(s);
    const first = await baton.complete('hsi', { studentId: s.hsi, courseId: 'bls-cpr-aed' }, { id: 'msg_dup_1' });
    expect(first.body).toEqual({ status: 'applied' });
    await baton.drain();
    const before = await baton.items();
    const again = await baton.complete('hsi', { studentId: s.hsi, courseId: 'bls-cpr-aed' }, { id: 'msg_dup_1' });
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(await baton.items()).toEqual(before);
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);
  });

  it('treats the same completion under a new webhook-id as a duplicate (recorded, no second transition)', async () => {
    const s = newStudent();
    const enrollment = await enrollMedicalAssistant(s);
    await baton.complete('hsi', { studentId: s.hsi, courseId: 'bls-cpr-aed' });
    const resent = await baton.complete('hsi', { studentId: s.hsi, courseId: 'bls-cpr-aed' });
    expect(resent.body).toEqual({ status: 'duplicate' });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);
    const pipeline = await baton.api('GET', '/api/admin/pipeline', { as: ADMIN });
    expect(pipeline.body.providers.find((p: any) => p.partnerId === 'hsi').completed).toBeGreaterThanOrEqual(1);
  });

  it('records an out-of-order completion on a pending step and skips it when the workflow reaches it', async () => {
    const s = newStudent();
    const enrollment = await enrollMedicalAssistant(s);
    // CareerSafe (step 3) finishes before Certiport (step 2) has even started.
    expect((await baton.complete('careersafe', { studentId: s.careersafe, courseId: 'osha-10-healthcare' })).body).toEqual({
      status: 'applied',
    });
    expect(await stepStatuses(enrollment.id)).toEqual(['in_progress', 'pending', 'completed']);
    await baton.complete('hsi', { studentId: s.hsi, courseId: 'bls-cpr-aed' });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'completed']);
    await baton.complete('certiport', { studentId: s.certiport, courseId: 'mos-word' });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'completed', 'completed']);
    const { body } = await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: ADMIN });
    expect(body.status).toBe('completed');
    expect(body.certificate).toBeDefined();
  });

  it('never moves a completed step back: an older event after a newer one is recorded as a duplicate', async () => {
    const s = newStudent();
    const enrollment = await enrollMedicalAssistant(s);
    await baton.complete('hsi', { studentId: s.hsi, courseId: 'bls-cpr-aed', completedAt: '2026-03-02T10:00:00Z' });
    const older = await baton.complete('hsi', { studentId: s.hsi, courseId: 'bls-cpr-aed', completedAt: '2026-03-01T10:00:00Z' });
    expect(older.body).toEqual({ status: 'duplicate' });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);
  });

  it('accepts an xAPI statement on the same route (learner by account name, course by activity IRI)', async () => {
    const s = newStudent();
    const enrollment = await enrollMedicalAssistant(s);
    const response = await baton.webhook(
      'hsi',
      xapiBody({ event: 'course.completed', studentId: s.hsi, courseId: 'bls-cpr-aed', partnerHomePage: 'https://otis.hsi.com' }),
    );
    expect(response.body).toEqual({ status: 'applied' });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);
  });

  it('stores other event types and answers "ignored"', async () => {
    const response = await baton.webhook('hsi', JSON.stringify({ event: 'course.started', student_id: 'H-1', course_id: 'bls-cpr-aed' }));
    expect(response.body).toEqual({ status: 'ignored' });
    const items = await baton.items();
    expect(items.some((i) => i.entity === 'delivery' && i.outcome === 'ignored')).toBe(true);
  });

  it('does not complete a "passed" step with a mere completion, but does with a pass', async () => {
    const s = newStudent();
    const enrollment = await baton.enroll({ studentEmail: s.email, programId: 'it-support', partnerAccounts: { certiport: s.certiport } });
    const completed = await baton.complete('certiport', { studentId: s.certiport, courseId: 'it-specialist-device-config' });
    expect(completed.body).toEqual({ status: 'ignored' });
    expect(await stepStatuses(enrollment.id)).toEqual(['in_progress']);
    const passed = await baton.complete('certiport', {
      event: 'course.passed',
      studentId: s.certiport,
      courseId: 'it-specialist-device-config',
      score: 0.91,
    });
    expect(passed.body).toEqual({ status: 'applied' });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed']);
  });

  it('matches a student by email when the partner account is not linked, and links it', async () => {
    const s = newStudent();
    const enrollment = await baton.enroll({ studentEmail: s.email, programId: 'medical-assistant' });
    const byEmail = await baton.complete('hsi', { studentId: 'HSI-NEW-ID', email: s.email, courseId: 'bls-cpr-aed' });
    expect(byEmail.body).toEqual({ status: 'applied' });
    // The account is now linked: a later event without the email still matches.
    const linked = await baton.complete('hsi', { studentId: 'HSI-NEW-ID', courseId: 'bls-cpr-aed' });
    expect(linked.body).toEqual({ status: 'duplicate' });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);
  });
});

describe('unmatched inbox', () => {
  it('keeps an event for an unknown student and re-applies it when an admin links the account', async () => {
    const s = newStudent();
    const enrollment = await baton.enroll({ studentEmail: s.email, programId: 'medical-assistant' });
    const event = await baton.complete('hsi', { studentId: 'HSI-ORPHAN-77', courseId: 'bls-cpr-aed' }, { id: 'msg_orphan_77' });
    expect(event.body).toEqual({ status: 'unmatched' });

    const inbox = await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN });
    expect(inbox.status).toBe(200);
    expect(inbox.body.events.find((e: any) => e.webhookId === 'msg_orphan_77')).toMatchObject({
      partnerId: 'hsi',
      externalId: 'HSI-ORPHAN-77',
      courseId: 'bls-cpr-aed',
      reason: 'unknown_student',
    });

    const link = await baton.api('POST', '/api/admin/partner-accounts', {
      as: ADMIN,
      body: { partnerId: 'hsi', externalId: 'HSI-ORPHAN-77', studentEmail: s.email },
    });
    expect(link.status).toBe(200);
    expect(link.body.reapplied).toEqual([
      { webhookId: 'msg_orphan_77', partnerId: 'hsi', status: 'applied', appliedTo: [{ enrollmentId: enrollment.id, stepIndex: 0 }] },
    ]);
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);

    const after = await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN });
    expect(after.body.events.some((e: any) => e.webhookId === 'msg_orphan_77')).toBe(false);

    // Linking again re-applies nothing twice.
    const again = await baton.api('POST', '/api/admin/partner-accounts', {
      as: ADMIN,
      body: { partnerId: 'hsi', externalId: 'HSI-ORPHAN-77', studentEmail: s.email },
    });
    expect(again.body.reapplied).toEqual([]);
  });

  it('applies waiting events when the student is enrolled later', async () => {
    const s = newStudent();
    expect((await baton.complete('hsi', { studentId: s.hsi, email: s.email, courseId: 'bls-cpr-aed' })).body).toEqual({
      status: 'unmatched',
    });
    const enrollment = await baton.enroll({ studentEmail: s.email, programId: 'medical-assistant', partnerAccounts: { hsi: s.hsi } });
    expect(await stepStatuses(enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);
  });

  it('refuses to link an account that belongs to another student', async () => {
    const a = newStudent();
    const b = newStudent();
    await baton.enroll({ studentEmail: a.email, programId: 'medical-assistant', partnerAccounts: { hsi: a.hsi } });
    await baton.enroll({ studentEmail: b.email, programId: 'cna' });
    const response = await baton.api('POST', '/api/admin/partner-accounts', {
      as: ADMIN,
      body: { partnerId: 'hsi', externalId: a.hsi, studentEmail: b.email },
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('PARTNER_ACCOUNT_TAKEN');
  });
});
