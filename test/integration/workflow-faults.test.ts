// Fault injection: the process dies between the DynamoDB write and the workflow start; workflow
// tasks fail transiently and permanently; an email's outcome is unknown; the failure record meets
// a missing enrollment or a newer advance request; triggers are duplicated. Nothing is lost,
// nothing happens twice, and a final failure is visible to admins and retryable.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.js';
import { indexKeys, keys } from '../../functions/adapters/dynamodb/keys.js';
import { transition } from '../../functions/use-cases/enrollment-transitions.js';
import type { EnrollmentStore } from '../../functions/use-cases/ports/enrollments.js';
import { EmailNotSent, type CertificateStore, type Mailer, type WorkflowStarter } from '../../functions/use-cases/ports/services.js';
import { EMAIL_CLAIM_LIFETIME_MS, PermanentTaskError } from '../../functions/use-cases/workflow-tasks.js';
import { localClientConfig } from '../../local/dynamodb-local.js';
import type { WorkflowEvent, WorkflowType } from '../../local/workflow-runner.js';
import { withEnrollments } from '../support/stores.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton | undefined;
afterEach(async () => {
  await baton?.stop();
  baton = undefined;
});

/** The completion email (the faults below are about it; each enrollment's welcome email goes out too). */
const isCompletion = (message: { subject: string }) => message.subject.startsWith('Congratulations');
/** The completion emails in the outbox. */
const completions = (baton: TestBaton) => baton.outbox().filter((eml) => eml.includes('Subject: Congratulations'));

/** A mailer that refuses completion emails the way SES does (definitely not sent) while `refuses()` is true, then sends. */
const refusingMailer = (mailer: Mailer, refuses: () => boolean, refusal: EmailNotSent): Mailer => ({
  send: async (message) => {
    if (isCompletion(message) && refuses()) throw refusal;
    return mailer.send(message);
  },
});

describe('a crash between the DynamoDB write and the workflow start', () => {
  it('loses nothing: the reconciler starts the advance the crash skipped, and then finds nothing to do', async () => {
    let now = Date.parse('2026-11-02T10:00:00Z');
    let crashNextStart = false;
    baton = await startTestBaton({
      clock: { now: () => new Date(now) },
      reconcileGraceSeconds: 60,
      decorate: (ports) => ({
        workflow: {
          start: async (enrollmentId, trigger) => {
            if (crashNextStart) {
              crashNextStart = false;
              throw new Error('injected: process died before StartExecution');
            }
            return ports.workflow.start(enrollmentId, trigger);
          },
        } satisfies WorkflowStarter,
      }),
    });
    const enrollment = await baton.enroll({
      studentEmail: 'crash@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-CRASH' },
    });

    crashNextStart = true;
    const response = await baton.complete('hsi', { studentId: 'HSI-CRASH', courseId: 'bls-cpr-aed' });
    expect(response.body).toEqual({ status: 'applied' });
    let view = await baton.enrollment(enrollment.id);
    // The completion is recorded, but the advance it should trigger never started.
    expect(view.steps.map((s: any) => s.status)).toEqual(['completed', 'pending', 'pending']);

    // Within the grace period the reconciler leaves it alone (an execution may be on its way).
    expect(await baton.reconcile()).toEqual({
      overdue: 0,
      restarted: 0,
      failedToStart: 0,
      reappliedStudents: 0,
      lateMatches: 0,
      finished: true,
    });
    now += 61_000;
    expect(await baton.reconcile()).toEqual({
      overdue: 1,
      restarted: 1,
      failedToStart: 0,
      reappliedStudents: 0,
      lateMatches: 0,
      finished: true,
    });
    view = await baton.enrollment(enrollment.id);
    expect(view.steps.map((s: any) => s.status)).toEqual(['completed', 'in_progress', 'pending']);

    now += 61_000;
    expect(await baton.reconcile()).toEqual({
      overdue: 0,
      restarted: 0,
      failedToStart: 0,
      reappliedStudents: 0,
      lateMatches: 0,
      finished: true,
    });
  });
});

