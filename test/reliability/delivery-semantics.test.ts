// Delivery semantics against local mode: duplicates under concurrency, redeliveries, out-of-order
// events, competing workflow executions, crashes between the write and the workflow, and failing
// workflow tasks. Each scenario publishes its measured figure in docs/reliability.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollmentStore } from '../../functions/use-cases/ports/enrollments.js';
import { EmailNotSent, type CertificateStore, type Mailer, type WorkflowStarter } from '../../functions/use-cases/ports/services.js';
import { transition } from '../../functions/use-cases/enrollment-transitions.js';
import type { Ports } from '../../functions/wiring.js';
import { completionBody, sendWebhook, signWebhook, xapiBody } from '../../local/partner-webhook-client.js';
import type { LocalBatonOptions } from '../../local/baton.js';
import { withDeliveries, withEnrollments } from '../support/stores.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { recordFigure } from './support/figures.js';
import {
  auditEnrollments,
  completions,
  afterSave,
  expireByTtl,
  formatCounts,
  formatOutcomes,
  pipelineTotals,
  plural,
  recordingEnrollments,
  recordTransitions,
  serverErrors,
  statusCounts,
  type TransitionLog,
} from './support/probes.js';

const MEDICAL_ASSISTANT = [
  { partnerId: 'hsi', courseId: 'bls-cpr-aed' },
  { partnerId: 'certiport', courseId: 'mos-word' },
  { partnerId: 'careersafe', courseId: 'osha-10-healthcare' },
] as const;

let students = 0;
/** A new student enrolled in Medical Assistant with an account at each of its partners. */
async function enrollMedicalAssistant(baton: TestBaton) {
  const n = ++students;
  const accounts = { hsi: `HSI-${n}`, certiport: `CP-${n}`, careersafe: `CS-${n}` };
  const enrollment = await baton.enroll({
    studentEmail: `student${n}@example.org`,
    programId: 'medical-assistant',
    partnerAccounts: accounts,
  });
  return { id: enrollment.id as string, email: `student${n}@example.org`, accounts };
}

const webhookUrl = (baton: TestBaton, partnerId: string) => `${baton.url}/api/webhooks/partners/${partnerId}`;

/**
 * Faults injected at the ports, switchable during a test: every workflow start fails (the process
 * died before StartExecution), or the function dies right after its next committed write.
 */
function faultyPorts(log: TransitionLog, faults: { failStarts: boolean; dieAfterNextCommit: boolean; dieAfterNextEnrollment: boolean }) {
  return (ports: Ports): Partial<Ports> => ({
    enrollments: dieAfterEnrollment(
      afterSave(recordingEnrollments(ports.enrollments, log), (_, result) => {
        if (result.ok && faults.dieAfterNextCommit) {
          faults.dieAfterNextCommit = false;
          throw new Error('injected: the function died after the write');
        }
      }),
      faults,
    ),
    workflow: {
      start: async (enrollmentId, trigger) => {
        if (faults.failStarts) throw new Error('injected: process died before StartExecution');
        return ports.workflow.start(enrollmentId, trigger);
      },
    } satisfies WorkflowStarter,
  });
}

/** The enrollment store, with the function dying right after its next new enrollment is written. */
function dieAfterEnrollment(store: EnrollmentStore, faults: { dieAfterNextEnrollment: boolean }): EnrollmentStore {
  return withEnrollments(store, {
    save: async (changes, extras) => {
      const result = await store.save(changes, extras);
      if (result.ok && changes.some((c) => c.before === undefined) && faults.dieAfterNextEnrollment) {
        faults.dieAfterNextEnrollment = false;
        throw new Error('injected: the function died after writing the enrollment');
      }
      return result;
    },
  });
}

/** A Baton for the enclosing describe, its committed transitions recorded; `extra` adds options (not `decorate`). */
function batonForDescribe(extra: () => Partial<LocalBatonOptions> = () => ({})) {
  const context = { log: { transitions: [], finished: [], conflicts: 0 } as TransitionLog, baton: undefined as unknown as TestBaton };
  beforeAll(async () => {
    context.baton = await startTestBaton({
      ...extra(),
      decorate: (ports) => ({ enrollments: recordingEnrollments(ports.enrollments, context.log) }),
    });
  });
  afterAll(() => context.baton?.stop());
  return context;
}

