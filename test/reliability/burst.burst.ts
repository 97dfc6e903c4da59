// The burst (npm run test:burst): 1,000 enrollments created through the API, then their 3,000
// partner completions in shuffled order, 32 requests in flight at a time. Afterwards every
// enrollment must be completed with one certificate and one email, nothing may disagree, and the
// admin pipeline's totals must equal the truth recomputed from the step and enrollment records.
// Wall time is reported, never asserted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { recordFigure } from './support/figures.js';
import {
  auditEnrollments,
  formatCounts,
  pipelineTotals,
  plural,
  pool,
  recordTransitions,
  serverErrors,
  statusCounts,
  truthFromItems,
} from './support/probes.js';

const ENROLLMENTS = Number(process.env.BURST_ENROLLMENTS ?? 1000);
const CONCURRENCY = 32;
const STEPS = [
  { partnerId: 'hsi', courseId: 'bls-cpr-aed' },
  { partnerId: 'certiport', courseId: 'mos-word' },
  { partnerId: 'careersafe', courseId: 'osha-10-healthcare' },
] as const;

let baton: TestBaton;
const { log, decorate } = recordTransitions();
beforeAll(async () => {
  baton = await startTestBaton({ decorate, keepFinishedExecutions: Infinity });
});
afterAll(() => baton?.stop());

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

it(`completes ${ENROLLMENTS} enrollments whose completions arrive ${CONCURRENCY} at a time, with totals equal to the truth`, async () => {
  const started = Date.now();
  const students = Array.from({ length: ENROLLMENTS }, (_, i) => ({
    email: `burst${i}@example.org`,
    accounts: { hsi: `HSI-B${i}`, certiport: `CP-B${i}`, careersafe: `CS-B${i}` },
  }));
  const enrollments = await pool(students, CONCURRENCY, (s) =>
    baton.api('POST', '/api/enrollments', {
      as: ADMIN,
      body: { studentEmail: s.email, programId: 'medical-assistant', partnerAccounts: s.accounts },
    }),
  );
  const enrolledAt = Date.now();

  const completions = students.flatMap((s) => STEPS.map((step) => ({ ...step, studentId: s.accounts[step.partnerId] })));
  for (let i = completions.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [completions[i], completions[j]] = [completions[j]!, completions[i]!];
  }
  const answers = await pool(completions, CONCURRENCY, (c) =>
    baton.complete(c.partnerId, { studentId: c.studentId, courseId: c.courseId }),
  );
  const sentAt = Date.now();
  await baton.drain();
  const drainedAt = Date.now();

  const items = await baton.items();
  const ids = new Set(enrollments.map((e) => e.body?.id as string));
  const completed = items.filter((i) => i.entity === 'enrollment' && ids.has(i.id as string) && i.status === 'completed').length;
  const certificates = items.filter((i) => i.entity === 'certificate' && ids.has(i.enrollmentId as string)).length;
  const emails = baton.outbox().length;
  const problems = auditEnrollments(items);
  const truth = truthFromItems(items);
  const pipeline = await pipelineTotals(baton, ADMIN);
  const all = [...enrollments, ...answers];
  const executions = [...baton.runner.executions.values()];

  recordFigure(
    'burst',
    `${ENROLLMENTS.toLocaleString('en-US')} enrollments (${formatCounts(statusCounts(enrollments))}) and ${completions.length.toLocaleString('en-US')} completions ` +
      `(${formatCounts(statusCounts(answers))}), ${CONCURRENCY} in flight → ${serverErrors(all)} × 5xx; ${completed.toLocaleString('en-US')} enrollments completed, ` +
      `${certificates.toLocaleString('en-US')} certificates, ${emails.toLocaleString('en-US')} emails; ${plural(problems.length, 'disagreement')} in the audit; ` +
      `pipeline totals ${JSON.stringify(pipeline) === JSON.stringify(truth) ? 'equal' : 'DIFFER FROM'} the truth recomputed from the records.`,
    `${seconds(drainedAt - started)} wall time on this machine (enrollments ${seconds(enrolledAt - started)}, completions ${seconds(sentAt - enrolledAt)} ` +
      `= ${Math.round(completions.length / ((sentAt - enrolledAt) / 1000))}/s, draining the workflows ${seconds(drainedAt - sentAt)}); ` +
      `${executions.length.toLocaleString('en-US')} workflow executions (${executions.filter((e) => e.status === 'FAILED').length} failed); ` +
      `${log.conflicts.toLocaleString('en-US')} transaction conflicts re-decided; 0 errors of any kind expected, ${all.filter((r) => r.status >= 400).length} seen.`,
  );
  expect(serverErrors(all)).toBe(0);
  expect(statusCounts(enrollments)).toEqual({ 201: ENROLLMENTS });
  expect(statusCounts(answers)).toEqual({ 200: completions.length });
  expect(completed).toBe(ENROLLMENTS);
  expect(certificates).toBe(ENROLLMENTS);
  // One welcome email and one completion email per enrollment (issue 13), never a second of either.
  expect(baton.outbox().filter((m) => /^Subject: Congratulations/m.test(m))).toHaveLength(ENROLLMENTS);
  expect(emails).toBe(2 * ENROLLMENTS);
  expect(problems).toEqual([]);
  expect(pipeline).toEqual(truth);
});