/** Every workflow event, by execution id. */
const recordEvents = () => {
  const events: Array<{ execution: string; event: WorkflowEvent }> = [];
  return { events, instrument: { workflowEvent: (execution: string, event: WorkflowEvent) => events.push({ execution, event }) } };
};
/** One state's events over every execution, as "StateFailed TypeError", "StateRetried"… */
const stateEvents = (events: Array<{ event: WorkflowEvent }>, state: string) =>
  events
    .map((e) => e.event)
    .filter((e) => 'state' in e && e.state.name === state)
    .map((e) => ('Error' in e ? `${e.type} ${e.Error}` : e.type));

/** Enrolls a student in CDL (one step) and completes it, so the run issues the certificate and the email. */
const finishCdl = async (b: TestBaton, email: string) => {
  const enrollment = await b.enroll({ studentEmail: email, programId: 'cdl', partnerAccounts: { jri: `JRI-${email}` } });
  await b.complete('jri', { studentId: `JRI-${email}`, courseId: 'cdl-entry-level-driver' });
  await b.drain();
  return enrollment.id as string;
};

/** The enrollment's item as stored (attributes the API does not show). */
const storedEnrollment = async (b: TestBaton, id: string) => {
  const key = keys.enrollment(id);
  return (await b.items()).find((i) => i.pk === key.pk && i.sk === key.sk);
};

describe('workflow task failures', () => {
  it('retries a transient email failure and sends exactly one email', async () => {
    let failures = 2;
    baton = await startTestBaton({
      decorate: (ports) => ({
        mailer: refusingMailer(
          ports.mailer,
          () => failures-- > 0,
          new EmailNotSent('Throttling', 'injected: maximum sending rate exceeded'),
        ),
      }),
    });
    const id = await finishCdl(baton, 'transient@example.org');
    const view = await baton.enrollment(id);
    expect(view.status).toBe('completed');
    expect(view.workflowFailure).toBeUndefined();
    expect(view.timeline.filter((t: any) => t.type === 'email_sent' && t.detail.startsWith('Completion'))).toHaveLength(1);
    expect(completions(baton)).toHaveLength(1);
  });

  it('records a permanent failure for admins, and an admin retry completes it with one certificate and one email', async () => {
    let broken = true;
    baton = await startTestBaton({
      decorate: (ports) => ({
        mailer: refusingMailer(ports.mailer, () => broken, new EmailNotSent('MessageRejected', 'injected: address rejected')),
      }),
    });
    const id = await finishCdl(baton, 'permanent@example.org');
    let view = await baton.enrollment(id);
    expect(view.status).toBe('completed');
    expect(view.certificate).toBeDefined();
    expect(view.workflowFailure).toMatchObject({ error: 'MessageRejected', cause: 'injected: address rejected' });
    expect(view.timeline.at(-1).type).toBe('workflow_failed');
    expect(completions(baton)).toHaveLength(0);

    const pipeline = await baton.api('GET', '/api/admin/pipeline', { as: ADMIN });
    expect(pipeline.body.failures).toEqual([expect.objectContaining({ enrollmentId: id, error: 'MessageRejected' })]);

    broken = false;
    const retry = await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN });
    expect(retry.status).toBe(200);
    view = await baton.enrollment(id);
    expect(view.workflowFailure).toBeUndefined();
    expect(view.timeline.filter((t: any) => t.type === 'email_sent' && t.detail.startsWith('Completion'))).toHaveLength(1);
    expect(completions(baton)).toHaveLength(1);
    const certificates = (await baton.items()).filter((i) => i.entity === 'certificate');
    expect(certificates).toHaveLength(1);

    const nothingLeft = await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN });
    expect(nothingLeft.status).toBe(409);
  });

  it('re-running a finished workflow (a duplicate trigger) issues no second certificate or email', async () => {
    baton = await startTestBaton();
    const id = await finishCdl(baton, 'replay@example.org');
    expect(completions(baton)).toHaveLength(1);
    await baton.ports.workflow.start(id, 'replay-1');
    const view = await baton.enrollment(id);
    expect(view.timeline.filter((t: any) => t.type === 'email_sent' && t.detail.startsWith('Completion'))).toHaveLength(1);
    expect(completions(baton)).toHaveLength(1);
    expect((await baton.items()).filter((i) => i.entity === 'certificate')).toHaveLength(1);
  });

  it('when a run died after claiming the email, it fails for an admin instead of risking a second email', async () => {
    let broken = true;
    baton = await startTestBaton({
      decorate: (ports) => ({
        mailer: refusingMailer(ports.mailer, () => broken, new EmailNotSent('MessageRejected', 'injected: SES refused it')),
      }),
    });
    const id = await finishCdl(baton, 'claimed@example.org');
    // Simulate a run that claimed the send and died before recording the result, longer ago than any run lives.
    const claim = await transition(baton.ports, id, {
      type: 'claim_email',
      at: new Date(Date.now() - EMAIL_CLAIM_LIFETIME_MS).toISOString(),
    });
    expect(claim.ok && claim.events.map((e) => e.type)).toEqual(['email_claimed']);
    broken = false;

    await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN });
    let view = await baton.enrollment(id);
    expect(view.workflowFailure.error).toBe('PermanentTaskError');
    expect(view.workflowFailure.cause).toContain('EmailOutcomeUnknown');
    expect(completions(baton)).toHaveLength(0);

    // The admin checked the mail log: not delivered. "Resend email" allows one more send.
    await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN, body: { resendEmail: true } });
    view = await baton.enrollment(id);
    expect(view.workflowFailure).toBeUndefined();
    expect(completions(baton)).toHaveLength(1);
  });
});