describe('duplicates', () => {
  const ctx = batonForDescribe();

  it('applies one signed delivery once when it arrives 50 times in parallel, and answers every copy 2xx', async () => {
    const student = await enrollMedicalAssistant(ctx.baton);
    const before = await pipelineTotals(ctx.baton, ADMIN);
    const signed = signWebhook({
      secret: ctx.baton.secrets.hsi![0]!,
      body: completionBody({ event: 'course.completed', studentId: student.accounts.hsi, courseId: 'bls-cpr-aed' }),
    });

    const responses = await Promise.all(Array.from({ length: 50 }, () => sendWebhook(webhookUrl(ctx.baton, 'hsi'), signed)));
    await ctx.baton.drain();

    const after = await pipelineTotals(ctx.baton, ADMIN);
    const moved = after.partners.hsi.completed - before.partners.hsi.completed;
    const transitions = completions(ctx.log, student.id);
    const deliveries = (await ctx.baton.items()).filter((i) => i.entity === 'delivery' && i.webhookId === signed.id);
    recordFigure(
      'duplicates-same-id',
      `50 parallel copies → ${formatCounts(statusCounts(responses))} (${formatOutcomes(responses)}), 0 × 409, 0 × 5xx; ` +
        `${plural(transitions.length, 'step transition')}; HSI completed counter +${moved}; ${plural(deliveries.length, 'delivery record')}.`,
    );
    expect(statusCounts(responses)).toEqual({ 200: 50 });
    expect(formatOutcomes(responses)).toBe('1 applied, 49 duplicate');
    expect(transitions).toHaveLength(1);
    expect(moved).toBe(1);
    expect(after.partners.hsi.in_progress - before.partners.hsi.in_progress).toBe(-1);
    expect(deliveries).toHaveLength(1);
  });

  it('applies the same completion once under 50 different webhook-ids and again as an xAPI statement', async () => {
    const student = await enrollMedicalAssistant(ctx.baton);
    const spec = { event: 'course.completed', studentId: student.accounts.hsi, courseId: 'bls-cpr-aed' } as const;
    const body = completionBody(spec);

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        sendWebhook(webhookUrl(ctx.baton, 'hsi'), signWebhook({ secret: ctx.baton.secrets.hsi![0]!, body })),
      ),
    );
    const xapi = await ctx.baton.webhook('hsi', xapiBody(spec));
    await ctx.baton.drain();

    const transitions = completions(ctx.log, student.id);
    const stored = (await ctx.baton.items()).filter((i) => i.entity === 'delivery' && (i.event as any).externalId === student.accounts.hsi);
    recordFigure(
      'duplicates-new-ids',
      `50 parallel deliveries with new ids → ${formatCounts(statusCounts(responses))} (${formatOutcomes(responses)}); ` +
        `the same completion as xAPI → ${xapi.status} ${xapi.body.status}; ${plural(transitions.length, 'step transition')}; ` +
        `every delivery stored for audit (${plural(stored.length, 'record')}).`,
    );
    expect(statusCounts(responses)).toEqual({ 200: 50 });
    expect(formatOutcomes(responses)).toBe('1 applied, 49 duplicate');
    expect(xapi).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(transitions).toHaveLength(1);
    expect(stored).toHaveLength(51);
  });
});

describe('late redelivery', () => {
  let now = Date.parse('2026-06-01T12:00:00Z');
  const ctx = batonForDescribe(() => ({ clock: { now: () => new Date(now) } }));

  it('never applies an event twice, hours or days later, with its old or a new webhook-id, after the dedupe record expired', async () => {
    const student = await enrollMedicalAssistant(ctx.baton);
    const body = completionBody({
      event: 'course.completed',
      studentId: student.accounts.hsi,
      courseId: 'bls-cpr-aed',
      completedAt: '2026-06-01T11:00:00Z',
    });
    const first = await ctx.baton.webhook('hsi', body, { id: 'msg_late_1' });
    expect(first.body).toEqual({ status: 'applied' });
    const applied = (await ctx.baton.enrollment(student.id)).steps[0];

    const HOUR = 3600_000;
    const redeliveries: Array<{ label: string; status: number; body: any }> = [];
    const redeliver = async (label: string, advanceMs: number, id: string) => {
      now += advanceMs;
      // A partner's retry is signed afresh when it is sent; Baton's own clock is the injected one.
      redeliveries.push({ label, ...(await ctx.baton.webhook('hsi', body, { id })) });
    };
    await redeliver('6 h, same id', 6 * HOUR, 'msg_late_1');
    await redeliver('3 d, same id', 66 * HOUR, 'msg_late_1');
    await redeliver('3 d, new id', 0, 'msg_late_2');
    now += 28 * 24 * HOUR;
    const expired = await expireByTtl(ctx.baton, new Date(now));
    await redeliver('31 d, same id, dedupe record expired', 0, 'msg_late_1');
    await ctx.baton.drain();

    const step = (await ctx.baton.enrollment(student.id)).steps[0];
    const transitions = completions(ctx.log, student.id);
    recordFigure(
      'late-redelivery',
      `${redeliveries.length} redeliveries (${redeliveries.map((r) => r.label).join('; ')}) → ` +
        `${formatCounts(statusCounts(redeliveries))} (${formatOutcomes(redeliveries)}); ` +
        `${plural(transitions.length - 1, 'further transition')}; the step keeps its first completion (${step.completedAt === applied.completedAt ? 'unchanged' : 'CHANGED'}).`,
    );
    expect(expired).toBeGreaterThan(0);
    expect(redeliveries.map((r) => [r.status, r.body.status])).toEqual(Array(4).fill([200, 'duplicate']));
    expect(transitions).toHaveLength(1);
    expect(step.completedAt).toBe(applied.completedAt);
    expect(step.resolution).toEqual(applied.resolution);
  });
});

