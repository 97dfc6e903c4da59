// The published figures of the reliability suite (docs/reliability.md). Each scenario's test
// measures what happened and calls recordFigure(): the measured line must equal the one in the
// committed doc (so the doc cannot go stale), and when the test passes otherwise the result is
// written to .test-artifacts/reliability/ so `npm run docs:reliability` can regenerate the doc
// after a behaviour change (a failing run never becomes the published figure). Only the "Measured" line is compared; "Last run" (wall time, seeds,
// distributions) is informational and never asserted.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const DOC_PATH = join(REPO_ROOT, 'docs', 'reliability.md');
export const RESULTS_DIR = join(REPO_ROOT, '.test-artifacts', 'reliability');

export interface Scenario {
  id: string;
  section: string;
  title: string;
  /** How the scenario is tested, for the doc. */
  how: string;
  /** The test file that measures it (relative to the repository root). */
  file: string;
}

const DELIVERY = 'Delivery semantics';
const PROPERTIES = 'Property-based tests of the domain';
const SECURITY = 'Webhook security';
const AUTHZ = 'Authorization (OWASP API Top 10: BOLA, BFLA, mass assignment)';

const deliveryFile = 'test/reliability/delivery-semantics.test.ts';
const securityFile = 'test/reliability/webhook-security.test.ts';
const authzFile = 'test/reliability/authorization-matrix.test.ts';

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'duplicates-same-id',
    section: DELIVERY,
    title: 'The same signed delivery 50 times in parallel',
    how: 'One signed request (same `webhook-id`, same signature) posted 50 times at once. Step transitions are counted at the enrollment store’s port (committed saves only); the pipeline counters are read before and after.',
    file: deliveryFile,
  },
  {
    id: 'duplicates-new-ids',
    section: DELIVERY,
    title: 'The same completion under 50 different `webhook-id`s, and in both body formats',
    how: 'The same completion signed under 50 fresh `webhook-id`s posted at once, then the same completion again as an xAPI statement.',
    file: deliveryFile,
  },
  {
    id: 'late-redelivery',
    section: DELIVERY,
    title: 'Late redelivery of an applied event',
    how: 'An injected clock moves Baton 6 hours, 3 days and 31 days ahead. The event is redelivered with its original `webhook-id` and with a new one; at 31 days the dedupe record is first expired the way DynamoDB TTL would expire it (DynamoDB Local does not run TTL).',
    file: deliveryFile,
  },
  {
    id: 'out-of-order',
    section: DELIVERY,
    title: 'Out-of-order completions and a stale event after a newer one',
    how: 'Medical Assistant (HSI → Certiport → CareerSafe): step 3 completes first, then step 1, then step 2; an event for step 1 dated before the applied one arrives last.',
    file: deliveryFile,
  },
  {
    id: 'enroll-race',
    section: DELIVERY,
    title: 'A completion that arrives before or while its student is being enrolled',
    how: 'A partner\'s completion names a student\'s partner account and email before the student exists. It either waits in the unmatched inbox, or races the enrollment: the delivery store is wrapped so the webhook is held after deciding "unmatched", before storing the delivery (the enrollment’s look for waiting events then finds nothing) or just after it (the enrollment applies it, and the webhook’s own second look finds it applied by this very event). Each with the partner account given at enrollment and without it (email only).',
    file: deliveryFile,
  },
  {
    id: 'concurrent-steps',
    section: DELIVERY,
    title: 'Every step of an enrollment completed at the same moment',
    how: '10 Medical Assistant enrollments each receive their three partner completions simultaneously (30 requests in flight), which starts three competing workflow executions per enrollment.',
    file: deliveryFile,
  },
  {
    id: 'crash-before-workflow-start',
    section: DELIVERY,
    title: 'The workflow start fails after the DynamoDB write',
    how: "The workflow port is wrapped to throw on every start (enrollments and completions) for 5 enrollments, as if the process died between the write and `StartExecution`. Time is injected; the reconciler runs before and after its grace period, then an audit compares every enrollment's recorded state with what its workflow should have done.",
    file: deliveryFile,
  },
  {
    id: 'crash-after-write',
    section: DELIVERY,
    title: 'The function dies after the write, before answering',
    how: 'The enrollment store is wrapped so the first committed save throws afterwards (the partner sees a 5xx, as from a Lambda that died); the partner then retries the same delivery.',
    file: deliveryFile,
  },
  {
    id: 'crash-during-enrollment',
    section: DELIVERY,
    title: 'The function dies right after writing a new enrollment',
    how: "A partner's completion arrives before the student is enrolled (it waits in the unmatched inbox); then the enrollment is written and the function dies before starting the workflow or re-applying waiting events (the admin sees a 5xx and retries). Time is injected; the reconciler runs after its grace period.",
    file: deliveryFile,
  },
  {
    id: 'task-failures',
    section: DELIVERY,
    title: 'Certificate and email tasks failing transiently and permanently',
    how: 'The certificate store and the mailer are wrapped to fail twice (transient) or until an admin fixes them (permanent). The store fails the way S3 does: `ServiceUnavailable` (503, retried) or `AccessDenied` (403, not retried). The mailer fails the way SES refuses a message, definitely not sent: `EmailNotSent` named `Throttling` (retried) or `MessageRejected` (not retried). After a permanent failure the admin sees it on the pipeline and retries.',
    file: deliveryFile,
  },
  {
    id: 'email-claim-holder-died',
    section: DELIVERY,
    title: 'A run dies holding the email claim while another run wants to send',
    how: 'A run claims the completion email and dies without recording the result (no release); another run of the same enrollment reaches the email task. Time is injected to outlive the claim (5 minutes, longer than any execution), then the reconciler runs.',
    file: deliveryFile,
  },
  {
    id: 'email-outcome-unknown',
    section: DELIVERY,
    title: 'SES accepts the email but its answer is lost',
    how: 'The mailer is wrapped to deliver the message and then throw a timeout, as when SES accepted it and the connection dropped before the answer. SES `SendEmail` has no idempotency token, so any second send would be a second email: the SES client makes one attempt, the task keeps its claim and fails for good (a timeout is transient elsewhere, but not after a send), so Step Functions does not retry it. Time is injected; the reconciler runs after the claim lifetime (5 minutes).',
    file: deliveryFile,
  },
  {
    id: 'contention',
    section: DELIVERY,
    title: 'Transaction conflicts under a 32-way burst',
    how: "Every transition's transaction also updates a shared pipeline counter item, so on DynamoDB concurrent writers collide and the loser is cancelled with a `TransactionConflict` reason. DynamoDB Local serialises writes and hardly ever does this, so a fifth of all `TransactWriteItems` calls are cancelled at the SDK boundary exactly as DynamoDB cancels them, while 40 enrollments and their 120 completions run 32 at a time.",
    file: 'test/reliability/contention.test.ts',
  },
  {
    id: 'burst',
    section: DELIVERY,
    title: 'Burst: 1,000 enrollments and their completions',
    how: '`npm run test:burst` (also run by `.ci/run`): 1,000 Medical Assistant enrollments created through the API, then their 3,000 partner completions sent 32 at a time in shuffled order; after the workflows drain, the pipeline totals are compared with the truth recomputed from the step and enrollment records.',
    file: 'test/reliability/burst.burst.ts',
  },
  {
    id: 'import-burst',
    section: DELIVERY,
    title: 'Import burst: 500 enrollment rows under a low start limit',
    how: "`npm run test:burst`: a bulk-enrollment file of 500 rows (10 invalid, 10 repeating an earlier student) uploaded through the slot and applied with `importStartsPerSecond` at 10 (the worker runs at most two import steps at once, each paced at 5 a second), so the pacing bounds the run; the workflow port records every start's time and the test counts the most starts inside any one-second window.",
    file: 'test/reliability/import.burst.ts',
  },
  {
    id: 'property-domain',
    section: PROPERTIES,
    title: 'Random programs and event sequences against the domain rules',
    how: '`fast-check` generates valid programs (1–8 steps, shared sequences, optional steps, `passed` rules; checked by `validateProgram`) and sequences of partner events (duplicates, reorderings, unknown courses, insufficient results), admin waives and completions, an admin cancellation in about one run in four, and workflow runs, applied with the pure rules of `functions/domain`.',
    file: 'test/property/enrollment-model.test.ts',
  },
  {
    id: 'property-stack',
    section: PROPERTIES,
    title: 'Random programs and event sequences against local mode',
    how: 'Fewer runs of the same generators against the real stack: each random program is saved through the admin API, a student is enrolled in it and in a second program sharing a course, and the events are sent as signed webhooks in concurrent batches, with admin waives in between; in some runs an admin cancels one of the two enrollments, at the start or between batches.',
    file: 'test/property/enrollment-stack.test.ts',
  },
  {
    id: 'signature-cases',
    section: SECURITY,
    title: 'Standard Webhooks signature cases',
    how: 'Each case is signed (or mis-signed) with the `standardwebhooks` library and posted; a consistent scan of the table before and after each rejected request proves nothing was written.',
    file: securityFile,
  },
  {
    id: 'scheme-cases',
    section: SECURITY,
    title: 'Every configurable verification scheme',
    how: 'Partners are created through the admin API with each scheme (hex HMAC of the body; base64 HMAC of `{timestamp}.{body}` with a prefix; a prefixed token; a JWS body against a JWKS served on 127.0.0.1, its keys rotated mid-test), two secrets each from the secrets route; each case is posted and a consistent scan of the table before and after each rejected request proves nothing was written.',
    file: 'test/reliability/webhook-schemes.test.ts',
  },
  {
    id: 'malformed-input',
    section: SECURITY,
    title: 'Malformed input',
    how: 'Correctly signed requests with broken bodies and headers; a consistent scan of the table before and after each proves nothing was written.',
    file: securityFile,
  },
  {
    id: 'secrets-not-logged',
    section: SECURITY,
    title: 'Nothing logged leaks a secret',
    how: 'The signature and malformed-input cases are replayed with the logger at DEBUG and stdout/stderr captured; the partner secrets, their decoded keys and the signatures sent must appear in no log line and in no stored item.',
    file: securityFile,
  },
  {
    id: 'webhook-fuzz',
    section: SECURITY,
    title: 'Fuzzing the webhook route',
    how: '`fast-check` generates bodies (arbitrary JSON and text, and near-valid completions and xAPI statements with hostile field values); each is signed and posted, 20 at a time.',
    file: 'test/reliability/webhook-fuzz.test.ts',
  },
  {
    id: 'authorization-matrix',
    section: AUTHZ,
    title: 'Every route × every kind of caller',
    how: "The matrix is generated from `ROUTES` in `functions/http/routes.ts`: every route is called as anonymous, student A, student B, admin, a viewer (read-only staff: `staff` routes answer it, `admin` routes `403`), a token signed with another key, an expired token and an `alg: none` token (plus a wrong-issuer and an HS256 key-confusion token), an admin access token of another app client, and the ID tokens of student A and of the admin (API Gateway's JWT authorizer lets an ID token of the app client through; the handler accepts only access tokens). The test fails if a route has no declared expectation; denied calls must leave the table unchanged.",
    file: authzFile,
  },
  {
    id: 'mass-assignment',
    section: AUTHZ,
    title: 'Mass assignment',
    how: 'Fields a caller must not set (`status`, `studentId`, `id`, `version`, `cognito:groups`, enrollment ids in webhook bodies, …) are sent to every route that takes a body or query.',
    file: authzFile,
  },
];

