// The import burst (npm run test:burst): a bulk-enrollment file of 500 rows (a few of them
// invalid, a few repeated), uploaded and applied like any import, with the workflow-start limit
// set low (10 a second; one import's steps get half, as two may run at once) so the pacing is
// what bounds the run. Every row must be accounted for
// once, every enrollment created must have its workflow started and finished, and no second
// holds more starts than the limit: counted over a sliding one-second window of the start times,
// which is a count, not a wall time. (`npm run bench` measures 50,000 rows; docs/benchmarks.md.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkflowStarter } from '../../functions/use-cases/ports/services.js';
import { peakInWindow } from '../../bench/scenarios/import-throughput.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { run, upload } from '../support/imports.js';
import { recordFigure } from './support/figures.js';

const ROWS = 500;
const STARTS_PER_SECOND = 10;
const starts: number[] = [];

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton({
    importStartsPerSecond: STARTS_PER_SECOND,
    keepFinishedExecutions: Infinity,
    decorate: (ports) => ({
      workflow: {
        start: (enrollmentId, trigger) => {
          starts.push(performance.now());
          return ports.workflow.start(enrollmentId, trigger);
        },
      } satisfies WorkflowStarter,
    }),
  });
});
afterAll(() => baton?.stop());

it(`imports ${ROWS} enrollment rows with every row accounted once and at most ${STARTS_PER_SECOND} workflow starts in any second`, async () => {
  const rows = Array.from({ length: ROWS }, (_, i) => {
    if (i % 50 === 7) return `not-an-email-${i},Row ${i},medical-assistant,`;
    // Every 50th row repeats the one before it: the same student, already enrolled (the 409 case).
    const n = i % 50 === 8 ? i - 2 : i;
    return `bulk${n}@example.org,Student ${n},Medical Assistant,HSI-K${n}`;
  });
  const file = ['email,name,program,hsi', ...rows].join('\r\n');
  const { importId, putStatus } = await upload(baton, { kind: 'enrollments', fileName: 'cohort.csv' }, file);
  expect(putStatus).toBe(200);
  starts.length = 0;
  const done = (await run(baton, importId, false)).body;

  const invalid = ROWS / 50;
  const repeated = ROWS / 50;
  const created = ROWS - invalid - repeated;
  const executions = [...baton.runner.executions.values()];
  const peak = peakInWindow(starts);
  recordFigure(
    'import-burst',
    `${ROWS} rows → ${done.rows.done} accounted (${JSON.stringify(done.outcomes)}); ${starts.length} workflow starts, ` +
      `${executions.filter((e) => e.status === 'SUCCEEDED').length} executions succeeded; at most ${STARTS_PER_SECOND} starts in any second: ${peak <= STARTS_PER_SECOND ? 'yes' : 'NO'}.`,
    `peak ${peak} starts in one second at a limit of ${STARTS_PER_SECOND}.`,
  );
  expect(done).toMatchObject({ status: 'done', rows: { total: ROWS, done: ROWS } });
  expect(done.outcomes).toEqual({ created, already_active: repeated, invalid });
  expect(starts).toHaveLength(created);
  expect(executions.filter((e) => e.status === 'SUCCEEDED')).toHaveLength(created);
  expect(peak).toBeLessThanOrEqual(STARTS_PER_SECOND);
  const active = (await baton.api('GET', '/api/admin/enrollments?status=active&limit=1', { as: ADMIN })).body;
  expect(active.enrollments).toHaveLength(1);
});
