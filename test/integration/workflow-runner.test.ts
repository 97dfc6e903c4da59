// The local workflow runner behaves like the deployed workflow type: EXPRESS (the default deploy)
// starts an execution for every start, whatever its name; STANDARD runs a name once. Its records
// of finished executions are bounded, so a long `npm start` does not grow without limit.
import { afterEach, describe, expect, it } from 'vitest';
import { withEnrollments } from '../support/stores.js';
import { STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton | undefined;
afterEach(async () => {
  await baton?.stop();
  baton = undefined;
});

const runsOf = (b: TestBaton, enrollmentId: string) => [...b.runner.executions.values()].filter((e) => e.enrollmentId === enrollmentId);

describe('execution names', () => {
  it('EXPRESS is the default, as in the default deploy, and starts the same name again as a new execution with its own record', async () => {
    baton = await startTestBaton();
    const { id } = await baton.enroll({ studentEmail: STUDENT, programId: 'cdl' });
    await Promise.all([baton.ports.workflow.start(id, 'replay'), baton.ports.workflow.start(id, 'replay')]);
    await baton.drain();

    const replays = runsOf(baton, id).filter((r) => r.name === `${id}-replay`);
    expect(baton.runner.type).toBe('EXPRESS');
    expect(replays).toHaveLength(2);
    expect(new Set(replays.map((r) => r.id)).size).toBe(2);
    expect(replays.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('STANDARD runs a name once: a second start under it is the same execution', async () => {
    baton = await startTestBaton({ workflowType: 'STANDARD' });
    const { id } = await baton.enroll({ studentEmail: STUDENT, programId: 'cdl' });
    await Promise.all([baton.ports.workflow.start(id, 'replay'), baton.ports.workflow.start(id, 'replay')]);
    await baton.drain();

    expect(runsOf(baton, id).map((r) => [r.id, r.name])).toEqual([
      [`${id}-enrolled`, `${id}-enrolled`],
      [`${id}-replay`, `${id}-replay`],
    ]);
  });
});

describe('execution records', () => {
  it('keeps only the most recent finished ones beyond the cap', async () => {
    baton = await startTestBaton({ keepFinishedExecutions: 2 });
    const { id } = await baton.enroll({ studentEmail: STUDENT, programId: 'cdl' });
    for (const n of [1, 2, 3]) {
      await baton.ports.workflow.start(id, `replay-${n}`);
      await baton.drain();
    }
    expect([...baton.runner.executions.values()].map((r) => r.name)).toEqual([`${id}-replay-2`, `${id}-replay-3`]);
  });

  it('never drops a running execution, however many finish meanwhile', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let heldId = '';
    baton = await startTestBaton({
      keepFinishedExecutions: 1,
      decorate: (ports) => ({
        enrollments: withEnrollments(ports.enrollments, {
          load: async (enrollmentId) => {
            if (enrollmentId === heldId) await gate;
            return ports.enrollments.load(enrollmentId);
          },
        }),
      }),
    });
    const held = await baton.enroll({ studentEmail: 'held@example.org', programId: 'cdl' });
    const other = await baton.enroll({ studentEmail: STUDENT, programId: 'cdl' });
    heldId = held.id;
    await baton.ports.workflow.start(held.id, 'held');
    for (const n of [1, 2, 3]) await baton.ports.workflow.start(other.id, `quick-${n}`);
    await expect.poll(() => runsOf(baton!, other.id).map((r) => r.status)).toEqual(['SUCCEEDED']);

    expect([...baton.runner.executions.values()].map((r) => [r.name, r.status])).toEqual([
      [`${held.id}-held`, 'RUNNING'],
      [`${other.id}-quick-3`, 'SUCCEEDED'],
    ]);
    open();
    await baton.drain();
  });
});
