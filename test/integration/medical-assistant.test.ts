// The seed's own acceptance scenario, end to end over HTTP against local mode: Medical Assistant,
// John Student, HSI → Certiport → CareerSafe, with no manual step anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

const statuses = (enrollment: { steps: Array<{ partnerId: string; status: string }> }) =>
  enrollment.steps.map((s) => `${s.partnerId}:${s.status}`);

describe('Medical Assistant: HSI → Certiport → CareerSafe', () => {
  let enrollment: any;

  it('ships the catalog: 49 programs, 78 partner mappings, Medical Assistant = HSI → Certiport → CareerSafe', async () => {
    const { status, body } = await baton.api('GET', '/api/programs');
    expect(status).toBe(200);
    expect(body.programs).toHaveLength(49);
    expect(body.programs.reduce((n: number, p: any) => n + p.steps.length, 0)).toBe(78);
    const ma = body.programs.find((p: any) => p.name === 'Medical Assistant');
    expect(ma.steps.map((s: any) => s.partnerId)).toEqual(['hsi', 'certiport', 'careersafe']);
  });

  it('enrolling John Student generates 3 steps and starts HSI', async () => {
    const response = await baton.api('POST', '/api/enrollments', {
      as: ADMIN,
      body: {
        studentEmail: STUDENT,
        programId: 'medical-assistant',
        partnerAccounts: { hsi: 'HSI-1001', certiport: 'CP-2002', careersafe: 'CS-3003' },
      },
    });
    expect(response.status).toBe(201);
    enrollment = response.body;
    expect(enrollment.studentName).toBe('John Student');
    expect(enrollment.programName).toBe('Medical Assistant');
    expect(statuses(enrollment)).toEqual(['hsi:in_progress', 'certiport:pending', 'careersafe:pending']);
    expect(enrollment.currentSteps).toEqual([1]);
    expect(enrollment.progress).toEqual({ completed: 0, total: 3, percent: 0 });
    expect(enrollment.steps[0].launchUrl).toContain('learner=HSI-1001');
  });

  it('a signed HSI completion completes step 1 and starts Certiport', async () => {
    const response = await baton.complete('hsi', { studentId: 'HSI-1001', courseId: 'bls-cpr-aed' });
    expect(response).toEqual({ status: 200, body: { status: 'applied' } });
    await baton.drain();
    const { body } = await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: STUDENT });
    expect(statuses(body)).toEqual(['hsi:completed', 'certiport:in_progress', 'careersafe:pending']);
    expect(body.progress).toEqual({ completed: 1, total: 3, percent: 33 });
  });

  it('Certiport completion starts CareerSafe', async () => {
    expect((await baton.complete('certiport', { studentId: 'CP-2002', courseId: 'mos-word' })).body).toEqual({ status: 'applied' });
    await baton.drain();
    const { body } = await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: STUDENT });
    expect(statuses(body)).toEqual(['hsi:completed', 'certiport:completed', 'careersafe:in_progress']);
    expect(body.currentSteps).toEqual([3]);
  });

  it('the CareerSafe completion completes the enrollment, issues a PDF certificate and emails the student', async () => {
    expect((await baton.complete('careersafe', { studentId: 'CS-3003', courseId: 'osha-10-healthcare' })).body).toEqual({
      status: 'applied',
    });
    await baton.drain();

    const { body } = await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: STUDENT });
    expect(body.status).toBe('completed');
    expect(body.completedAt).toBeDefined();
    expect(body.progress).toEqual({ completed: 3, total: 3, percent: 100 });
    expect(body.certificate.id).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(body.timeline.map((t: any) => t.type)).toEqual([
      'enrolled',
      'step_started',
      'email_sent', // the welcome email
      'step_completed',
      'step_started',
      'step_completed',
      'step_started',
      'step_completed',
      'enrollment_completed',
      'certificate_issued',
      'email_sent',
    ]);

    const pdf = await fetch(body.certificate.pdfUrl, { headers: { authorization: `Bearer ${await baton.token(STUDENT)}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const verification = await baton.api('GET', `/api/certificates/${body.certificate.id}`);
    expect(verification.status).toBe(200);
    expect(verification.body).toMatchObject({
      id: body.certificate.id,
      status: 'valid',
      studentName: 'John Student',
      programName: 'Medical Assistant',
      partners: ['HSI', 'Certiport', 'CareerSafe'],
    });
    expect(verification.body).not.toHaveProperty('studentEmail');

    // The welcome email when enrolled, then the completion email.
    const emails = baton.outbox().sort();
    expect(emails).toHaveLength(2);
    expect(emails.every((email) => email.includes('To: student@test.com'))).toBe(true);
    expect(emails.filter((email) => email.includes('Subject: Welcome to Medical Assistant: how to start'))).toHaveLength(1);
    expect(emails.filter((email) => email.includes('Subject: Congratulations! You completed Medical Assistant'))).toHaveLength(1);
  });

  it('shows the finished enrollment on the student’s own list and in the admin pipeline', async () => {
    const mine = await baton.api('GET', '/api/me/enrollments', { as: STUDENT });
    expect(mine.body.enrollments.map((e: any) => [e.id, e.status])).toEqual([[enrollment.id, 'completed']]);

    const pipeline = await baton.api('GET', '/api/admin/pipeline', { as: ADMIN });
    const byPartner = Object.fromEntries(pipeline.body.providers.map((p: any) => [p.partnerId, [p.pending, p.in_progress, p.completed]]));
    expect(byPartner).toMatchObject({ hsi: [0, 0, 1], certiport: [0, 0, 1], careersafe: [0, 0, 1] });
    expect(pipeline.body.programs.find((p: any) => p.programId === 'medical-assistant')).toMatchObject({
      total: 1,
      completed: 1,
      completionRate: 100,
    });
  });

  it('ran one workflow execution per transition, all succeeded', () => {
    const runs = [...baton.runner.executions.values()].filter((e) => e.enrollmentId === enrollment.id);
    expect(runs.map((r) => r.name.slice(enrollment.id.length + 1))).toEqual(['enrolled', 's0-completed', 's1-completed', 's2-completed']);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
  });
});