/** Bugs the suite found, with the scenario that shows each one and where it was fixed. */
const FINDINGS = [
  '**Steps completed together showed a false workflow failure to admins** (scenario "every step of an enrollment completed at the same moment"). Each completed step starts an execution; several reached the email task together and the ones that lost the email claim failed with `EmailOutcomeUnknown`, recorded on an enrollment whose email was being sent. Fixed in `functions/use-cases/workflow-tasks.ts`: a run that finds a live claim (younger than any execution can live) leaves the send to its holder; only an older claim is an unknown outcome.',
  '**A score DynamoDB cannot store answered 500, forever** (scenarios "malformed input" and "fuzzing"). `score: 1e200`, or an xAPI `result.score.raw` of 5.5e142, passed validation and failed the write, so the partner would retry a poison message indefinitely. Fixed in `functions/domain/partner-events.ts`: a score is 0 or between 1e-9 and 1e9 in magnitude, else a 400 naming the field.',
  '**A completion racing its student\'s enrollment stayed in the unmatched inbox** (scenario "a completion that arrives before or while its student is being enrolled"). The enrollment looked for waiting events before the webhook stored its delivery. Fixed in `functions/use-cases/apply-partner-event.ts`: after storing an unmatched delivery the webhook looks once more, so both sides write, then look.',
  '**An event naming a partner account and an email waited forever when the student was enrolled by email** (same scenario). It was indexed under the account only. Fixed in `functions/adapters/dynamodb/` (`keys.ts`, `delivery-items.ts`): a second item indexes it under the email while it is unmatched.',
  '**Transaction contention became false 409s and 500s** (scenario "transaction conflicts under a 32-way burst"). DynamoDB cancels transactions that collide on the shared counter items with `TransactionConflict`; creating an enrollment reported that as "already has an active enrollment" (409) or failed (500). Fixed then in the DynamoDB adapter (since the aggregate refactor: a transaction cancelled only for contention is decided again under the one retry policy, `functions/use-cases/retry.ts`, 8 attempts in all); "stale" means a condition failed.',
  '**A crash right after writing an enrollment left the events waiting for the student behind** (scenario "the function dies right after writing a new enrollment"). The reconciler restarted the workflow, but nothing re-applied them. Fixed in `functions/use-cases/enrollments.ts` (re-apply before starting the workflow) and `functions/use-cases/reconcile.ts` (re-apply for every overdue enrollment).',
];

