// Background work stays bounded: enrolling a student re-applies only the waiting events its steps
// can use, reading one page per owner, and leaves the rest to the reconciler; the reconciler pages
// through what is due while its time lasts and carries on where it stopped on the next run.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RECONCILE, reconcile } from '../../functions/use-cases/reconcile.js';
import { WAITING_PAGE_SIZE } from '../../functions/use-cases/waiting-events.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton | undefined;
afterEach(async () => {
  await baton?.stop();
  baton = undefined;
});

/** DynamoDB requests by operation, counted while `on` is set. */
function requestCounter() {
  const counts = { on: false, byOperation: {} as Record<string, number> };
  const attach = (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (counts.on) {
          const operation = String(context.commandName).replace(/Command$/, '');
          counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
        }
        return next(args);
      },
      { step: 'initialize', name: 'testRequestCounter' },
    );
  const during = async <T>(work: () => Promise<T>) => {
    counts.byOperation = {};
    counts.on = true;
    try {
      await work();
    } finally {
      counts.on = false;
    }
    return { ...counts.byOperation };
  };
  return { attach, during };
}

describe('enrolling a student many events are waiting for', () => {
  it('reads one page per owner, writes none of the events it cannot use, and leaves the rest to the reconciler, which applies what matches', async () => {
    const counter = requestCounter();
    baton = await startTestBaton({ instrument: { dynamoDbClient: counter.attach } });
    const waiting = 3 * WAITING_PAGE_SIZE;
    // Events for courses the program does not have, and, last, the one its first step can use.
    for (let n = 0; n < waiting; n++) {
      const sent = await baton.complete('jri', { studentId: 'JRI-FLOOD', email: 'flood@example.org', courseId: `not-in-the-program-${n}` });
      expect(sent.body.status).toBe('unmatched');
    }
    await baton.complete('hsi', { studentId: 'HSI-FLOOD', email: 'flood@example.org', courseId: 'bls-cpr-aed' });

    const enroll = (email: string) =>
      baton!.api('POST', '/api/enrollments', { as: ADMIN, body: { studentEmail: email, programId: 'medical-assistant' } });
    const quiet = await counter.during(() => enroll('quiet@example.org'));
    let flooded!: { status: number; body: any };
    const busy = await counter.during(async () => (flooded = await enroll('flood@example.org')));
    await baton.drain();

    // The same requests as an enrollment nobody waits for: no event was read past its page or written.
    expect(flooded.status).toBe(201);
    expect(busy).toEqual({ ...quiet, PutItem: (quiet.PutItem ?? 0) + 1 }); // + the student's place in the reconciler's queue
    const queued = (await baton.items()).filter((i) => i.entity === 'reapplyQueued');
    expect(queued.map((i) => i.studentId)).toEqual([flooded.body.studentId]);
    // The usable event was on a later page: not applied yet, and not lost.
    expect((await baton.enrollment(flooded.body.id)).steps[0].status).toBe('in_progress');

    const first = await baton.reconcile();
    await baton.drain();
    expect(first).toMatchObject({ reappliedStudents: 1, finished: true });
    expect((await baton.enrollment(flooded.body.id)).steps[0].status).toBe('completed');
    expect((await baton.items()).filter((i) => i.entity === 'reapplyQueued')).toEqual([]);
    // The events nothing can use still wait for an admin, untouched.
    const inbox = (await baton.api('GET', '/api/admin/unmatched-events?limit=100', { as: ADMIN })).body.events;
    expect(inbox.filter((e: any) => e.externalId === 'JRI-FLOOD')).toHaveLength(waiting);
    expect(await baton.reconcile()).toMatchObject({ reappliedStudents: 0 });
  });
});

describe('the reconciler', () => {
  it('stops when its time is up, saving where it was, and carries on from there on the next run', async () => {
    let startsFail = true;
    baton = await startTestBaton({
      reconcileGraceSeconds: 0,
      decorate: (ports) => ({
        workflow: {
          start: async (id, trigger) => {
            if (startsFail) throw new Error('injected: StartExecution unavailable');
            return ports.workflow.start(id, trigger);
          },
        },
      }),
    });
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await baton.enroll({ studentEmail: `overdue${n}@example.org`, programId: 'cdl' })).id);
    startsFail = false;
    const restarted: string[] = [];
    const ports = {
      ...baton.ports,
      workflow: { start: async (id: string) => void restarted.push(id) },
    };
    /** Time for `n` more pages, then none. */
    const timeFor = (n: number) => () => n-- > 0;

    const first = await reconcile(ports, { ...DEFAULT_RECONCILE, graceSeconds: 0, pageSize: 2, timeLeft: timeFor(1) });
    expect(first).toMatchObject({ overdue: 2, restarted: 2, finished: false });
    const second = await reconcile(ports, { ...DEFAULT_RECONCILE, graceSeconds: 0, pageSize: 2, timeLeft: timeFor(100) });
    expect(second).toMatchObject({ overdue: 3, restarted: 3, finished: true });
    // Oldest first, each once: the second run went on after the first's last page.
    expect(restarted).toEqual(ids);
  });
});
