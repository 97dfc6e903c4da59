// Fuzzing the webhook route with generated bodies (fast-check): whatever a sender posts, the
// answer is never a 5xx, and exactly the accepted deliveries are stored.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendWebhook, signWebhook } from '../../local/partner-webhook-client.js';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';
import { recordFigure } from './support/figures.js';
import { formatCounts, pool, statusCounts } from './support/probes.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
  await baton.enroll({ studentEmail: 'fuzz@example.org', programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-FUZZ' } });
});
afterAll(() => baton?.stop());

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 190, maxLength: 260 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '😀',
    'x'.repeat(10_000),
    '#',
    'DELIVERY#hsi#x',
    "' OR '1'='1",
    '{"$ne":null}',
    '../../etc/passwd',
    '<script>',
  ),
);
const anything = fc.oneof(hostile, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
const studentId = fc.oneof(fc.constantFrom('HSI-FUZZ', 'HSI-NOBODY'), fc.stringMatching(/^[\x21-\x7e]{1,40}$/), anything);
const courseId = fc.oneof(fc.constantFrom('bls-cpr-aed', 'mos-word', 'unknown-course'), anything);
const timestamp = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  anything,
);
const score = fc.oneof(fc.double(), fc.integer(), anything);
const native = fc.record(
  {
    event: fc.oneof(fc.constantFrom('course.completed', 'course.passed', 'course.started'), anything),
    student_id: studentId,
    course_id: courseId,
    email: fc.oneof(fc.emailAddress(), fc.constant('fuzz@example.org'), anything),
    completed_at: timestamp,
    score,
    extra: anything,
  },
  { requiredKeys: [] },
);
const verb = fc.oneof(
  fc.record({
    id: fc.constantFrom(
      'http://adlnet.gov/expapi/verbs/completed',
      'http://adlnet.gov/expapi/verbs/passed',
      'http://adlnet.gov/expapi/verbs/attempted',
    ),
  }),
  anything,
);
const xapi = fc.record(
  {
    actor: fc.oneof(
      fc.record(
        {
          account: fc.oneof(fc.record({ name: studentId }), anything),
          mbox: fc.oneof(
            fc.emailAddress().map((e) => `mailto:${e}`),
            anything,
          ),
        },
        { requiredKeys: [] },
      ),
      anything,
    ),
    verb,
    object: fc.oneof(
      fc.record({
        id: fc.oneof(
          fc.webUrl(),
          courseId.map((c) => `https://partner.example/courses/${typeof c === 'string' ? c : JSON.stringify(c)}`),
          anything,
        ),
      }),
      anything,
    ),
    result: fc.oneof(fc.record({ score: fc.record({ scaled: score, raw: score }, { requiredKeys: [] }) }), anything),
    timestamp,
  },
  { requiredKeys: ['actor', 'verb', 'object'] },
);
const bodies = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  native.map((o) => JSON.stringify(o)),
  xapi.map((o) => JSON.stringify(o)),
);
const request = fc.record({ body: bodies, id: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,250}$/), { nil: undefined }) });

it('never answers 5xx to thousands of generated bodies, and stores exactly the deliveries it accepted', async () => {
  const BATCH = 20;
  const RUNS = 100;
  const deliveries = async () => (await baton.items()).filter((i) => i.entity === 'delivery').length;
  const before = await deliveries();
  const answers: Array<{ status: number; id: string }> = [];
  const started = Date.now();
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const unexpected = (status: number) => status >= 500 || ![200, 400, 401, 413, 415].includes(status);
  await fc.assert(
    fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const responses = await pool(batch, BATCH, async ({ body, id }) => {
        const signed = signWebhook({ secret: baton.secrets.hsi![0]!, body, ...(id ? { id: `fuzz_${id}` } : {}) });
        return { ...(await sendWebhook(`${baton.url}/api/webhooks/partners/hsi`, signed)), id: signed.id };
      });
      answers.push(...responses);
      const bad = responses.findIndex((r) => unexpected(r.status));
      if (bad >= 0) throw new Error(`${responses[bad]!.status} ${JSON.stringify(responses[bad]!.body)} for ${JSON.stringify(batch[bad])}`);
    }),
    { numRuns: RUNS, seed, endOnFailure: true },
  );
  await baton.drain();
  // Generated ids may repeat: a repeated id is a duplicate delivery, stored once.
  const acceptedIds = new Set(answers.filter((a) => a.status === 200).map((a) => a.id));
  const stored = (await deliveries()) - before;
  recordFigure(
    'webhook-fuzz',
    `${(BATCH * RUNS).toLocaleString('en-US')} generated signed bodies, ${BATCH} concurrent → 0 × 5xx; every answer one of 200, 400, 401 (webhook-id over 200 characters), 413, 415; ` +
      `deliveries stored = distinct webhook-ids accepted.`,
    `seed ${seed}: ${formatCounts(statusCounts(answers))}; ${stored} stored; ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  expect(answers).toHaveLength(BATCH * RUNS);
  expect(answers.filter((a) => unexpected(a.status))).toEqual([]);
  expect(stored).toBe(acceptedIds.size);
});
