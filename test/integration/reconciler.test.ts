// The reconciler on its own: one enrollment it cannot restart does not block the others, and an
// event that crossed its enrollment while DynamoDB's indexes lagged is applied on the next run.
import { afterEach, describe, expect, it } from 'vitest';
import { withEnrollments } from '../support/stores.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton | undefined;
afterEach(async () => {
  await baton?.stop();
  baton = undefined;
});

const stepStatuses = async (b: TestBaton, id: string) => (await b.enrollment(id)).steps.map((s: { status: string }) => s.status);

describe('reconciler', () => {
  it('restarts every overdue enrollment even when one of them fails', async () => {
    let now = Date.parse('2026-11-03T10:00:00Z');
    let startsFail = true;
    let poisoned = '';
    baton = await startTestBaton({
      clock: { now: () => new Date(now) },
      reconcileGraceSeconds: 60,
      decorate: (ports) => ({
        workflow: {
          start: async (id, trigger) => {
            if (startsFail) throw new Error('injected: StartExecution unavailable');
            return ports.workflow.start(id, trigger);
          },
        },
        enrollments: withEnrollments(ports.enrollments, {
          load: async (id) => {
            if (id === poisoned) throw new Error('injected: this enrollment cannot be read');
            return ports.enrollments.load(id);
          },
        }),
      }),
    });
    const first = await baton.enroll({ studentEmail: 'first@example.org', programId: 'cdl' });
    const second = await baton.enroll({ studentEmail: 'second@example.org', programId: 'cdl' });
    poisoned = first.id;
    startsFail = false;
    now += 61_000;
    // The oldest request (first) fails on every run; the second is restarted all the same.
    expect(await baton.reconcile()).toEqual({
      overdue: 2,
      restarted: 1,
      failedToStart: 1,
      reappliedStudents: 0,
      lateMatches: 0,
      finished: true,
    });
    poisoned = '';
    await baton.drain();
    expect((await baton.items()).find((i) => i.entity === 'enrollment' && i.id === second.id)?.advanceRequestedAt).toBeUndefined();
  });

  it('applies an event that crossed its enrollment while the index lagged, on the next run', async () => {
    let indexLagging = false;
    baton = await startTestBaton({
      decorate: (ports) => ({
        // An index that has not caught up yet: the student's steps are not visible through it.
        enrollments: withEnrollments(ports.enrollments, {
          findForCourse: async (...args) => (indexLagging ? [] : ports.enrollments.findForCourse(...args)),
        }),
      }),
    });
    const enrollment = await baton.enroll({
      studentEmail: 'lag@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-LAG' },
    });
    indexLagging = true;
    expect((await baton.complete('hsi', { studentId: 'HSI-LAG', courseId: 'bls-cpr-aed' })).body).toEqual({ status: 'unmatched' });
    expect(await stepStatuses(baton, enrollment.id)).toEqual(['in_progress', 'pending', 'pending']);

    indexLagging = false;
    expect(await baton.reconcile()).toMatchObject({ lateMatches: 1 });
    expect(await stepStatuses(baton, enrollment.id)).toEqual(['completed', 'in_progress', 'pending']);
    expect((await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN })).body.events).toEqual([]);
    // Nothing left to do: the next run applies nothing twice.
    expect(await baton.reconcile()).toMatchObject({ lateMatches: 0 });
  });
});