const LIMITS = [
  'DynamoDB Local serialises writes, so it almost never produces the `TransactionConflict` cancellations DynamoDB produces under load; the contention scenario injects them at the SDK boundary. Single-item writes (`TransactionConflictException`) are not injected.',
  'Wall times are from local mode on a shared 2-core machine (DynamoDB Local in Java, workflows in-process), not from AWS; they are reported, never asserted.',
  "The Standard Webhooks timestamp window is checked against the system clock (the `standardwebhooks` library), not the injected clock, so late redeliveries are re-signed when sent, as a partner's retry would be.",
  "Events waiting for a student are found through a global secondary index, which DynamoDB updates asynchronously (typically well under a second). An enrollment created within that window of an event's arrival can still miss it; the event then stays in the admin inbox, visible rather than lost, for an admin to resolve.",
];

const MARKER = (id: string) => `<!-- scenario:${id} -->`;
const STALE = 'docs/reliability.md is stale';
const MEASURED = '**Measured:** ';
const LAST_RUN = '**Last run:** ';

export interface Figure {
  measured: string;
  lastRun?: string;
}

/**
 * Records a scenario's measured figure and checks the committed doc says the same. `measured`
 * must be deterministic (counts, statuses); `lastRun` may vary between runs (wall time, seeds).
 */
