// How enrollments end and how the inbox is cleared, against local mode: optional steps left open
// when a program completes close as "skipped" (out of the stuck list and the in-progress
// counters); an admin cancels an active enrollment (its open steps close as "cancelled", the
// student can be enrolled again); an admin dismisses an unmatched event that will never match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../functions/domain/delivery.js';
import type { DeliveryStore } from '../../functions/use-cases/ports/deliveries.js';
import type { WorkflowStarter } from '../../functions/use-cases/ports/services.js';
import { withDeliveries } from '../support/stores.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { pipelineTotals, truthFromItems } from '../reliability/support/probes.js';
import { FIRST_AID_PLUS, saveProgram } from '../support/programs.js';

const DAY_MS = 24 * 3600 * 1000;
const RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * Waiting events are listed from a global secondary index, which on AWS lags behind the table.
 * Deliveries put here are still listed under their owner after they were settled, as a lagging
 * index would list them.
 */
const laggingIndex: Delivery[] = [];
const withLaggingIndex = (store: DeliveryStore): DeliveryStore =>
  withDeliveries(store, {
    listWaiting: async (owner, limit, cursor) => {
      const fresh = await store.listWaiting(owner, limit, cursor);
      const stale = laggingIndex.filter((d) =>
        'studentId' in owner
          ? d.studentId === owner.studentId
          : 'externalId' in owner &&
            d.partnerId === owner.partnerId &&
            d.event.kind === 'completion' &&
            d.event.externalId === owner.externalId,
      );
      return { ...fresh, items: [...fresh.items, ...stale.map((d) => ({ ...d, bodyPreview: d.rawBody, bodyBytes: d.rawBody.length }))] };
    },
  });

let baton: TestBaton;
let now = Date.parse('2026-09-01T09:00:00Z');
/** Set to lose the next workflow start, as a process dying after its write would. */
let dropNextWorkflowStart = false;
beforeAll(async () => {
  // A settable clock, so "in progress for 10 days" takes no waiting.
  baton = await startTestBaton({
    clock: { now: () => new Date(now) },
    reconcileGraceSeconds: 60,
    decorate: (ports) => ({
      deliveries: withLaggingIndex(ports.deliveries),
      workflow: {
        start: async (enrollmentId, trigger) => {
          if (!dropNextWorkflowStart) return ports.workflow.start(enrollmentId, trigger);
          dropNextWorkflowStart = false;
          throw new Error('injected: process died before StartExecution');
        },
      } satisfies WorkflowStarter,
    }),
  });
});
afterAll(() => baton?.stop());

const view = (id: string, as?: string) => baton.enrollment(id, as);
const pipeline = async (stuckDays = 7) => (await baton.api('GET', `/api/admin/pipeline?stuckDays=${stuckDays}`, { as: ADMIN })).body;
const partnerCounts = async () => Object.fromEntries((await pipeline()).providers.map((p: any) => [p.partnerId, p]));
const programCounts = async (programId: string) => (await pipeline()).programs.find((p: any) => p.programId === programId);
const stepItems = async (enrollmentId: string) =>
  (await baton.items()).filter((i) => i.entity === 'step' && i.enrollmentId === enrollmentId);
const delivery = async (partnerId: string, webhookId: string) =>
  (await baton.items()).find((i) => i.pk === `DELIVERY#${partnerId}#${webhookId}` && i.sk === 'DELIVERY')!;
/** Sends a partner completion and checks that it moved no step of the enrollment and no counter. */
async function completeMovingNothing(
  enrollmentId: string,
  partnerId: Parameters<TestBaton['complete']>[0],
  spec: Parameters<TestBaton['complete']>[1],
  webhookId: string,
) {
  const stepsBefore = await stepItems(enrollmentId);
  const countsBefore = await partnerCounts();
  const response = await baton.complete(partnerId, spec, { id: webhookId });
  await baton.drain();
  expect(await stepItems(enrollmentId)).toEqual(stepsBefore);
  expect(await partnerCounts()).toEqual(countsBefore);
  return response;
}
const inbox = async () => (await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN })).body.events.map((e: any) => e.webhookId);