describe('which task errors the workflow retries', () => {
  /** A certificate store whose put fails with `errors.shift()` while there are any. */
  const failingPuts = (ports: { certificates: CertificateStore }, errors: Error[], calls: { puts: number }): CertificateStore => ({
    put: async (key, pdf) => {
      calls.puts++;
      const error = errors.shift();
      if (error) throw error;
      return ports.certificates.put(key, pdf);
    },
    downloadUrl: (key, fileName) => ports.certificates.downloadUrl(key, fileName),
  });

  it('records a bug (a TypeError) after exactly one attempt', async () => {
    const calls = { puts: 0 };
    const { events, instrument } = recordEvents();
    baton = await startTestBaton({
      instrument,
      decorate: (ports) => ({
        certificates: failingPuts(ports, [new TypeError("injected: Cannot read properties of undefined (reading 'pdf')")], calls),
      }),
    });
    const id = await finishCdl(baton, 'bug@example.org');
    expect(calls.puts).toBe(1);
    expect(stateEvents(events, 'IssueCertificate')).toEqual(['StateEntered', 'StateFailed TypeError', 'StateCaught', 'StateExited']);
    const view = await baton.enrollment(id);
    expect(view.workflowFailure).toMatchObject({
      error: 'TypeError',
      cause: "injected: Cannot read properties of undefined (reading 'pdf')",
    });
  });

  it('retries a throttled or unavailable AWS call as TransientTaskError, and the run succeeds', async () => {
    const calls = { puts: 0 };
    const { events, instrument } = recordEvents();
    const throttled = Object.assign(new Error('injected: Please reduce your request rate.'), {
      name: 'SlowDown',
      $metadata: { httpStatusCode: 503 },
    });
    const reset = Object.assign(new Error('injected: socket hang up'), { code: 'ECONNRESET' });
    baton = await startTestBaton({ instrument, decorate: (ports) => ({ certificates: failingPuts(ports, [throttled, reset], calls) }) });
    const id = await finishCdl(baton, 'throttled@example.org');
    expect(calls.puts).toBe(3);
    expect(stateEvents(events, 'IssueCertificate')).toEqual([
      'StateEntered',
      'StateFailed TransientTaskError',
      'StateRetried',
      'StateFailed TransientTaskError',
      'StateRetried',
      'StateExited',
    ]);
    const view = await baton.enrollment(id);
    expect(view.certificate).toBeDefined();
    expect(view.workflowFailure).toBeUndefined();
    expect(completions(baton)).toHaveLength(1);
  });

  it('retries an advance whose write kept conflicting (CONCURRENT_CHANGE), and the run succeeds', async () => {
    let conflicts = 0;
    const { events, instrument } = recordEvents();
    baton = await startTestBaton({
      instrument,
      decorate: (ports) => ({
        enrollments: withEnrollments(ports.enrollments, {
          save: async (changes, extras) => {
            const startsAStep = changes.some((c) => c.before && c.events.some((e) => e.type === 'step_started'));
            if (startsAStep && conflicts-- > 0) return { ok: false, conflict: 'stale' };
            return ports.enrollments.save(changes, extras);
          },
        }),
      }),
    });
    const enrollment = await baton.enroll({
      studentEmail: 'contended@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-BUSY' },
    });
    events.length = 0;
    conflicts = 8; // every attempt of the next Advance conflicts
    await baton.complete('hsi', { studentId: 'HSI-BUSY', courseId: 'bls-cpr-aed' });
    const view = await baton.enrollment(enrollment.id);
    expect(stateEvents(events, 'Advance')).toEqual(['StateEntered', 'StateFailed TransientTaskError', 'StateRetried', 'StateExited']);
    expect(view.steps.map((s: any) => s.status)).toEqual(['completed', 'in_progress', 'pending']);
    expect(view.workflowFailure).toBeUndefined();
  });
});