export function recordFigure(id: string, measured: string, lastRun?: string) {
  if (!SCENARIOS.some((s) => s.id === id)) throw new Error(`unknown scenario ${id}: add it to SCENARIOS`);
  const file = join(RESULTS_DIR, `${id}.json`);
  rmSync(file, { force: true });
  // Kept for `npm run docs:reliability` only if the test passed, apart from the doc being stale.
  onTestFinished(({ task }) => {
    if ((task.result?.errors ?? []).some((error) => !String(error.message).includes(STALE))) return;
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify({ id, measured, ...(lastRun ? { lastRun } : {}) }, null, 2));
  });
  const documented = parseDoc(readDoc())[id]?.measured;
  // Received: what the test measured; expected: what the committed doc says.
  expect.soft(measured, `${STALE} for "${id}": run the tests, then \`npm run docs:reliability\``).toBe(documented);
}

export function readDoc(): string {
  return existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : '';
}

/** The figures currently in the doc, by scenario id. */
export function parseDoc(doc: string): Record<string, Figure> {
  const figures: Record<string, Figure> = {};
  const blocks = doc.split(/^<!-- scenario:/m).slice(1);
  for (const block of blocks) {
    const id = block.slice(0, block.indexOf(' -->'));
    const line = (prefix: string) =>
      block
        .split('\n')
        .find((l) => l.startsWith(prefix))
        ?.slice(prefix.length);
    const measured = line(MEASURED);
    const lastRun = line(LAST_RUN);
    if (measured !== undefined) figures[id] = { measured, ...(lastRun ? { lastRun } : {}) };
  }
  return figures;
}