describe('out-of-order events', () => {
  const ctx = batonForDescribe();

  it('reaches the right final state whatever the order, and records a stale event without regressing', async () => {
    const student = await enrollMedicalAssistant(ctx.baton);
    const send = (index: number, completedAt: string, id?: string) => {
      const { partnerId, courseId } = MEDICAL_ASSISTANT[index]!;
      return ctx.baton.complete(partnerId, { studentId: student.accounts[partnerId], courseId, completedAt }, id ? { id } : {});
    };
    const answers = [];
    answers.push(await send(2, '2026-03-03T10:00:00Z'));
    expect((await ctx.baton.enrollment(student.id)).steps.map((s: any) => s.status)).toEqual(['in_progress', 'pending', 'completed']);
    answers.push(await send(0, '2026-03-02T10:00:00Z', 'msg_newer'));
    answers.push(await send(1, '2026-03-04T10:00:00Z'));
    const stale = await send(0, '2026-03-01T10:00:00Z', 'msg_older');
    const final = await ctx.baton.enrollment(student.id);

    const staleRecord = (await ctx.baton.items()).find((i) => i.entity === 'delivery' && i.webhookId === 'msg_older');
    const transitions = ctx.log.transitions.filter((t) => t.enrollmentId === student.id);
    const leftDone = transitions.filter((t) => t.from === 'completed' || t.from === 'waived');
    const step3 = transitions.filter((t) => t.index === 2).map((t) => `${t.from}→${t.to}`);
    const certificates = (await ctx.baton.items()).filter((i) => i.entity === 'certificate' && i.enrollmentId === student.id);
    recordFigure(
      'out-of-order',
      `completions of steps 3, 1, 2 → ${formatOutcomes(answers)}; final steps ${final.steps.map((s: any) => s.status).join(', ')}, ` +
        `enrollment ${final.status}, ${plural(certificates.length, 'certificate')}; step 3 went ${step3.join(', ')} (never restarted); ` +
        `${plural(leftDone.length, 'transition')} out of completed; the older event → ${stale.status} ${stale.body.status}, stored as "${String(staleRecord?.reason)}", ` +
        `step 1 keeps the newer event (${final.steps[0].resolution.webhookId}).`,
    );
    expect(answers.map((a) => a.body.status)).toEqual(['applied', 'applied', 'applied']);
    expect(final.steps.map((s: any) => s.status)).toEqual(['completed', 'completed', 'completed']);
    expect(final.status).toBe('completed');
    expect(certificates).toHaveLength(1);
    expect(step3).toEqual(['pending→completed']);
    expect(leftDone).toEqual([]);
    expect(stale).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(staleRecord).toMatchObject({ outcome: 'duplicate', reason: 'already_completed' });
    expect(final.steps[0].resolution.webhookId).toBe('msg_newer');
  });
});