describe.each(['States.Timeout', 'Lambda.ServiceException'])('a task failing with %s and no Cause (outside our code)', (error) => {
  it("is retried, then recorded with an empty cause, dated by the starter's clock, and bumps the enrollment's version", async () => {
    const now = Date.parse('2026-11-05T09:00:00Z');
    let failing = false;
    let attempts = 0;
    baton = await startTestBaton({
      clock: { now: () => new Date(now) },
      taskFault: (state) => {
        if (!failing || state !== 'Advance') return undefined;
        attempts++;
        return { error };
      },
    });
    const { id } = await baton.enroll({ studentEmail: `no-cause-${error}@example.org`, programId: 'cdl' });
    const before = await storedEnrollment(baton, id);

    failing = true;
    await baton.ports.workflow.start(id, 'probe');
    await baton.drain();
    expect(attempts).toBe(5); // the first attempt and four retries

    const stored = await storedEnrollment(baton, id);
    const failed = [...baton.runner.executions.values()].find((e) => e.name.endsWith('-probe'))!;
    expect(failed.status).toBe('FAILED');
    expect(failed.startedAt).toBe(new Date(now).toISOString());
    // Dated with the execution input's start (local mode's clock here), not the interpreter's own clock.
    expect(stored).toMatchObject({
      workflowFailure: { error, cause: '', at: failed.startedAt },
      gsi2pk: 'WORKFLOW_FAILED',
      gsi2sk: `${failed.startedAt}#${id}`,
      version: (before!.version as number) + 1,
    });
    const view = await baton.enrollment(id);
    expect(view.workflowFailure).toEqual({ error, cause: '', at: failed.startedAt });
    expect(view.timeline.at(-1)).toMatchObject({ type: 'workflow_failed', detail: `Automation failed: ${error}` });
  });
});

describe('an email whose outcome is unknown', () => {
  it('is never retried or sent again: the claim is kept and admins see at once that the outcome is unknown', async () => {
    let now = Date.parse('2026-11-03T09:00:00Z');
    let sends = 0;
    const { events, instrument } = recordEvents();
    baton = await startTestBaton({
      clock: { now: () => new Date(now) },
      reconcileGraceSeconds: 60,
      instrument,
      decorate: (ports) => ({
        mailer: {
          send: async (message) => {
            if (!isCompletion(message)) return ports.mailer.send(message);
            sends++;
            const sent = await ports.mailer.send(message); // SES accepted it…
            if (sends > 1) return sent;
            throw Object.assign(new Error('injected: socket hang up before the answer'), { name: 'TimeoutError' }); // …and the answer was lost
          },
        } satisfies Mailer,
      }),
    });
    const id = await finishCdl(baton, 'unknown@example.org');

    let view = await baton.enrollment(id);
    expect(sends).toBe(1);
    expect(completions(baton)).toHaveLength(1);
    // One attempt: a TimeoutError is transient for DynamoDB, but after a send it means "maybe sent".
    expect(stateEvents(events, 'SendCompletionEmail')).toEqual([
      'StateEntered',
      'StateFailed PermanentTaskError',
      'StateCaught',
      'StateExited',
    ]);
    expect(view.workflowFailure).toMatchObject({
      error: 'PermanentTaskError',
      cause: expect.stringMatching(
        /^EmailOutcomeUnknown: the completion email may have been sent \(TimeoutError: injected: socket hang up/,
      ),
    });
    const stored = await storedEnrollment(baton, id);
    expect(stored).toMatchObject({ emailClaimedAt: expect.any(String), gsi2pk: 'WORKFLOW_FAILED' });
    expect(stored).not.toHaveProperty('advanceRequestedAt');
    const pipeline = await baton.api('GET', '/api/admin/pipeline', { as: ADMIN });
    expect(pipeline.body.failures.map((f: any) => f.enrollmentId)).toEqual([id]);
    // The pipeline gives the same readable cause, so the dashboard can send the admin to decide.
    expect(pipeline.body.failures[0].cause).toBe(view.workflowFailure.cause);

    // Nothing runs it again by itself.
    now += EMAIL_CLAIM_LIFETIME_MS;
    expect(await baton.reconcile()).toMatchObject({ overdue: 0, restarted: 0 });
    expect(sends).toBe(1);

    // The admin checked the mail log: not delivered. "Resend email" sends one more.
    await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN, body: { resendEmail: true } });
    view = await baton.enrollment(id);
    expect(view.workflowFailure).toBeUndefined();
    expect(sends).toBe(2);
    expect(completions(baton)).toHaveLength(2);
  });
});

