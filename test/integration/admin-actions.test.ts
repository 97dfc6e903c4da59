// Admin actions against local mode: enroll (and its 409), waive/complete overrides recorded in
// the timeline, the pipeline's counts and stuck students, program versions, search, auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
let now = Date.parse('2026-11-01T09:00:00Z');
beforeAll(async () => {
  // A settable clock, so "stuck for 7 days" takes no waiting.
  baton = await startTestBaton({ clock: { now: () => new Date(now) } });
});
afterAll(() => baton?.stop());

const get = (id: string) => baton.enrollment(id);

describe('enrolling', () => {
  it('refuses a second active enrollment of the same student in the same program with 409', async () => {
    await baton.enroll({ studentEmail: 'twice@example.org', studentName: 'Tina Twice', programId: 'cna' });
    const again = await baton.api('POST', '/api/enrollments', { as: ADMIN, body: { studentEmail: 'twice@example.org', programId: 'cna' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ACTIVE_ENROLLMENT_EXISTS');
  });

  it('answers 400 naming each wrong field, and writes nothing', async () => {
    const before = await baton.items();
    const response = await baton.api('POST', '/api/enrollments', {
      as: ADMIN,
      body: { studentEmail: 'not-an-email', programId: 'cna', partnerAccounts: { moodle: 'x' }, status: 'completed' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.message).toContain('studentEmail');
    expect(response.body.error.message).toContain('partnerAccounts');
    expect(await baton.items()).toEqual(before);
  });

  it('answers 400 for a program that does not exist', async () => {
    const response = await baton.api('POST', '/api/enrollments', {
      as: ADMIN,
      body: { studentEmail: 'x@example.org', programId: 'astronaut' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('astronaut');
  });
});

describe('admin overrides', () => {
  it('waives a step with a reason, records who and why, and advances', async () => {
    const enrollment = await baton.enroll({
      studentEmail: 'waive@example.org',
      studentName: 'Wanda Waive',
      programId: 'medical-assistant',
    });
    const response = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/waive`, {
      as: ADMIN,
      body: { reason: 'Current BLS card on file' },
    });
    expect(response.status).toBe(200);
    const after = await get(enrollment.id);
    expect(after.steps.map((s: any) => s.status)).toEqual(['waived', 'in_progress', 'pending']);
    expect(after.steps[0].resolution).toEqual({ source: 'admin', by: ADMIN, reason: 'Current BLS card on file' });
    expect(after.timeline.find((t: any) => t.type === 'step_waived').detail).toContain(
      'waived by admin@test.com: Current BLS card on file',
    );
    expect(after.progress).toEqual({ completed: 1, total: 3, percent: 33 });

    const student = await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: 'waive@example.org' });
    expect(student.body.timeline.some((t: any) => t.detail.includes('Current BLS card on file'))).toBe(true);
  });

  it('marks a step complete by hand and finishes the enrollment when it was the last one', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'manual@example.org', programId: 'cdl' });
    const response = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/complete`, {
      as: ADMIN,
      body: { reason: 'Partner confirmed by phone' },
    });
    expect(response.status).toBe(200);
    const after = await get(enrollment.id);
    expect(after.status).toBe('completed');
    expect(after.certificate.id).toBeDefined();
  });

  it('requires a reason, refuses a finished step with 409, and names the choices for a shared sequence', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'rules@example.org', programId: 'bookkeeping' });
    const noReason = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/waive`, { as: ADMIN, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('reason');

    // Bookkeeping runs JRI and Certiport in parallel, both sequence 1.
    expect(enrollment.steps.map((s: any) => [s.sequence, s.status])).toEqual([
      [1, 'in_progress'],
      [1, 'in_progress'],
    ]);
    const ambiguous = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/waive`, {
      as: ADMIN,
      body: { reason: 'Prior learning' },
    });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.message).toContain('jri, certiport');

    const picked = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/waive`, {
      as: ADMIN,
      body: { reason: 'Prior learning', partnerId: 'jri' },
    });
    expect(picked.status).toBe(200);
    const twice = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/1/waive`, {
      as: ADMIN,
      body: { reason: 'Prior learning', partnerId: 'jri' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('STEP_ALREADY_DONE');

    const missing = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/steps/7/complete`, {
      as: ADMIN,
      body: { reason: 'Prior learning' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('pipeline', () => {
  it('lists students in progress longer than stuckDays, oldest first, with days stuck', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'slow@example.org', studentName: 'Sam Slow', programId: 'hvac' });
    now += 8.5 * 24 * 3600 * 1000;
    const pipeline = await baton.api('GET', '/api/admin/pipeline?stuckDays=7', { as: ADMIN });
    expect(pipeline.status).toBe(200);
    const stuck = pipeline.body.stuck.find((s: any) => s.enrollmentId === enrollment.id);
    expect(stuck).toMatchObject({ studentName: 'Sam Slow', studentEmail: 'slow@example.org', partnerId: 'careersafe', daysStuck: 8.5 });

    const longer = await baton.api('GET', '/api/admin/pipeline?stuckDays=9', { as: ADMIN });
    expect(longer.body.stuck.some((s: any) => s.enrollmentId === enrollment.id)).toBe(false);
    const fractional = await baton.api('GET', '/api/admin/pipeline?stuckDays=0.5', { as: ADMIN });
    expect(fractional.body.stuck.some((s: any) => s.enrollmentId === enrollment.id)).toBe(true);
  });

  it('answers 400 for a stuckDays that is not a number', async () => {
    const response = await baton.api('GET', '/api/admin/pipeline?stuckDays=soon', { as: ADMIN });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('stuckDays');
  });

  it('counts per partner equal the steps recomputed from the enrollments', async () => {
    const { body } = await baton.api('GET', '/api/admin/pipeline', { as: ADMIN });
    const steps = (await baton.items()).filter((i) => i.entity === 'step');
    for (const provider of body.providers) {
      const mine = steps.filter((s) => s.partnerId === provider.partnerId);
      for (const status of ['pending', 'in_progress', 'completed', 'waived']) {
        expect([provider.partnerId, status, provider[status]]).toEqual([
          provider.partnerId,
          status,
          mine.filter((s) => s.status === status).length,
        ]);
      }
    }
  });
});

describe('program versions', () => {
  it('an edited program gets a new version; enrollments in flight keep the steps they started with', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'inflight@example.org', programId: 'web-dev' });
    const programs = (await baton.api('GET', '/api/programs')).body.programs;
    const webDev = programs.find((p: any) => p.id === 'web-dev');
    const edited = await baton.api('PUT', '/api/admin/programs/web-dev', {
      as: ADMIN,
      body: {
        name: webDev.name,
        category: webDev.category,
        expectedVersion: webDev.version,
        steps: [...webDev.steps, { sequence: 2, partnerId: 'jri', courseId: 'work-readiness', courseName: 'Work Readiness' }],
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(webDev.version + 1);

    const after = await get(enrollment.id);
    expect(after.programVersion).toBe(webDev.version);
    expect(after.steps).toHaveLength(1);
    const fresh = await baton.enroll({ studentEmail: 'fresh@example.org', programId: 'web-dev' });
    expect(fresh.steps).toHaveLength(2);

    const stale = await baton.api('PUT', '/api/admin/programs/web-dev', {
      as: ADMIN,
      body: { name: webDev.name, category: webDev.category, expectedVersion: webDev.version, steps: webDev.steps },
    });
    expect(stale.status).toBe(409);
  });

  it('rejects invalid programs with a clear message: unknown partner, duplicate course, no steps', async () => {
    const save = (steps: unknown[]) =>
      baton.api('PUT', '/api/admin/programs/new-one', { as: ADMIN, body: { name: 'New', category: 'Specialized', steps } });
    const unknown = await save([{ sequence: 1, partnerId: 'coursera', courseId: 'x' }]);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'UNKNOWN_PARTNER']);
    const duplicate = await save([
      { sequence: 1, partnerId: 'jri', courseId: 'x' },
      { sequence: 2, partnerId: 'jri', courseId: 'x' },
    ]);
    expect([duplicate.status, duplicate.body.error.message]).toEqual([400, 'program new-one step 2: duplicate course jri/x']);
    const empty = await save([]);
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('no steps');
  });
});

describe('search and authorization', () => {
  it('finds enrollments by any part of the student email or name, in any case', async () => {
    await baton.enroll({ studentEmail: 'grace.hopper@example.org', studentName: 'Grace Hopper', programId: 'cybersecurity' });
    const byEmail = await baton.api('GET', '/api/admin/enrollments?q=grace.hop', { as: ADMIN });
    expect(byEmail.body.enrollments.map((e: any) => e.studentName)).toEqual(['Grace Hopper']);
    const byName = await baton.api('GET', '/api/admin/enrollments?q=grace', { as: ADMIN });
    expect(byName.body.enrollments.map((e: any) => e.programId)).toEqual(['cybersecurity']);
    const inside = await baton.api('GET', '/api/admin/enrollments?q=PPER@EXAMPLE', { as: ADMIN });
    expect(inside.body.enrollments.map((e: any) => e.studentName)).toEqual(['Grace Hopper']);
    const lastName = await baton.api('GET', '/api/admin/enrollments?q=hopper', { as: ADMIN });
    expect(lastName.body.enrollments.map((e: any) => e.studentEmail)).toEqual(['grace.hopper@example.org']);
  });

  it('keeps students out of admin routes (403) and other students’ enrollments (404)', async () => {
    const enrollment = await baton.enroll({ studentEmail: 'owner@example.org', programId: 'barber' });
    expect((await baton.api('GET', '/api/admin/pipeline', { as: 'owner@example.org' })).status).toBe(403);
    expect((await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: 'someone-else@example.org' })).status).toBe(404);
    expect((await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: 'owner@example.org' })).status).toBe(200);
    expect((await baton.api('GET', `/api/enrollments/${enrollment.id}`)).status).toBe(401);
  });
});