describe('an event that arrives before or while its student is being enrolled', () => {
  let baton: TestBaton;
  /**
   * While set, holds the webhook when it has decided "unmatched", before storing it or just after:
   * `reached` is called when it gets there, and it goes on when `release` settles (the enrollment
   * happens meanwhile).
   */
  let hold: { at: 'before-store' | 'after-store'; reached: () => void; release: Promise<void> } | undefined;
  const { log, decorate: record } = recordTransitions();
  beforeAll(async () => {
    baton = await startTestBaton({
      decorate: (ports) => ({
        ...record(ports),
        deliveries: withDeliveries(ports.deliveries, {
          put: async (delivery) => {
            const held = delivery.outcome === 'unmatched' ? hold : undefined;
            if (held?.at === 'before-store') {
              held.reached();
              await held.release;
            }
            const stored = await ports.deliveries.put(delivery);
            if (held?.at === 'after-store') {
              held.reached();
              await held.release;
            }
            return stored;
          },
        }),
      }),
    });
  });
  afterAll(() => baton?.stop());

  const outcomes: string[] = [];
  /** Sends a completion for a new student, enrolls them (with or without the partner account), and reports what happened. */
  async function enrollAround(label: string, options: { linkAccount: boolean; race: false | 'before-store' | 'after-store' }) {
    const n = ++students;
    const email = `around${n}@example.org`;
    const hsi = `HSI-AROUND-${n}`;
    let open: (() => void) | undefined;
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (reached = resolve));
    if (options.race) hold = { at: options.race, reached, release: new Promise((resolve) => (open = resolve)) };
    // The partner's event names the student's HSI account and email; no such student exists yet.
    const event = baton.complete('hsi', { studentId: hsi, email, courseId: 'bls-cpr-aed' });
    // Racing: the event is held after it was decided "unmatched", before it is stored, while the
    // enrollment (and its look for waiting events) happens. Otherwise it waits in the inbox.
    if (options.race) {
      const first = await Promise.race([held.then(() => 'held'), event.then(() => 'answered before it was stored as unmatched')]);
      expect(first, 'the event is held between "unmatched" and storing it').toBe('held');
    } else await event;
    const enrollment = await baton.enroll({
      studentEmail: email,
      programId: 'medical-assistant',
      ...(options.linkAccount ? { partnerAccounts: { hsi } } : {}),
    });
    open?.();
    const answer = await event;
    hold = undefined;
    const steps = (await baton.enrollment(enrollment.id)).steps.map((s: any) => s.status).join(', ');
    const inbox = (await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN })).body.events.filter(
      (e: any) => e.externalId === hsi,
    );
    outcomes.push(
      `${label}: answer ${answer.status} ${answer.body.status}, steps ${steps}, ${plural(completions(log, enrollment.id).length, 'transition')}, ${inbox.length} left in the inbox`,
    );
    expect(answer.status).toBe(200);
    // An event that waited was answered before the enrollment existed; one that raced it was
    // applied by whoever looked last (the enrollment, or the webhook once it was stored), and the
    // partner is told so.
    expect(answer.body.status).toBe(options.race ? 'applied' : 'unmatched');
    expect(steps).toBe('completed, in_progress, pending');
    expect(completions(log, enrollment.id)).toHaveLength(1);
    expect(inbox).toEqual([]);
  }

  it('applies an event that waited, when the student is enrolled with or without the partner account it names', async () => {
    await enrollAround('waited, enrolled with the account', { linkAccount: true, race: false });
    await enrollAround('waited, enrolled by email only', { linkAccount: false, race: false });
  });

  it('applies an event although the enrollment looked for waiting events before the event was stored', async () => {
    await enrollAround('raced, enrolled with the account', { linkAccount: true, race: 'before-store' });
    await enrollAround('raced, enrolled by email only', { linkAccount: false, race: 'before-store' });
  });

  it('answers "applied", not "duplicate", when the enrollment applied the event it raced after the event was stored', async () => {
    await enrollAround('raced after it was stored, enrolled with the account', { linkAccount: true, race: 'after-store' });
    await enrollAround('raced after it was stored, enrolled by email only', { linkAccount: false, race: 'after-store' });
    recordFigure('enroll-race', `${outcomes.join('; ')}.`);
  });
});