describe('recording a sent email', () => {
  /** The enrollment store, with the save that records a sent email failing the first `failures` times. */
  const flakyMarker = (store: EnrollmentStore, state: { failures: number }): EnrollmentStore =>
    withEnrollments(store, {
      save: async (changes, extras) => {
        const recordsSend = changes.some((c) => c.events.some((e) => e.type === 'email_sent'));
        if (recordsSend && state.failures-- > 0)
          throw Object.assign(new Error('injected: DynamoDB unavailable'), { name: 'ServiceUnavailable' });
        return store.save(changes, extras);
      },
    });

  it('tries again in the task when the write fails after the send, so the email counts as sent', async () => {
    const state = { failures: 2 };
    baton = await startTestBaton({ decorate: (ports) => ({ enrollments: flakyMarker(ports.enrollments, state) }) });
    const id = await finishCdl(baton, 'marker@example.org');
    const view = await baton.enrollment(id);
    expect(view.timeline.filter((t: any) => t.type === 'email_sent' && t.detail.startsWith('Completion'))).toHaveLength(1);
    expect(view.workflowFailure).toBeUndefined();
    expect(await storedEnrollment(baton, id)).not.toHaveProperty('advanceRequestedAt');
    expect(completions(baton)).toHaveLength(1);
  });

  it('when the write never succeeds, tells admins the email was sent (with its message id) rather than calling it unknown', async () => {
    const state = { failures: Infinity };
    baton = await startTestBaton({ decorate: (ports) => ({ enrollments: flakyMarker(ports.enrollments, state) }) });
    const id = await finishCdl(baton, 'never-recorded@example.org');
    const view = await baton.enrollment(id);
    const messageId = /^Message-ID: <(.+)>\r?$/m.exec(completions(baton)[0]!)?.[1];
    expect(view.workflowFailure.cause).toMatch(/^EmailSentNotRecorded: the completion email was sent/);
    expect(view.workflowFailure.cause).toContain(`message id ${messageId}`);
    expect(completions(baton)).toHaveLength(1);
  });
});

