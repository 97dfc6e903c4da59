// Fault injection: the process dies between the DynamoDB write and the workflow start; workflow
// tasks fail transiently and permanently. Nothing is lost, nothing happens twice, and a final
// failure is visible to admins and retryable.
import { afterEach, describe, expect, it } from 'vitest';
import type { Mailer, WorkflowStarter } from '../../functions/use-cases/ports.js';
import { EMAIL_CLAIM_LIFETIME_MS } from '../../functions/use-cases/workflow-tasks.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton | undefined;
afterEach(async () => {
  await baton?.stop();
  baton = undefined;
});

const statuses = async (b: TestBaton, id: string) => {
  await b.drain();
  return (await b.api('GET', `/api/enrollments/${id}`, { as: ADMIN })).body;
};

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
    const enrollment = await baton.enroll({ studentEmail: 'crash@example.org', programId: 'medical-assistant', partnerAccounts: { hsi: 'HSI-CRASH' } });

    crashNextStart = true;
    const response = await baton.complete('hsi', { studentId: 'HSI-CRASH', courseId: 'bls-cpr-aed' });
    expect(response.body).toEqual({ status: 'applied' });
    let view = await statuses(baton, enrollment.id);
    // The completion is recorded, but the advance it should trigger never started.
    expect(view.steps.map((s: any) => s.status)).toEqual(['completed', 'pending', 'pending']);

    // Within the grace period the reconciler leaves it alone (an execution may be on its way).
    expect(await baton.reconcile()).toEqual({ overdue: 0, restarted: 0, failedToStart: 0, lateMatches: 0 });
    now += 61_000;
    expect(await baton.reconcile()).toEqual({ overdue: 1, restarted: 1, failedToStart: 0, lateMatches: 0 });
    view = await statuses(baton, enrollment.id);
    expect(view.steps.map((s: any) => s.status)).toEqual(['completed', 'in_progress', 'pending']);

    now += 61_000;
    expect(await baton.reconcile()).toEqual({ overdue: 0, restarted: 0, failedToStart: 0, lateMatches: 0 });
  });
});

describe('workflow task failures', () => {
  const finishCdl = async (b: TestBaton, email: string) => {
    const enrollment = await b.enroll({ studentEmail: email, programId: 'cdl', partnerAccounts: { jri: `JRI-${email}` } });
    await b.complete('jri', { studentId: `JRI-${email}`, courseId: 'cdl-entry-level-driver' });
    await b.drain();
    return enrollment.id as string;
  };

  it('retries a transient email failure and sends exactly one email', async () => {
    let failures = 2;
    baton = await startTestBaton({
      decorate: (ports) => ({
        mailer: {
          send: async (message) => {
            if (failures-- > 0) throw Object.assign(new Error('injected: SES throttled'), { name: 'Throttling' });
            return ports.mailer.send(message);
          },
        } satisfies Mailer,
      }),
    });
    const id = await finishCdl(baton, 'transient@example.org');
    const view = await statuses(baton, id);
    expect(view.status).toBe('completed');
    expect(view.workflowFailure).toBeUndefined();
    expect(view.timeline.filter((t: any) => t.type === 'email_sent')).toHaveLength(1);
    expect(baton.outbox()).toHaveLength(1);
  });

  it('records a permanent failure for admins, and an admin retry completes it with one certificate and one email', async () => {
    let broken = true;
    baton = await startTestBaton({
      decorate: (ports) => ({
        mailer: {
          send: async (message) => {
            if (broken) throw Object.assign(new Error('injected: address rejected'), { name: 'MessageRejected' });
            return ports.mailer.send(message);
          },
        } satisfies Mailer,
      }),
    });
    const id = await finishCdl(baton, 'permanent@example.org');
    let view = await statuses(baton, id);
    expect(view.status).toBe('completed');
    expect(view.certificate).toBeDefined();
    expect(view.workflowFailure).toMatchObject({ error: 'MessageRejected' });
    expect(view.timeline.at(-1).type).toBe('workflow_failed');
    expect(baton.outbox()).toHaveLength(0);

    const pipeline = await baton.api('GET', '/api/admin/pipeline', { as: ADMIN });
    expect(pipeline.body.failures).toEqual([expect.objectContaining({ enrollmentId: id, error: 'MessageRejected' })]);

    broken = false;
    const retry = await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN });
    expect(retry.status).toBe(200);
    view = await statuses(baton, id);
    expect(view.workflowFailure).toBeUndefined();
    expect(view.timeline.filter((t: any) => t.type === 'email_sent')).toHaveLength(1);
    expect(baton.outbox()).toHaveLength(1);
    const certificates = (await baton.items()).filter((i) => i.entity === 'certificate');
    expect(certificates).toHaveLength(1);

    const nothingLeft = await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN });
    expect(nothingLeft.status).toBe(409);
  });

  it('re-running a finished workflow (a duplicate trigger) issues no second certificate or email', async () => {
    baton = await startTestBaton();
    const id = await finishCdl(baton, 'replay@example.org');
    expect(baton.outbox()).toHaveLength(1);
    await baton.ports.workflow.start(id, 'replay-1');
    const view = await statuses(baton, id);
    expect(view.timeline.filter((t: any) => t.type === 'email_sent')).toHaveLength(1);
    expect(baton.outbox()).toHaveLength(1);
    expect((await baton.items()).filter((i) => i.entity === 'certificate')).toHaveLength(1);
  });

  it('when a run died after claiming the email, it fails for an admin instead of risking a second email', async () => {
    let broken = true;
    baton = await startTestBaton({
      decorate: (ports) => ({
        mailer: {
          send: async (message) => {
            if (broken) throw Object.assign(new Error('injected: SES down'), { name: 'MessageRejected' });
            return ports.mailer.send(message);
          },
        } satisfies Mailer,
      }),
    });
    const id = await finishCdl(baton, 'claimed@example.org');
    // Simulate a run that claimed the send and died before recording the result, longer ago than any run lives.
    expect(await baton.ports.repo.claimCompletionEmail(id, new Date(Date.now() - EMAIL_CLAIM_LIFETIME_MS).toISOString())).toBe(true);
    broken = false;

    await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN });
    let view = await statuses(baton, id);
    expect(view.workflowFailure.error).toBe('PermanentTaskError');
    expect(view.workflowFailure.cause).toContain('EmailOutcomeUnknown');
    expect(baton.outbox()).toHaveLength(0);

    // The admin checked the mail log: not delivered. "Resend email" allows one more send.
    await baton.api('POST', `/api/admin/enrollments/${id}/retry`, { as: ADMIN, body: { resendEmail: true } });
    view = await statuses(baton, id);
    expect(view.workflowFailure).toBeUndefined();
    expect(baton.outbox()).toHaveLength(1);
  });
});