describe('completing a program with optional steps still open', () => {
  let enrollmentId: string;
  let before: Record<string, any>;

  beforeAll(async () => {
    // HSI is required; JRI runs beside it and Milady comes after it, both optional.
    await saveProgram(baton, FIRST_AID_PLUS);
    before = await partnerCounts();
    const enrollment = await baton.enroll({
      studentEmail: 'olive.optional@example.org',
      studentName: 'Olive Optional',
      programId: 'first-aid-plus',
      partnerAccounts: { hsi: 'HSI-OPT', jri: 'JRI-OPT', milady: 'ML-OPT' },
    });
    enrollmentId = enrollment.id;
    expect(enrollment.steps.map((s: any) => s.status)).toEqual(['in_progress', 'in_progress', 'pending']);
    now += 10 * DAY_MS;
    expect((await baton.complete('hsi', { studentId: 'HSI-OPT', courseId: 'bls-cpr-aed' })).body).toEqual({ status: 'applied' });
  });

  it('completes the enrollment and closes the open optional steps as skipped, at the moment it completed', async () => {
    const after = await view(enrollmentId);

    expect(after.status).toBe('completed');
    expect(after.certificate.id).toBeDefined();
    expect(after.steps.map((s: any) => s.status)).toEqual(['completed', 'skipped', 'skipped']);
    expect(after.steps[1]).toMatchObject({ closedAt: after.completedAt, startedAt: expect.any(String) });
    expect(after.steps[2]).toMatchObject({ closedAt: after.completedAt });
    expect(after.steps[1]).not.toHaveProperty('completedAt');
    expect(after.steps[1]).not.toHaveProperty('launchUrl');
    expect(after.currentSteps).toEqual([]);
    expect(after.progress).toEqual({ completed: 1, total: 1, percent: 100 });
  });

  it('says so in the timeline, before the completion', async () => {
    const types = (await view(enrollmentId)).timeline.map((t: any) => `${t.type}: ${t.detail}`);

    expect(types).toEqual(
      expect.arrayContaining([
        'step_skipped: JRI: Work Readiness & Professional Skills skipped: optional, not taken before the program was completed',
        'step_skipped: Milady: Client Care skipped: optional, not taken before the program was completed',
      ]),
    );
    expect(types.findIndex((t: string) => t.startsWith('step_skipped'))).toBeLessThan(
      types.findIndex((t: string) => t.startsWith('enrollment_completed')),
    );
  });

  it('takes the skipped steps out of the in-progress index, the stuck list and the in-progress and pending counters', async () => {
    const items = await stepItems(enrollmentId);
    const counts = await partnerCounts();
    const stuck = (await pipeline(7)).stuck.map((s: any) => s.enrollmentId);

    expect(items.filter((i) => i.gsi2pk !== undefined)).toEqual([]);
    expect(stuck).not.toContain(enrollmentId);
    expect([counts.jri.in_progress, counts.jri.skipped]).toEqual([before.jri.in_progress, before.jri.skipped + 1]);
    expect([counts.milady.pending, counts.milady.skipped]).toEqual([before.milady.pending, before.milady.skipped + 1]);
    expect(await pipelineTotals(baton, ADMIN)).toEqual(truthFromItems(await baton.items()));
  });

  it('records a later completion of a skipped step as "ignored" and moves nothing', async () => {
    const late = await completeMovingNothing(
      enrollmentId,
      'jri',
      { studentId: 'JRI-OPT', courseId: 'work-readiness' },
      'msg_late_optional',
    );

    expect(late).toEqual({ status: 200, body: { status: 'ignored' } });
    const stored = await delivery('jri', 'msg_late_optional');
    expect(stored).toMatchObject({ outcome: 'ignored', reason: 'step_skipped', expiresAt: expect.any(Number) });
    expect(stored.gsi2pk).toBeUndefined();
    expect(await inbox()).not.toContain('msg_late_optional');
  });

  it('keeps a completion that matches a skipped step and a cancelled one waiting in the inbox: re-enrolling can still use it', async () => {
    // Barber's second step is the same JRI course; Olive starts it, then leaves.
    const barber = await baton.enroll({ studentEmail: 'olive.optional@example.org', programId: 'barber' });
    expect(
      (await baton.api('POST', `/api/admin/enrollments/${barber.id}/cancel`, { as: ADMIN, body: { reason: 'Moved away' } })).status,
    ).toBe(200);

    const late = await completeMovingNothing(
      barber.id,
      'jri',
      { studentId: 'JRI-OPT', courseId: 'work-readiness' },
      'msg_skipped_and_cancelled',
    );

    expect(late).toEqual({ status: 200, body: { status: 'unmatched' } });
    expect(await delivery('jri', 'msg_skipped_and_cancelled')).toMatchObject({ outcome: 'unmatched', reason: 'enrollment_cancelled' });
    expect(await inbox()).toContain('msg_skipped_and_cancelled');
  });
});

