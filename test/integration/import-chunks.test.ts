// An import's chunks under SQS's delivery rules: a message may come twice (at the same time), and
// a chunk may be redelivered after it recorded its results but before the next chunk was queued.
// Every row is still accounted for exactly once, the chain never stops, and no row applies twice.
// And the advancement workflow's starts stay within the configured rate across chunks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportMessage } from '../../functions/use-cases/ports/imports.js';
import type { Ports } from '../../functions/wiring.js';
import { run, saveMapping, upload } from '../support/imports.js';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';

const MAPPING = { columns: { email: 'email', courseId: 'course', completedAt: 'date' } };
const rows = (n: number, from = 0) =>
  ['email,course,date', ...Array.from({ length: n }, (_, i) => `someone${from + i}@example.org,bls-cpr-aed,2026-01-0${1 + (i % 9)}`)].join(
    '\n',
  );
const key = (m: ImportMessage) => `${m.importId}/${m.run}/${m.step}/${m.step === 'chunk' ? m.index : ''}`;

describe('import chunks delivered twice', () => {
  let baton: TestBaton;
  const seen = new Set<string>();
  beforeAll(async () => {
    baton = await startTestBaton({
      // Every message comes twice, both copies at once (SQS's at-least-once delivery, at its worst).
      decorate: (ports: Ports) => ({
        importQueue: {
          enqueue: async (message) => {
            await ports.importQueue.enqueue(message);
            if (!seen.has(key(message))) {
              seen.add(key(message));
              await ports.importQueue.enqueue(message);
            }
          },
        },
      }),
    });
    await saveMapping(baton, 'hsi', MAPPING);
  });
  afterAll(() => baton?.stop());

  it('accounts for every row once and stores each delivery once', async () => {
    const ann = await baton.enroll({ studentEmail: 'someone7@example.org', programId: 'cna' });
    const { importId } = await upload(baton, { kind: 'completions', partnerId: 'hsi', fileName: 'r.csv' }, rows(1001));
    const result = (await run(baton, importId, false)).body;
    expect(result).toMatchObject({ status: 'done', rows: { total: 1001, done: 1001 } });
    expect(result.outcomes).toEqual({ applied: 1, duplicate: 0, unmatched: 1000, ignored: 0, invalid: 0 });
    const deliveries = (await baton.items()).filter((i) => String(i.pk).startsWith('DELIVERY#hsi#report-') && i.sk === 'DELIVERY');
    expect(deliveries).toHaveLength(1001);
    expect((await baton.enrollment(ann.id)).steps[0].status).toBe('completed');
    const report = await (await fetch(result.resultUrl)).text();
    expect(report.trim().split('\r\n')).toHaveLength(1002);
  }, 180_000);
});

describe('a chunk redelivered after its next message was lost', () => {
  let baton: TestBaton;
  let lost = false;
  beforeAll(async () => {
    baton = await startTestBaton({
      decorate: (ports: Ports) => ({
        importQueue: {
          enqueue: async (message) => {
            // Chunk 0 recorded its results and queued chunk 1, which is lost; SQS then redelivers chunk 0.
            if (!lost && message.step === 'chunk' && message.index === 1) {
              lost = true;
              return ports.importQueue.enqueue({ ...message, index: 0 });
            }
            return ports.importQueue.enqueue(message);
          },
        },
      }),
    });
    await saveMapping(baton, 'hsi', MAPPING);
  });
  afterAll(() => baton?.stop());

  it('queues the next chunk from the redelivery, and the run ends with every row', async () => {
    const { importId } = await upload(baton, { kind: 'completions', partnerId: 'hsi', fileName: 'r.csv' }, rows(1100));
    const result = (await run(baton, importId, false)).body;
    expect(lost).toBe(true);
    expect(result).toMatchObject({ status: 'done', rows: { total: 1100, done: 1100 } });
    expect(result.outcomes.unmatched).toBe(1100);
  }, 180_000);
});

describe('workflow starts of a bulk enrollment', () => {
  let baton: TestBaton;
  const starts: number[] = [];
  beforeAll(async () => {
    baton = await startTestBaton({
      importStartsPerSecond: 10,
      decorate: (ports: Ports) => ({
        workflow: {
          start: async (enrollmentId, trigger) => {
            // The import's own starts (each enrollment's first); the workflow's later ones are its tasks'.
            if (trigger === 'enrolled') starts.push(performance.now());
            return ports.workflow.start(enrollmentId, trigger);
          },
        },
      }),
    });
  });
  afterAll(() => baton?.stop());

  it('stay within the configured starts per second across chunks', async () => {
    const file = ['email,program', ...Array.from({ length: 35 }, (_, i) => `cohort${i}@example.org,cna`)].join('\n');
    const { importId } = await upload(baton, { kind: 'enrollments', fileName: 'cohort.csv' }, file);
    const result = (await run(baton, importId, false)).body;
    expect(result.outcomes).toEqual({ created: 35, already_active: 0, invalid: 0 });
    expect(starts).toHaveLength(35);
    expect(peakPerSecond(starts)).toBeLessThanOrEqual(10);
  });
});

/** The most starts in any one-second window. */
export function peakPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