describe('RecordFailure (the direct DynamoDB write at the end of a failed run)', () => {
  const brokenStore = (ports: { certificates: CertificateStore }, onPut: () => Promise<void>): CertificateStore => ({
    put: async () => {
      await onPut();
      throw Object.assign(new Error('injected: S3 unavailable'), { name: 'ServiceUnavailable' });
    },
    downloadUrl: (key, fileName) => ports.certificates.downloadUrl(key, fileName),
  });

  it('records the failure on an existing enrollment and takes it out of the advance-due index', async () => {
    baton = await startTestBaton({ decorate: (ports) => ({ certificates: brokenStore(ports, async () => undefined) }) });
    const id = await finishCdl(baton, 'recorded@example.org');
    const stored = await storedEnrollment(baton, id);
    expect(stored).toMatchObject({ workflowFailure: { error: 'ServiceUnavailable' }, gsi2pk: 'WORKFLOW_FAILED' });
    expect(stored).not.toHaveProperty('advanceRequestedAt');
  });

  it('writes nothing for an enrollment that does not exist (no phantom item), without retrying, and the run still fails', async () => {
    const { events, instrument } = recordEvents();
    baton = await startTestBaton({ instrument });
    const before = await baton.items();
    await baton.ports.workflow.start('00000000-0000-4000-8000-000000000000', 'enrolled');
    await baton.drain();

    expect(await baton.items()).toEqual(before);
    expect(stateEvents(events, 'RecordFailure')).toEqual([
      'StateEntered',
      'StateFailed DynamoDB.ConditionalCheckFailedException',
      'StateCaught',
      'StateExited',
    ]);
    expect(events.map((e) => e.event).filter((e) => e.type === 'ExecutionFailed')).toEqual([
      expect.objectContaining({ Error: 'EnrollmentWorkflowFailed' }),
    ]);
    expect([...baton.runner.executions.values()].map((e) => e.status)).toEqual(['FAILED']);
  });

  it('leaves an advance request made after the failed run started, with no failure recorded, for the reconciler to finish', async () => {
    let now = Date.parse('2026-11-04T09:00:00Z');
    let storeBroken = true;
    let enrollmentId = '';
    let newerRequest = '';
    const { events, instrument } = recordEvents();
    baton = await startTestBaton({
      clock: { now: () => new Date(now) },
      reconcileGraceSeconds: 60,
      instrument,
      decorate: (ports) => ({
        certificates: {
          put: async (key, pdf) => {
            if (!storeBroken) return ports.certificates.put(key, pdf);
            return brokenStore(ports, async () => {
              // While this run fails, another transition commits a newer advance request.
              if (newerRequest) return;
              now += 1_000;
              newerRequest = new Date(now).toISOString();
              await requestAdvance(baton!, enrollmentId, newerRequest);
            }).put(key, pdf);
          },
          downloadUrl: (key, fileName) => ports.certificates.downloadUrl(key, fileName),
        },
      }),
    });
    enrollmentId = (await baton.enroll({ studentEmail: 'newer@example.org', programId: 'cdl', partnerAccounts: { jri: 'JRI-NEWER' } })).id;
    await baton.complete('jri', { studentId: 'JRI-NEWER', courseId: 'cdl-entry-level-driver' });
    await baton.drain();

    const stored = await storedEnrollment(baton, enrollmentId);
    expect(stored).toMatchObject({ advanceRequestedAt: newerRequest, gsi2pk: 'ADVANCE_DUE' });
    expect(stored).not.toHaveProperty('workflowFailure');
    expect(stateEvents(events, 'RecordFailure')).toEqual([
      'StateEntered',
      'StateFailed DynamoDB.ConditionalCheckFailedException',
      'StateCaught',
      'StateExited',
    ]);
    expect([...baton.runner.executions.values()].filter((e) => e.enrollmentId === enrollmentId).map((e) => e.status)).toEqual([
      'SUCCEEDED',
      'FAILED',
    ]);

    storeBroken = false;
    now += 61_000;
    expect(await baton.reconcile()).toMatchObject({ restarted: 1 });
    const view = await baton.enrollment(enrollmentId);
    expect(view.certificate).toBeDefined();
    expect(view.workflowFailure).toBeUndefined();
    expect(completions(baton)).toHaveLength(1);
  });
  it('records nothing on an enrollment an admin cancelled while the run was failing: nothing is left to retry there', async () => {
    const { events, instrument } = recordEvents();
    let cancelDuringNextAdvance = false;
    baton = await startTestBaton({
      instrument,
      decorate: (ports) => ({
        enrollments: withEnrollments(ports.enrollments, {
          save: async (changes, extras) => {
            const startsAStep = changes.some((c) => c.before && c.events.some((e) => e.type === 'step_started'));
            if (!cancelDuringNextAdvance || !startsAStep) return ports.enrollments.save(changes, extras);
            // The advance fails for good; meanwhile an admin cancels the enrollment.
            cancelDuringNextAdvance = false;
            const id = changes[0]!.before!.state.enrollment.id;
            const cancelled = await baton!.api('POST', `/api/admin/enrollments/${id}/cancel`, {
              as: ADMIN,
              body: { reason: 'Left the program' },
            });
            expect(cancelled.status).toBe(200);
            throw new PermanentTaskError('injected: advance failed for good');
          },
        }),
      }),
    });
    const { id } = await baton.enroll({
      studentEmail: 'left@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-LEFT' },
    });
    await baton.drain();
    cancelDuringNextAdvance = true;
    await baton.complete('hsi', { studentId: 'HSI-LEFT', courseId: 'bls-cpr-aed' });
    await baton.drain();

    const stored = await storedEnrollment(baton, id);
    expect(stored).toMatchObject({ status: 'cancelled' });
    // The cancel removed the advance request of the run in flight, and with it the index entry.
    expect(stored).not.toHaveProperty('advanceRequestedAt');
    expect(stored).not.toHaveProperty('workflowFailure');
    expect(stored).not.toHaveProperty('gsi2pk');
    expect(stateEvents(events, 'RecordFailure')).toEqual([
      'StateEntered',
      'StateFailed DynamoDB.ConditionalCheckFailedException',
      'StateCaught',
      'StateExited',
    ]);
    const retry = await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN });
    expect([retry.status, retry.body.error.code]).toEqual([409, 'NOTHING_TO_RETRY']);
  });
});