describe('cancelling an enrollment', () => {
  const email = 'carl.cancel@example.org';
  const accounts = { hsi: 'HSI-CAN', certiport: 'CP-CAN', careersafe: 'CS-CAN' };
  let enrollmentId: string;

  beforeAll(async () => {
    enrollmentId = (
      await baton.enroll({ studentEmail: email, studentName: 'Carl Cancel', programId: 'medical-assistant', partnerAccounts: accounts })
    ).id;
    expect((await baton.complete('hsi', { studentId: 'HSI-CAN', courseId: 'bls-cpr-aed' })).body).toEqual({ status: 'applied' });
    await baton.drain();
    now += 8 * DAY_MS;
  });

  it('refuses a cancellation without a reason, or with fields of its own, and writes nothing', async () => {
    const before = await baton.items();
    const noReason = await baton.api('POST', `/api/admin/enrollments/${enrollmentId}/cancel`, { as: ADMIN, body: {} });
    const extra = await baton.api('POST', `/api/admin/enrollments/${enrollmentId}/cancel`, {
      as: ADMIN,
      body: { reason: 'Moved away', status: 'completed' },
    });
    const missing = await baton.api('POST', '/api/admin/enrollments/00000000-0000-4000-8000-000000000000/cancel', {
      as: ADMIN,
      body: { reason: 'Moved away' },
    });
    const notAnId = await baton.api('POST', '/api/admin/enrollments/not-an-id/cancel', { as: ADMIN, body: { reason: 'Moved away' } });

    expect([noReason.status, noReason.body.error.message]).toEqual([400, expect.stringContaining('reason')]);
    expect([extra.status, extra.body.error.message]).toEqual([400, expect.stringContaining('status')]);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'ENROLLMENT_NOT_FOUND']);
    expect([notAnId.status, notAnId.body.error.message]).toEqual([404, 'no enrollment "not-an-id": enrollment ids are UUIDs']);
    expect(await baton.items()).toEqual(before);
  });

  it('cancels an active enrollment: open steps close as cancelled, who and why are recorded and shown to the student', async () => {
    expect((await pipeline(7)).stuck.map((s: any) => s.enrollmentId)).toContain(enrollmentId);
    const partnersBefore = await partnerCounts();
    const programBefore = await programCounts('medical-assistant');

    const response = await baton.api('POST', `/api/admin/enrollments/${enrollmentId}/cancel`, {
      as: ADMIN,
      body: { reason: '  Moved out of state  ' },
    });

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('cancelled');
    expect(response.body.cancellation).toEqual({ at: new Date(now).toISOString(), by: ADMIN, reason: 'Moved out of state' });
    expect(response.body.steps.map((s: any) => [s.status, s.closedAt])).toEqual([
      ['completed', undefined],
      ['cancelled', new Date(now).toISOString()],
      ['cancelled', new Date(now).toISOString()],
    ]);
    expect(response.body.currentSteps).toEqual([]);
    expect(response.body.progress).toEqual({ completed: 1, total: 3, percent: 33 });
    const student = await view(enrollmentId, email);
    expect(student.status).toBe('cancelled');
    expect(student.timeline.at(-1)).toEqual({
      at: new Date(now).toISOString(),
      type: 'enrollment_cancelled',
      detail: 'Enrollment cancelled by admin@test.com: Moved out of state',
    });

    const partners = await partnerCounts();
    expect([partners.certiport.in_progress, partners.certiport.cancelled]).toEqual([
      partnersBefore.certiport.in_progress - 1,
      partnersBefore.certiport.cancelled + 1,
    ]);
    expect([partners.careersafe.pending, partners.careersafe.cancelled]).toEqual([
      partnersBefore.careersafe.pending - 1,
      partnersBefore.careersafe.cancelled + 1,
    ]);
    expect(await programCounts('medical-assistant')).toMatchObject({
      total: programBefore.total,
      active: programBefore.active - 1,
      cancelled: programBefore.cancelled + 1,
      completed: programBefore.completed,
    });
    expect(await pipelineTotals(baton, ADMIN)).toEqual(truthFromItems(await baton.items()));
  });

  it('leaves nothing behind for the workflow or the stuck list, and releases the one-active-enrollment lock', async () => {
    const items = await baton.items();
    const enrollment = items.find((i) => i.entity === 'enrollment' && i.id === enrollmentId)!;

    expect(items.filter((i) => i.enrollmentId === enrollmentId && i.gsi2pk !== undefined)).toEqual([]);
    expect(enrollment.gsi2pk).toBeUndefined();
    expect(enrollment.advanceRequestedAt).toBeUndefined();
    expect(items.filter((i) => i.entity === 'activeEnrollment' && i.enrollmentId === enrollmentId)).toEqual([]);
    expect((await pipeline(7)).stuck.map((s: any) => s.enrollmentId)).not.toContain(enrollmentId);
  });

  it('refuses with 409 to cancel it again, to change its steps, or to cancel a completed enrollment, and writes nothing', async () => {
    const completed = await baton.enroll({
      studentEmail: 'cora.complete@example.org',
      programId: 'cdl',
      partnerAccounts: { jri: 'JRI-CORA' },
    });
    await baton.complete('jri', { studentId: 'JRI-CORA', courseId: 'cdl-entry-level-driver' });
    expect((await view(completed.id)).status).toBe('completed');
    const before = await baton.items();

    const again = await baton.api('POST', `/api/admin/enrollments/${enrollmentId}/cancel`, { as: ADMIN, body: { reason: 'Twice' } });
    const waive = await baton.api('POST', `/api/admin/enrollments/${enrollmentId}/steps/2/waive`, {
      as: ADMIN,
      body: { reason: 'Prior exam' },
    });
    const done = await baton.api('POST', `/api/admin/enrollments/${completed.id}/cancel`, { as: ADMIN, body: { reason: 'Too late' } });

    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      409,
      'ENROLLMENT_NOT_ACTIVE',
      'enrollment is cancelled; only an active enrollment can be cancelled',
    ]);
    expect([waive.status, waive.body.error.code]).toEqual([409, 'ENROLLMENT_NOT_ACTIVE']);
    expect([done.status, done.body.error.message]).toEqual([409, 'enrollment is completed; only an active enrollment can be cancelled']);
    expect(await baton.items()).toEqual(before);
  });

  it('refuses with 409 to cancel an enrollment whose required steps are all done, which then completes as usual', async () => {
    const finished = await baton.enroll({ studentEmail: 'fin.ished@example.org', programId: 'cdl', partnerAccounts: { jri: 'JRI-FIN' } });
    dropNextWorkflowStart = true;
    expect((await baton.complete('jri', { studentId: 'JRI-FIN', courseId: 'cdl-entry-level-driver' })).body).toEqual({ status: 'applied' });
    expect((await view(finished.id)).status).toBe('active');
    const before = await baton.items();

    const refused = await baton.api('POST', `/api/admin/enrollments/${finished.id}/cancel`, { as: ADMIN, body: { reason: 'Too late' } });

    expect([refused.status, refused.body.error.code]).toEqual([409, 'ENROLLMENT_COMPLETING']);
    expect(refused.body.error.message).toMatch(/^every required step is done/);
    expect(await baton.items()).toEqual(before);
    now += 61_000;
    expect(await baton.reconcile()).toMatchObject({ restarted: 1 });
    expect((await view(finished.id)).status).toBe('completed');
  });

  it('records a later partner completion for the cancelled enrollment in the inbox and changes nothing', async () => {
    const late = await completeMovingNothing(enrollmentId, 'certiport', { studentId: 'CP-CAN', courseId: 'mos-word' }, 'msg_after_cancel');

    expect(late).toEqual({ status: 200, body: { status: 'unmatched' } });
    const waiting = (await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN })).body.events.find(
      (e: any) => e.webhookId === 'msg_after_cancel',
    );
    expect(waiting).toMatchObject({ partnerId: 'certiport', reason: 'enrollment_cancelled', courseId: 'mos-word' });
  });

  it('lets the student be enrolled in the program again, which applies the completion that waited', async () => {
    const again = await baton.api('POST', '/api/enrollments', { as: ADMIN, body: { studentEmail: email, programId: 'medical-assistant' } });

    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(enrollmentId);
    const fresh = await view(again.body.id);
    expect(fresh.status).toBe('active');
    expect(fresh.steps.map((s: any) => s.status)).toEqual(['in_progress', 'completed', 'pending']);
    expect(await inbox()).not.toContain('msg_after_cancel');
    expect((await view(enrollmentId)).status).toBe('cancelled');
    expect(await programCounts('medical-assistant')).toMatchObject({ cancelled: 1 });
    expect(await pipelineTotals(baton, ADMIN)).toEqual(truthFromItems(await baton.items()));
  });
});

