// Local time control: POST /api/dev/clock moves local mode's clock forward for everything
// time-based (the handlers' timestamps, the stuck threshold, the workflow, local tokens) and runs
// every scheduled job once before it answers; GET /api/dev/clock tells the time.
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys.js';
import type { WorkflowStarter } from '../../functions/use-cases/ports/services.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

const DAY_MS = 24 * 3600 * 1000;
/** The base clock stands still, so every time below is exact: local mode's clock is it plus the moves. */
const BASE = Date.parse('2026-10-05T09:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();

let baton: TestBaton | undefined;
afterEach(async () => {
  await baton?.stop();
  baton = undefined;
});

const start = (options: Parameters<typeof startTestBaton>[0] = {}) =>
  startTestBaton({ clock: { now: () => new Date(BASE) }, reconcileGraceSeconds: 60, ...options });

/** The clock route as a local tool calls it: JSON, to the loopback address local mode listens on. */
const move = (b: TestBaton, body: unknown) =>
  b.api('POST', '/api/dev/clock', {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

const readClock = (b: TestBaton) => b.api('GET', '/api/dev/clock', { headers: { 'content-type': 'application/json' } });

describe('GET and POST /api/dev/clock', () => {
  it('tells the time, moves it forward (fractions of days too), and keeps the moved time', async () => {
    baton = await start();
    expect((await readClock(baton)).body).toEqual({ now: at(BASE) });

    const moved = await move(baton, { advanceDays: 8 });
    expect([moved.status, moved.body]).toEqual([200, { now: at(BASE + 8 * DAY_MS) }]);
    expect((await move(baton, { advanceDays: 0.5 })).body).toEqual({ now: at(BASE + 8.5 * DAY_MS) });

    expect((await readClock(baton)).body).toEqual({ now: at(BASE + 8.5 * DAY_MS) });
    expect(baton.clock.now().toISOString()).toBe(at(BASE + 8.5 * DAY_MS));
  });

  it('refuses to move backwards, and any other bad move, with a 400 naming the problem, and leaves the clock alone', async () => {
    baton = await start();
    const refused: Array<[unknown, RegExp]> = [
      [{ advanceDays: -1 }, /advanceDays is negative: the clock only moves forward/],
      [{ advanceDays: 0 }, /advanceDays must be more than 0/],
      [{ advanceDays: '8' }, /advanceDays must be a number/],
      [{ advanceDays: null }, /advanceDays must be a number/],
      [{ days: 8 }, /advanceDays is required/],
      [[8], /advanceDays is required/],
      ['', /advanceDays is required/],
      [{ advanceDays: 3650.5 }, /advanceDays is at most 3650/],
      ['{"advanceDays": 1e400}', /advanceDays must be a finite number/],
    ];
    for (const [body, message] of refused) {
      const response = await move(baton, body);
      expect([response.status, response.body.error?.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
      expect(response.body.error.message).toMatch(message);
    }
    const notJson = await move(baton, '{"advanceDays": ');
    expect([notJson.status, notJson.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);

    expect((await readClock(baton)).body).toEqual({ now: at(BASE) });
    expect((await move(baton, { advanceDays: 3650 })).body).toEqual({ now: at(BASE + 3650 * DAY_MS) });
  });
});

describe('after a move', () => {
  it('an in-progress step shows as stuck once the clock has moved past the threshold', async () => {
    baton = await start();
    const enrollment = await baton.enroll({ studentEmail: 'slow@example.org', studentName: 'Sam Slow', programId: 'cdl' });
    const stuck = async () =>
      (await baton!.api('GET', '/api/admin/pipeline?stuckDays=7', { as: ADMIN })).body.stuck.filter(
        (s: any) => s.enrollmentId === enrollment.id,
      );
    expect(await stuck()).toEqual([]);

    await move(baton, { advanceDays: 8 });
    expect(await stuck()).toEqual([
      expect.objectContaining({ studentName: 'Sam Slow', partnerId: 'jri', startedAt: at(BASE), daysStuck: 8 }),
    ]);
  });

  it('writes every timestamp on the moved clock: the enrollment, its steps, the workflow run, the certificate and the email', async () => {
    baton = await start();
    await move(baton, { advanceDays: 30 });
    const later = at(BASE + 30 * DAY_MS);

    const created = await baton.enroll({ studentEmail: 'later@example.org', programId: 'cdl', partnerAccounts: { jri: 'JRI-LATER' } });
    expect(created.createdAt).toBe(later);
    await baton.complete('jri', { studentId: 'JRI-LATER', courseId: 'cdl-entry-level-driver', completedAt: later });
    const view = await baton.enrollment(created.id);
    expect(view.status).toBe('completed');
    expect(view.completedAt).toBe(later);
    expect(view.steps[0]).toMatchObject({ startedAt: later, completedAt: later });
    expect(view.timeline.map((t: any) => t.at)).toEqual(view.timeline.map(() => later));
    const runs = [...baton.runner.executions.values()].filter((e) => e.enrollmentId === created.id);
    expect(runs.map((r) => r.startedAt)).toEqual(runs.map(() => later));
    const certificate = (await baton.items()).find((i) => i.entity === 'certificate' && i.enrollmentId === created.id);
    expect(certificate).toMatchObject({ issuedAt: later });
    for (const email of baton.outbox()) expect(Date.parse(/^Date: (.+)\r$/m.exec(email)![1]!)).toBe(BASE + 30 * DAY_MS);
  });

  it('runs the reconciler at once: an advance whose workflow never started goes ahead before the move is answered', async () => {
    let startsFail = false;
    baton = await start({
      decorate: (ports) => ({
        workflow: {
          start: async (enrollmentId, trigger) => {
            if (startsFail) throw new Error('injected: StartExecution unavailable');
            return ports.workflow.start(enrollmentId, trigger);
          },
        } satisfies WorkflowStarter,
      }),
    });
    const enrollment = await baton.enroll({
      studentEmail: 'pending@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-PENDING' },
    });
    startsFail = true;
    expect((await baton.complete('hsi', { studentId: 'HSI-PENDING', courseId: 'bls-cpr-aed' })).body).toEqual({ status: 'applied' });
    const statuses = async () =>
      (await baton!.api('GET', `/api/enrollments/${enrollment.id}`, { as: ADMIN })).body.steps.map((s: any) => s.status);
    await baton.drain();
    expect(await statuses()).toEqual(['completed', 'pending', 'pending']);
    startsFail = false;

    // No reconcile() by hand and no drain: the move ran the reconciler and waited for the run it started.
    await move(baton, { advanceDays: 1 });
    expect(await statuses()).toEqual(['completed', 'in_progress', 'pending']);
    const stored = (await baton.items()).find((i) => i.pk === keys.enrollment(enrollment.id).pk && i.sk === 'ENROLLMENT');
    expect(stored).not.toHaveProperty('advanceRequestedAt');
    expect([...baton.runner.executions.values()].map((e) => e.name)).toContainEqual(expect.stringMatching(/-reconcile-/));
  });

  it('verifies tokens on the same clock: one issued after the move works; one issued before a move past its 12 hours has expired', async () => {
    baton = await start();
    const before = await baton.auth.issue(ADMIN);
    const asAdmin = (token: string) => baton!.api('GET', '/api/admin/pipeline', { headers: { authorization: `Bearer ${token}` } });
    expect((await asAdmin(before.token)).status).toBe(200);

    await move(baton, { advanceDays: 0.25 }); // 6 hours: still inside the token's 12
    expect((await asAdmin(before.token)).status).toBe(200);

    await move(baton, { advanceDays: 1 });
    const expired = await asAdmin(before.token);
    expect([expired.status, expired.body]).toEqual([401, { message: 'Unauthorized' }]);
    expect(expired.headers.get('www-authenticate')).toMatch(/exp. claim timestamp check failed/);

    const after = await baton.auth.issue(ADMIN);
    expect(after.expiresAt).toBe(at(BASE + 1.25 * DAY_MS + 12 * 3600 * 1000));
    expect((await asAdmin(after.token)).status).toBe(200);
    // The site signs in again the same way (POST /api/dev/token), and gets a token on the moved clock.
    const signIn = await baton.api('POST', '/api/dev/token', { body: { email: ADMIN } });
    expect((await asAdmin(signIn.body.token)).status).toBe(200);
  });

  it('runSchedules() runs every registered job once, and reports a failing one without throwing', async () => {
    baton = await start();
    const ran: string[] = [];
    baton.schedules.register('sweep-ok', 0, async () => ran.push('ok'));
    baton.schedules.register('sweep-broken', 0, async () => {
      throw new Error('injected: sweep failed');
    });
    const outcomes = await baton.runSchedules();
    expect(outcomes).toEqual([
      {
        name: 'reconcile',
        ok: true,
        result: { overdue: 0, restarted: 0, failedToStart: 0, reappliedStudents: 0, lateMatches: 0, finished: true },
      },
      // Issue #12's expiry reminders, registered by local mode beside the reconciler.
      { name: 'certificate-reminders', ok: true, result: { checked: 0, sent: 0, skipped: 0, failed: 0, outcomeUnknown: 0 } },
      {
        name: 'reminder-sweep',
        ok: true,
        result: { enrollments: 0, welcomes: 0, reminders: 0, skipped: 0, overdue: 0, unknown: 0, failed: 0, finished: true },
      },
      { name: 'sweep-events', ok: true, result: { relayed: 0, queued: 0 } },
      { name: 'sweep-ok', ok: true, result: 1 },
      { name: 'sweep-broken', ok: false, error: 'Error: injected: sweep failed' },
    ]);
    // A move runs them too, and still answers with the time.
    const moved = await move(baton, { advanceDays: 1 });
    expect([moved.status, moved.body]).toEqual([200, { now: at(BASE + DAY_MS) }]);
    expect(ran).toEqual(['ok', 'ok']);
  });
});