describe('competing workflow executions', () => {
  const ctx = batonForDescribe();

  it('completes an enrollment once, with one certificate and one email, when all its steps complete at the same moment', async () => {
    const enrolled: Array<Awaited<ReturnType<typeof enrollMedicalAssistant>>> = [];
    for (let i = 0; i < 10; i++) enrolled.push(await enrollMedicalAssistant(ctx.baton));

    const responses = await Promise.all(
      enrolled.flatMap((student) =>
        MEDICAL_ASSISTANT.map(({ partnerId, courseId }) =>
          ctx.baton.complete(partnerId, { studentId: student.accounts[partnerId], courseId }),
        ),
      ),
    );
    await ctx.baton.drain();

    const ids = new Set(enrolled.map((s) => s.id));
    const items = await ctx.baton.items();
    const certificates = items.filter((i) => i.entity === 'certificate' && ids.has(i.enrollmentId as string));
    const emails = ctx.baton
      .outbox()
      .filter((eml) => eml.includes('Subject: Congratulations') && enrolled.some((s) => eml.includes(s.email)));
    const finished = ctx.log.finished.filter((id) => ids.has(id));
    const problems = auditEnrollments(items).filter((p) => ids.has(p.enrollmentId));
    const failuresShown = (await ctx.baton.api('GET', '/api/admin/pipeline', { as: ADMIN })).body.failures.filter((f: any) =>
      ids.has(f.enrollmentId),
    );
    const executions = [...ctx.baton.runner.executions.values()].filter((e) => ids.has(e.enrollmentId));
    recordFigure(
      'concurrent-steps',
      `${responses.length} simultaneous completions → ${formatCounts(statusCounts(responses))} (${formatOutcomes(responses)}); ` +
        `${plural(finished.length, 'enrollment completion')} for 10 enrollments, ${plural(certificates.length, 'certificate')}, ${plural(emails.length, 'email')}; ` +
        `${plural(problems.length, 'disagreement')} in the audit, ${plural(failuresShown.length, 'workflow failure')} shown to admins.`,
      `${executions.length} workflow executions, ${executions.filter((e) => e.status === 'FAILED').length} failed; ${ctx.log.conflicts} transaction conflicts re-decided.`,
    );
    expect(serverErrors(responses)).toBe(0);
    expect(formatOutcomes(responses)).toBe('30 applied');
    expect(finished.sort()).toEqual([...ids].sort());
    expect(certificates).toHaveLength(10);
    expect(emails).toHaveLength(10);
    expect(problems).toEqual([]);
    expect(failuresShown).toEqual([]);
  });
});

