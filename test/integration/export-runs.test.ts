// An export over several runs of the worker (as a 100,000-row export runs on AWS): each run writes
// slices and stops when its time is up, the next continues from the recorded cursor, and the file
// equals the one a single run writes. A redelivered run working beside another one writes no row
// twice (its slice is never recorded), and the progress is visible between runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessOf } from '../../functions/access.js';
import { runQueuedExport } from '../../functions/handlers/run-export.js';
import type { RunOutcome } from '../../functions/use-cases/exports.js';
import type { Ports } from '../../functions/wiring.js';
import { runAs } from '../../local/iam.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
/** Exports the API queued: the tests run them, one run at a time. */
const queued: string[] = [];

beforeAll(async () => {
  baton = await startTestBaton({ decorate: () => ({ exportQueue: { enqueue: async (exportId) => void queued.push(exportId) } }) });
  // Programs of two and three steps, so slices differ in their step columns.
  await baton.enroll({
    studentEmail: 'ada@example.org',
    studentName: 'Ada',
    programId: 'medical-assistant',
    partnerAccounts: { hsi: 'HSI-ADA' },
  });
  for (const name of ['ben', 'cy', 'dee']) await baton.enroll({ studentEmail: `${name}@example.org`, studentName: name, programId: 'cna' });
  await baton.complete('hsi', { studentId: 'HSI-ADA', courseId: 'bls-cpr-aed', score: 88 });
  await baton.drain();
});
afterAll(() => baton?.stop());

/** True for the first `slices` checks: a run that has time for that many slices. */
const timeFor = (slices: number) => {
  let left = slices;
  return () => left-- > 0;
};

const run = (exportId: string, timeLeft: () => boolean, ports: Ports = baton.ports): Promise<RunOutcome> =>
  runAs('run-export', accessOf('run-export'), () => runQueuedExport(ports, exportId, timeLeft, { sliceRows: 1 }));

async function started(): Promise<string> {
  const answer = await baton.api('POST', '/api/admin/exports', { as: ADMIN, body: { kind: 'enrollments', filters: {} } });
  expect(answer.status).toBe(202);
  expect(queued.pop()).toBe(answer.body.exportId);
  return answer.body.exportId as string;
}

async function file(exportId: string): Promise<string> {
  const job = await baton.api('GET', `/api/admin/exports/${exportId}`, { as: ADMIN });
  expect(job.body).toMatchObject({ status: 'completed', rows: 4 });
  return (await fetch(job.body.downloadUrl)).text();
}

describe('an export over several runs', () => {
  it('continues from where each run stopped, shows its progress, and writes the file one run writes', async () => {
    const single = await started();
    expect(await run(single, () => true)).toBe('completed');
    const whole = await file(single);
    expect(whole.split('\r\n').filter(Boolean)).toHaveLength(5);
    // Newest first: the three-step program's row is the last slice, and the header (and the earlier two-step rows) have its columns.
    const lines = whole.split('\r\n');
    expect(lines[0]).toContain('"step3_partner"');
    expect(lines.slice(0, 5).map((line) => line.split(',').length)).toEqual(Array(5).fill(lines[0]!.split(',').length));
    expect(lines[4]).toContain('"ada@example.org"');

    const multi = await started();
    const outcomes: RunOutcome[] = [];
    const progress: unknown[] = [];
    for (let i = 0; i < 10 && outcomes.at(-1) !== 'completed'; i++) {
      outcomes.push(await run(multi, timeFor(1)));
      const view = (await baton.api('GET', `/api/admin/exports/${multi}`, { as: ADMIN })).body;
      progress.push([view.status, view.rows]);
      if (outcomes.at(-1) === 'continued') expect(queued.pop()).toBe(multi);
    }
    // One slice (one row) per run, then a run that only assembles the file.
    expect(outcomes).toEqual(['continued', 'continued', 'continued', 'continued', 'completed']);
    expect(progress).toEqual([
      ['running', 1],
      ['running', 2],
      ['running', 3],
      ['running', 4],
      ['completed', 4],
    ]);
    expect(queued).toEqual([]);
    expect(await file(multi)).toBe(whole);
    const job = (await baton.ports.exports.getJob(multi))!;
    expect([job.runs, job.parts.length]).toEqual([5, 4]);
  });

  it('writes no slice twice when a redelivered run works beside another', async () => {
    const single = await started();
    await run(single, () => true);
    const whole = await file(single);

    const exportId = await started();
    expect(await run(exportId, timeFor(1))).toBe('continued');
    queued.length = 0;
    // The redelivered run reads the job and builds the next slice; before it records the slice, the
    // other run (the next message) writes that same slice and records it.
    let other: Promise<RunOutcome> | undefined;
    const redelivered: Ports = {
      ...baton.ports,
      exportFiles: {
        ...baton.ports.exportFiles,
        read: (key) => baton.ports.exportFiles.read(key),
        assemble: (key, pieces) => baton.ports.exportFiles.assemble(key, pieces),
        downloadUrl: (key, name) => baton.ports.exportFiles.downloadUrl(key, name),
        put: async (key, body) => {
          other ??= run(exportId, timeFor(1));
          await other;
          return baton.ports.exportFiles.put(key, body);
        },
      },
    };
    expect(await run(exportId, () => true, redelivered)).toBe('skipped');
    expect(await other).toBe('continued');
    const between = (await baton.ports.exports.getJob(exportId))!;
    expect([between.rows, between.parts.length]).toEqual([2, 2]);
    expect(await run(exportId, () => true)).toBe('completed');
    expect(await file(exportId)).toBe(whole);
  });
});