describe('dismissing an unmatched event', () => {
  const dismiss = (body: Record<string, unknown>) => baton.api('POST', '/api/admin/unmatched-events/dismiss', { as: ADMIN, body });
  let studentId: string;

  beforeAll(async () => {
    // Dina is enrolled in CDL only; HSI reports a course she has no step for.
    studentId = (await baton.enroll({ studentEmail: 'dina.dismiss@example.org', studentName: 'Dina Dismiss', programId: 'cdl' })).studentId;
    const event = await baton.complete(
      'hsi',
      { studentId: 'HSI-DINA', email: 'dina.dismiss@example.org', courseId: 'bls-cpr-aed' },
      { id: 'msg_no_step' },
    );
    expect(event.body).toEqual({ status: 'unmatched' });
    // Nobody has this account or email: the event waits under both.
    const unknown = await baton.complete(
      'hsi',
      { studentId: 'HSI-GHOST', email: 'ghost@example.org', courseId: 'bls-cpr-aed' },
      { id: 'msg_ghost' },
    );
    expect(unknown.body).toEqual({ status: 'unmatched' });
    expect(await inbox()).toEqual(expect.arrayContaining(['msg_no_step', 'msg_ghost']));
  });

  it('refuses a dismissal without a reason or for an event that does not exist, and writes nothing', async () => {
    const before = await baton.items();
    const noReason = await dismiss({ partnerId: 'hsi', webhookId: 'msg_no_step' });
    const badPartner = await dismiss({ partnerId: 'moodle', webhookId: 'msg_no_step', reason: 'Not ours' });
    const missing = await dismiss({ partnerId: 'hsi', webhookId: 'msg_never_sent', reason: 'Not ours' });

    expect([noReason.status, noReason.body.error.message]).toEqual([400, expect.stringContaining('reason')]);
    expect([badPartner.status, badPartner.body.error.message]).toEqual([400, expect.stringContaining('partnerId')]);
    expect([missing.status, missing.body.error.code, missing.body.error.message]).toEqual([
      404,
      'EVENT_NOT_FOUND',
      'no hsi event with webhook-id msg_never_sent',
    ]);
    expect(await baton.items()).toEqual(before);
  });

  it('settles the event as ignored with who and why, takes it out of the inbox, and lets it expire like any settled delivery', async () => {
    const response = await dismiss({
      partnerId: 'hsi',
      webhookId: 'msg_no_step',
      reason: 'She takes CPR elsewhere; not part of her program',
    });

    const at = new Date(now).toISOString();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      partnerId: 'hsi',
      webhookId: 'msg_no_step',
      outcome: 'ignored',
      reason: 'dismissed',
      dismissal: { at, by: ADMIN, reason: 'She takes CPR elsewhere; not part of her program' },
    });
    expect(await inbox()).not.toContain('msg_no_step');
    const stored = await delivery('hsi', 'msg_no_step');
    expect(stored).toMatchObject({
      outcome: 'ignored',
      reason: 'dismissed',
      resolvedAt: at,
      expiresAt: now / 1000 + RETENTION_SECONDS,
      studentId,
    });
    expect([stored.gsi1pk, stored.gsi2pk]).toEqual([undefined, undefined]);
  });

  it('refuses with 409 to dismiss it again, or to dismiss an event that was applied', async () => {
    const applied = (await baton.items()).find((i) => i.entity === 'delivery' && i.outcome === 'applied')!;
    const before = await baton.items();

    const again = await dismiss({ partnerId: 'hsi', webhookId: 'msg_no_step', reason: 'Twice' });
    const done = await dismiss({ partnerId: applied.partnerId, webhookId: applied.webhookId, reason: 'Too late' });

    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      409,
      'EVENT_ALREADY_SETTLED',
      'this event is no longer unmatched: it was dismissed by admin@test.com',
    ]);
    expect([done.status, done.body.error.message]).toEqual([
      409,
      "this event is no longer unmatched: it was applied to the student's step",
    ]);
    expect(await baton.items()).toEqual(before);
  });

  it('is never re-applied: not when the student is enrolled in a program with that course, not by the reconciler', async () => {
    const storedBefore = await delivery('hsi', 'msg_no_step');

    const enrollment = await baton.enroll({ studentEmail: 'dina.dismiss@example.org', programId: 'medical-assistant' });
    now += 10 * 60_000;
    await baton.reconcile();
    await baton.drain();

    expect((await view(enrollment.id)).steps.map((s: any) => s.status)).toEqual(['in_progress', 'pending', 'pending']);
    expect(await delivery('hsi', 'msg_no_step')).toEqual(storedBefore);
    expect(await baton.complete('hsi', { studentId: 'HSI-DINA', courseId: 'bls-cpr-aed' }, { id: 'msg_no_step' })).toEqual({
      status: 200,
      body: { status: 'duplicate' },
    });
  });

  it('also removes the entry that finds an event by its email, so enrolling that email later applies nothing', async () => {
    expect((await baton.items()).some((i) => i.pk === 'DELIVERY#hsi#msg_ghost' && i.sk === 'EMAIL')).toBe(true);

    const response = await dismiss({ partnerId: 'hsi', webhookId: 'msg_ghost', reason: 'Partner test account' });
    const enrollment = await baton.enroll({ studentEmail: 'ghost@example.org', programId: 'medical-assistant' });

    expect(response.status).toBe(200);
    expect((await baton.items()).filter((i) => i.pk === 'DELIVERY#hsi#msg_ghost').map((i) => [i.sk, i.outcome])).toEqual([
      ['DELIVERY', 'ignored'],
    ]);
    expect((await view(enrollment.id)).steps[0].status).toBe('in_progress');
    expect(await inbox()).not.toContain('msg_ghost');
  });

  it("is not re-applied when a lagging index still lists it as waiting: the delivery's own record decides", async () => {
    const student = await baton.enroll({ studentEmail: 'lena.lag@example.org', programId: 'cdl' });
    await baton.complete('hsi', { studentId: 'HSI-LENA', email: 'lena.lag@example.org', courseId: 'bls-cpr-aed' }, { id: 'msg_lagging' });
    const waiting = (await baton.ports.deliveries.get('hsi', 'msg_lagging'))!;
    expect(waiting).toMatchObject({ outcome: 'unmatched', studentId: student.studentId });
    expect((await dismiss({ partnerId: 'hsi', webhookId: 'msg_lagging', reason: 'Not part of her program' })).status).toBe(200);
    const dismissed = await delivery('hsi', 'msg_lagging');
    laggingIndex.push(waiting);

    const enrolled = await baton.api('POST', '/api/enrollments', {
      as: ADMIN,
      body: { studentEmail: 'lena.lag@example.org', programId: 'medical-assistant' },
    });

    expect(enrolled.status).toBe(201);
    expect((await view(enrolled.body.id)).steps.map((s: any) => s.status)).toEqual(['in_progress', 'pending', 'pending']);
    expect(await delivery('hsi', 'msg_lagging')).toEqual(dismissed);
  });

  it('answers a link that finds such a stale entry with "duplicate": the event was settled already, nothing was applied', async () => {
    const student = await baton.enroll({ studentEmail: 'lars.lag@example.org', programId: 'medical-assistant' });
    await baton.complete('hsi', { studentId: 'HSI-LARS', courseId: 'bls-cpr-aed' }, { id: 'msg_lagging_link' });
    const waiting = (await baton.ports.deliveries.get('hsi', 'msg_lagging_link'))!;
    expect(waiting).toMatchObject({ outcome: 'unmatched', reason: 'unknown_student' });
    expect((await dismiss({ partnerId: 'hsi', webhookId: 'msg_lagging_link', reason: 'Sent to the wrong provider' })).status).toBe(200);
    const dismissed = await delivery('hsi', 'msg_lagging_link');
    laggingIndex.push(waiting);

    const linked = await baton.api('POST', '/api/admin/partner-accounts', {
      as: ADMIN,
      body: { partnerId: 'hsi', externalId: 'HSI-LARS', studentEmail: 'lars.lag@example.org' },
    });

    expect(linked.status).toBe(200);
    expect(linked.body.reapplied).toEqual([
      { status: 'duplicate', reason: 'already_settled', partnerId: 'hsi', webhookId: 'msg_lagging_link' },
    ]);
    expect((await view(student.id)).steps.map((s: any) => s.status)).toEqual(['in_progress', 'pending', 'pending']);
    expect(await delivery('hsi', 'msg_lagging_link')).toEqual(dismissed);
  });
});