describe('a crash between the DynamoDB write and the workflow start', () => {
  let baton: TestBaton;
  let now = Date.parse('2026-09-01T08:00:00Z');
  const faults = { failStarts: false, dieAfterNextCommit: false, dieAfterNextEnrollment: false };
  const log: TransitionLog = { transitions: [], finished: [], conflicts: 0 };
  beforeAll(async () => {
    baton = await startTestBaton({ clock: { now: () => new Date(now) }, reconcileGraceSeconds: 60, decorate: faultyPorts(log, faults) });
  });
  afterAll(() => baton?.stop());

  it('loses no advance: the reconciler starts every one the crash skipped, and then nothing disagrees', async () => {
    faults.failStarts = true;
    const enrolled: string[] = [];
    const answers: Array<{ status: number; body: any }> = [];
    for (let i = 0; i < 5; i++) {
      const n = ++students;
      const accounts = { hsi: `HSI-${n}` };
      const created = await baton.api('POST', '/api/enrollments', {
        as: ADMIN,
        body: { studentEmail: `crash${n}@example.org`, programId: 'medical-assistant', partnerAccounts: accounts },
      });
      answers.push(created);
      enrolled.push(created.body.id as string);
      answers.push(await baton.complete('hsi', { studentId: accounts.hsi, courseId: 'bls-cpr-aed' }));
    }
    await baton.drain();
    const ids = new Set(enrolled);
    const disagreeing = async () =>
      new Set(
        auditEnrollments(await baton.items())
          .filter((p) => ids.has(p.enrollmentId))
          .map((p) => p.enrollmentId),
      ).size;
    const beforeReconcile = await disagreeing();

    faults.failStarts = false; // the process that crashed is gone; the next ones are healthy
    const withinGrace = await baton.reconcile();
    now += 61_000;
    const afterGrace = await baton.reconcile();
    await baton.drain();
    const afterReconcile = await disagreeing();
    now += 61_000;
    const nextRun = await baton.reconcile();
    const steps = await Promise.all(enrolled.map(async (id) => (await baton.enrollment(id)).steps.map((s: any) => s.status).join(',')));

    recordFigure(
      'crash-before-workflow-start',
      `5 enrollments and 5 completions while every workflow start failed → ${formatCounts(statusCounts(answers))} (no request failed); ` +
        `audit before reconciling: ${beforeReconcile} of 5 enrollments disagree; reconciler inside the 60 s grace period: ${withinGrace.restarted} restarted; ` +
        `first run after it: ${afterGrace.restarted} restarted, ${afterGrace.failedToStart} failed; audit then: ${afterReconcile} disagree; next run: ${nextRun.overdue} overdue.`,
    );
    expect(serverErrors(answers)).toBe(0);
    expect(beforeReconcile).toBe(5);
    expect(withinGrace.restarted).toBe(0);
    expect(afterGrace).toEqual({ overdue: 5, restarted: 5, failedToStart: 0, reappliedStudents: 0, lateMatches: 0, finished: true });
    expect(afterReconcile).toBe(0);
    expect(nextRun.overdue).toBe(0);
    expect(new Set(steps)).toEqual(new Set(['completed,in_progress,pending']));
  });

  it('answers a retry after the function died past the write with "duplicate", and the reconciler still advances', async () => {
    const student = await enrollMedicalAssistant(baton);
    faults.dieAfterNextCommit = true;
    const signed = signWebhook({
      secret: baton.secrets.hsi![0]!,
      body: completionBody({
        event: 'course.completed',
        studentId: student.accounts.hsi,
        courseId: 'bls-cpr-aed',
        completedAt: new Date(now).toISOString(),
      }),
    });
    const first = await sendWebhook(webhookUrl(baton, 'hsi'), signed);
    const retry = await sendWebhook(
      webhookUrl(baton, 'hsi'),
      signWebhook({ secret: baton.secrets.hsi![0]!, body: signed.body, id: signed.id }),
    );
    await baton.drain();
    const stalled = (await baton.enrollment(student.id)).steps.map((s: any) => s.status).join(', ');
    now += 61_000;
    const reconciled = await baton.reconcile();
    const advanced = (await baton.enrollment(student.id)).steps.map((s: any) => s.status).join(', ');
    const problems = auditEnrollments(await baton.items()).filter((p) => p.enrollmentId === student.id);

    recordFigure(
      'crash-after-write',
      `first attempt → ${first.status} (the function died after committing), the partner's retry of the same delivery → ${retry.status} ${(retry.body as any).status}; ` +
        `${plural(completions(log, student.id).length, 'step transition')}; steps after the crash: ${stalled}; the first reconciler run after the grace period ` +
        `restarted ${reconciled.restarted} → ${advanced}; ${plural(problems.length, 'disagreement')} in the audit.`,
    );
    expect(first.status).toBe(500);
    expect(retry).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(completions(log, student.id)).toHaveLength(1);
    expect(advanced).toBe('completed, in_progress, pending');
    expect(problems).toEqual([]);
  });
  it('re-applies the events waiting for a student whose enrollment died right after it was written', async () => {
    const n = ++students;
    const email = `waiting${n}@example.org`;
    const waiting = await baton.complete('hsi', { studentId: `HSI-W${n}`, email, courseId: 'bls-cpr-aed' });
    faults.dieAfterNextEnrollment = true;
    const created = await baton.api('POST', '/api/enrollments', {
      as: ADMIN,
      body: { studentEmail: email, programId: 'medical-assistant' },
    });
    const again = await baton.api('POST', '/api/enrollments', { as: ADMIN, body: { studentEmail: email, programId: 'medical-assistant' } });
    await baton.drain();
    const enrollmentId = (await baton.items()).find((i) => i.entity === 'enrollment' && i.studentEmail === email)!.id as string;
    const stalled = (await baton.enrollment(enrollmentId)).steps.map((s: any) => s.status).join(', ');
    now += 61_000;
    const reconciled = await baton.reconcile();
    await baton.drain();
    const advanced = (await baton.enrollment(enrollmentId)).steps.map((s: any) => s.status).join(', ');
    const inbox = (await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN })).body.events.filter((e: any) => e.email === email);
    const problems = auditEnrollments(await baton.items()).filter((p) => p.enrollmentId === enrollmentId);

    recordFigure(
      'crash-during-enrollment',
      `a waiting event (${waiting.body.status}), then the enrollment died after its write → ${created.status}; the admin's retry → ${again.status} ${again.body.error?.code}; ` +
        `steps after the crash: ${stalled}; the first reconciler run after the grace period restarted ${reconciled.restarted} → ${advanced}; ` +
        `${inbox.length} left in the unmatched inbox; ${plural(problems.length, 'disagreement')} in the audit.`,
    );
    expect(created.status).toBe(500);
    expect(again.status).toBe(409);
    expect(advanced).toBe('completed, in_progress, pending');
    expect(inbox).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('workflow task failures', () => {
  let baton: TestBaton;
  /** Failures left to inject per task: a few transient ones, or Infinity (a permanent one) until an admin "fixes" it. */
  const failures = { certificate: 0, email: 0 };
  const s3Error = (name: string, httpStatusCode: number) =>
    Object.assign(new Error(`injected: S3 answered ${name}`), { name, $metadata: { httpStatusCode } });
  /** Emails SES accepts whose answer is then lost (the outcome is unknown to the sender). */
  const answersLost = { remaining: 0, sendAttempts: 0 };
  let clockOffsetMs = 0;
  beforeAll(async () => {
    baton = await startTestBaton({
      clock: { now: () => new Date(Date.now() + clockOffsetMs) },
      decorate: (ports) => ({
        certificates: {
          put: async (key, pdf) => {
            if (failures.certificate-- > 0)
              throw failures.certificate === Infinity ? s3Error('AccessDenied', 403) : s3Error('ServiceUnavailable', 503);
            return ports.certificates.put(key, pdf);
          },
          downloadUrl: (key, fileName) => ports.certificates.downloadUrl(key, fileName),
        } satisfies CertificateStore,
        mailer: {
          send: async (message) => {
            // The faults are the completion email's; each enrollment's welcome email goes out as it is.
            if (!message.subject.startsWith('Congratulations')) return ports.mailer.send(message);
            answersLost.sendAttempts++;
            if (failures.email-- > 0)
              throw failures.email === Infinity
                ? new EmailNotSent('MessageRejected', 'injected: SES rejected the message')
                : new EmailNotSent('Throttling', 'injected: maximum sending rate exceeded');
            const sent = await ports.mailer.send(message);
            if (answersLost.remaining-- > 0)
              throw Object.assign(new Error('injected: connection reset before the answer'), { name: 'TimeoutError' });
            return sent;
          },
        } satisfies Mailer,
      }),
    });
  });
  afterAll(() => baton?.stop());

  const cases = [
    { task: 'certificate', kind: 'transient' },
    { task: 'certificate', kind: 'permanent' },
    { task: 'email', kind: 'transient' },
    { task: 'email', kind: 'permanent' },
  ] as const;

  it('retries transient failures, shows permanent ones to admins, and an admin retry finishes with one certificate and one email', async () => {
    const outcomes: string[] = [];
    for (const { task, kind } of cases) {
      failures[task] = kind === 'transient' ? 2 : Infinity;
      const email = `${task}-${kind}@example.org`;
      const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl', partnerAccounts: { jri: `JRI-${task}-${kind}` } });
      await baton.complete('jri', { studentId: `JRI-${task}-${kind}`, courseId: 'cdl-entry-level-driver' });
      let current = await baton.enrollment(enrollment.id);
      const pipeline = (await baton.api('GET', '/api/admin/pipeline', { as: ADMIN })).body;
      const shown = pipeline.failures.some((f: any) => f.enrollmentId === enrollment.id);
      let retried = 'no retry needed';
      if (kind === 'permanent') {
        expect(current.workflowFailure).toBeDefined();
        expect(shown).toBe(true);
        failures[task] = 0; // the admin fixed the cause
        const retry = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, { as: ADMIN });
        retried = `admin retry → ${retry.status}`;
        current = await baton.enrollment(enrollment.id);
      }
      const certificates = (await baton.items()).filter((i) => i.entity === 'certificate' && i.enrollmentId === enrollment.id);
      const emails = baton.outbox().filter((eml) => eml.includes('Subject: Congratulations') && eml.includes(email));
      outcomes.push(
        `${task} ${kind}: ${shown ? `failure shown to admins (${pipeline.failures.find((f: any) => f.enrollmentId === enrollment.id).error}), ${retried}` : 'retried, no failure shown'}, ` +
          `${plural(certificates.length, 'certificate')}, ${plural(emails.length, 'email')}`,
      );
      expect(shown).toBe(kind === 'permanent');
      expect(current.status).toBe('completed');
      expect(current.workflowFailure).toBeUndefined();
      expect(certificates).toHaveLength(1);
      expect(emails).toHaveLength(1);
    }
    recordFigure('task-failures', `${outcomes.join('; ')}.`);
  });

  it('leaves the email to a run holding the claim, and shows an unknown outcome to admins once that run must be dead', async () => {
    failures.email = Infinity;
    const email = 'claim-holder@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl', partnerAccounts: { jri: 'JRI-claim-holder' } });
    await baton.complete('jri', { studentId: 'JRI-claim-holder', courseId: 'cdl-entry-level-driver' });
    await baton.drain();
    failures.email = 0;
    // A run claims the send and dies before recording the result (no release).
    const claim = await transition(baton.ports, enrollment.id, { type: 'claim_email', at: baton.ports.clock.now().toISOString() });
    expect(claim.ok && claim.events.map((e) => e.type)).toEqual(['email_claimed']);

    await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, { as: ADMIN });
    const whileClaimed = await baton.enrollment(enrollment.id);
    const pendingWhileClaimed = auditEnrollments(await baton.items()).filter((p) => p.enrollmentId === enrollment.id);
    clockOffsetMs += 6 * 60_000;
    const reconciled = await baton.reconcile();
    const afterLifetime = await baton.enrollment(enrollment.id);
    const resend = await baton.api('POST', `/api/admin/enrollments/${enrollment.id}/retry`, { as: ADMIN, body: { resendEmail: true } });
    const final = await baton.enrollment(enrollment.id);
    const emails = baton.outbox().filter((eml) => eml.includes('Subject: Congratulations') && eml.includes(email));

    recordFigure(
      'email-claim-holder-died',
      `a run holding a fresh claim → the competing run steps aside (${whileClaimed.workflowFailure ? 'FAILURE SHOWN' : 'no failure shown'}, ` +
        `advance request kept: ${pendingWhileClaimed.map((p) => p.problem).join('; ') || 'none'}); 6 min later the reconciler restarted ${reconciled.restarted} ` +
        `→ failure shown to admins: ${afterLifetime.workflowFailure?.cause.split(':')[0]}; "resend email" → ${resend.status}, ${plural(emails.length, 'email')} in total.`,
    );
    expect(whileClaimed.workflowFailure).toBeUndefined();
    expect(pendingWhileClaimed.map((p) => p.problem)).toEqual([
      'an advance request is still pending',
      'completed without the completion email',
    ]);
    expect(reconciled.restarted).toBe(1);
    expect(afterLifetime.workflowFailure.cause).toMatch(/^EmailOutcomeUnknown/);
    expect(final.workflowFailure).toBeUndefined();
    expect(emails).toHaveLength(1);
  });

  it('never sends an email twice when SES accepted it but the answer was lost: the task is not retried and admins see the unknown outcome at once', async () => {
    const email = 'answer-lost@example.org';
    const enrollment = await baton.enroll({ studentEmail: email, programId: 'cdl', partnerAccounts: { jri: 'JRI-answer-lost' } });
    answersLost.remaining = 1;
    answersLost.sendAttempts = 0;
    await baton.complete('jri', { studentId: 'JRI-answer-lost', courseId: 'cdl-entry-level-driver' });
    const afterRun = await baton.enrollment(enrollment.id);
    const pending = auditEnrollments(await baton.items()).filter((p) => p.enrollmentId === enrollment.id);
    clockOffsetMs += 6 * 60_000;
    const afterLifetime = await baton.reconcile();
    const final = await baton.enrollment(enrollment.id);
    const emails = baton.outbox().filter((eml) => eml.includes('Subject: Congratulations') && eml.includes(email));

    recordFigure(
      'email-outcome-unknown',
      `SES accepted the email, the answer was lost → ${plural(emails.length, 'email')} delivered, not retried: ` +
        `${afterRun.workflowFailure ? `failure shown to admins at once: ${afterRun.workflowFailure.cause.split(':')[0]}` : 'NO FAILURE SHOWN'} ` +
        `(${pending.map((p) => p.problem).join('; ')}); 6 min after the send the reconciler restarted ${afterLifetime.restarted}; ` +
        `${plural(answersLost.sendAttempts, 'send attempt')}, ${plural(emails.length, 'email')} in total.`,
    );
    expect(afterRun.workflowFailure.cause).toMatch(/^EmailOutcomeUnknown/);
    expect(pending.map((p) => p.problem)).toEqual([
      'workflow failure recorded: PermanentTaskError',
      'completed without the completion email',
    ]);
    expect(afterLifetime.restarted).toBe(0);
    expect(final.workflowFailure.cause).toMatch(/^EmailOutcomeUnknown/);
    expect(answersLost.sendAttempts).toBe(1);
    expect(emails).toHaveLength(1);
  });
});