/** Sets a newer advance request on the enrollment, as a transition's transaction does. */
async function requestAdvance(b: TestBaton, enrollmentId: string, at: string) {
  const index = indexKeys.advanceDue(at, enrollmentId);
  await documentClient(localClientConfig(b.dynamoDbEndpoint)).send(
    new UpdateCommand({
      TableName: b.tableName,
      Key: keys.enrollment(enrollmentId),
      UpdateExpression: 'SET advanceRequestedAt = :at, gsi2pk = :pk, gsi2sk = :sk',
      ExpressionAttributeValues: { ':at': at, ':pk': index.gsi2pk, ':sk': index.gsi2sk },
    }),
  );
}

describe.each<WorkflowType>(['EXPRESS', 'STANDARD'])('duplicate triggers under a %s workflow', (type) => {
  it('every trigger started three times at once still completes each enrollment once, with one certificate and one email', async () => {
    baton = await startTestBaton({
      workflowType: type,
      decorate: (ports) => ({
        workflow: {
          start: async (enrollmentId, trigger) => {
            await Promise.all([1, 2, 3].map(() => ports.workflow.start(enrollmentId, trigger)));
          },
        } satisfies WorkflowStarter,
      }),
    });
    const enrollment = await baton.enroll({
      studentEmail: `dup-${type}@example.org`,
      programId: 'medical-assistant',
      partnerAccounts: { hsi: `HSI-${type}`, certiport: `CP-${type}`, careersafe: `CS-${type}` },
    });
    await Promise.all([
      baton.complete('hsi', { studentId: `HSI-${type}`, courseId: 'bls-cpr-aed' }),
      baton.complete('certiport', { studentId: `CP-${type}`, courseId: 'mos-word' }),
      baton.complete('careersafe', { studentId: `CS-${type}`, courseId: 'osha-10-healthcare' }),
    ]);
    const view = await baton.enrollment(enrollment.id);

    const runs = [...baton.runner.executions.values()].filter((e) => e.enrollmentId === enrollment.id);
    const perName = new Map<string, number>();
    for (const run of runs) perName.set(run.name, (perName.get(run.name) ?? 0) + 1);
    expect(new Set(perName.values())).toEqual(new Set([type === 'EXPRESS' ? 3 : 1]));
    expect(perName.size).toBe(4); // enrolled and three completions
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(view.status).toBe('completed');
    expect(view.workflowFailure).toBeUndefined();
    const pipeline = (await baton.api('GET', '/api/admin/pipeline', { as: ADMIN })).body;
    expect(pipeline.programs.find((p: any) => p.programId === 'medical-assistant')).toMatchObject({ total: 1, active: 0, completed: 1 });
    expect((await baton.items()).filter((i) => i.entity === 'certificate')).toHaveLength(1);
    expect(completions(baton)).toHaveLength(1);
    expect(await storedEnrollment(baton, enrollment.id)).not.toHaveProperty('advanceRequestedAt');
  });
});