/** Figures written by the last test runs (burst included when it ran). */
export function readResults(): Record<string, Figure> {
  if (!existsSync(RESULTS_DIR)) return {};
  const results: Record<string, Figure> = {};
  for (const file of readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'))) {
    const { id, measured, lastRun } = JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as Figure & { id: string };
    results[id] = { measured, ...(lastRun ? { lastRun } : {}) };
  }
  return results;
}

export function renderDoc(figures: Record<string, Figure>): string {
  const lines = [
    '# Reliability and security figures',
    '',
    '<!-- Generated by `npm run docs:reliability` from test/reliability/support/figures.ts and the',
    "     last test run's results. Do not edit by hand: the tests compare every Measured line with",
    '     what they measure, and fail when this file is stale. -->',
    '',
    'What Baton promises partners, students and program staff, and the measurement behind each',
    'promise. Every scenario runs against local mode (the real handlers, DynamoDB Local and the',
    'same state machine file run by the local workflow runner) or against the pure domain rules.',
    'A **Measured** line is asserted by its test: if behaviour changes, the test fails until this',
    'file is regenerated. **Last run** lines (wall time, seeds, distributions) are informational.',
    '',
    'Webhook receiving follows what Stripe and Svix promise senders: a delivery is processed at most',
    'once per `webhook-id` and per completion, a duplicate or replay is answered 2xx (never 409 or',
    '5xx), every 4xx is final and writes nothing, and a 5xx only ever means "retry me".',
    '',
    'Run: `npm test` (everything but the burst), `npm run test:burst`, then',
    '`npm run docs:reliability` to regenerate this file after a behaviour change.',
  ];
  let section = '';
  SCENARIOS.forEach((scenario, i) => {
    if (scenario.section !== section) {
      section = scenario.section;
      lines.push('', `## ${section}`);
    }
    const figure = figures[scenario.id];
    lines.push(
      '',
      MARKER(scenario.id),
      `### ${i + 1}. ${scenario.title}`,
      '',
      `**How:** ${scenario.how} ([\`${scenario.file}\`](../${scenario.file}))`,
      '',
      `${MEASURED}${figure?.measured ?? '(not measured yet)'}`,
    );
    if (figure?.lastRun) lines.push('', `${LAST_RUN}${figure.lastRun}`);
  });
  lines.push('', '## What this suite found and fixed', '', ...FINDINGS.map((f, i) => `${i + 1}. ${f}`));
  lines.push('', '## Limits of these measurements', '', ...LIMITS.map((l) => `- ${l}`));
  return `${lines.join('\n')}\n`;
}
