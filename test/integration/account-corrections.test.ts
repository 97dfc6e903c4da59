// Partner accounts that can be corrected (the security finding: one event with the wrong email
// linked an account to the wrong student for good). An event whose account and email name two
// different students waits for review instead of crediting anyone; an admin moves the account to
// the right student, sees what was applied under it, re-applies it to the new student and
// reverts it for the old one, each with a reason on the timeline; unlinking is recorded too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

const statuses = async (id: string) => (await baton.enrollment(id)).steps.map((s: any) => s.status);
const inbox = async () => (await baton.api('GET', '/api/admin/unmatched-events', { as: ADMIN })).body.events;

describe('an event that names two different students', () => {
  it('waits for review when its linked account belongs to one student and its email to another', async () => {
    const kim = await baton.enroll({
      studentEmail: 'kim@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-KIM' },
    });
    const lee = await baton.enroll({ studentEmail: 'lee@example.org', programId: 'medical-assistant' });

    const response = await baton.complete(
      'hsi',
      { studentId: 'HSI-KIM', email: 'lee@example.org', courseId: 'bls-cpr-aed' },
      { id: 'msg_conflict_1' },
    );

    expect(response.body).toEqual({ status: 'unmatched' });
    expect(await statuses(kim.id)).toEqual(['in_progress', 'pending', 'pending']);
    expect(await statuses(lee.id)).toEqual(['in_progress', 'pending', 'pending']);
    expect((await inbox()).find((e: any) => e.webhookId === 'msg_conflict_1')).toMatchObject({ reason: 'account_conflict' });
  });

  it('waits for review when its email names a student who holds a different account at that partner', async () => {
    const ana = await baton.enroll({
      studentEmail: 'ana@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-ANA' },
    });

    const response = await baton.complete(
      'hsi',
      { studentId: 'HSI-STRANGER', email: 'ana@example.org', courseId: 'bls-cpr-aed' },
      { id: 'msg_other_account' },
    );

    expect(response.body).toEqual({ status: 'unmatched' });
    expect(await statuses(ana.id)).toEqual(['in_progress', 'pending', 'pending']);
    expect((await inbox()).find((e: any) => e.webhookId === 'msg_other_account')).toMatchObject({ reason: 'other_account' });
    // Nothing was linked: HSI-STRANGER still belongs to nobody.
    expect((await baton.items()).some((i) => i.pk === 'ACCOUNT#hsi#HSI-STRANGER')).toBe(false);
  });
});

describe('moving an account to the right student', () => {
  it('lists what was applied under it, applies the waiting review, and lets the admin re-apply and revert each with a reason', async () => {
    // Ben's HSI completion was sent with Cara's email, before anyone knew: it linked Ben's account to Cara.
    const cara = await baton.enroll({ studentEmail: 'cara@example.org', programId: 'medical-assistant' });
    const ben = await baton.enroll({ studentEmail: 'ben@example.org', programId: 'medical-assistant' });
    expect(
      (await baton.complete('hsi', { studentId: 'HSI-BEN', email: 'cara@example.org', courseId: 'bls-cpr-aed' }, { id: 'msg_wrong_1' }))
        .body,
    ).toEqual({
      status: 'applied',
    });
    expect(await statuses(cara.id)).toEqual(['completed', 'in_progress', 'pending']);
    // A later event with Ben's own email now names two students: it waits.
    expect(
      (await baton.complete('hsi', { studentId: 'HSI-BEN', email: 'ben@example.org', courseId: 'bls-cpr-aed' }, { id: 'msg_right_1' }))
        .body,
    ).toEqual({
      status: 'unmatched',
    });

    const moved = await baton.api('POST', '/api/admin/partner-accounts/hsi/HSI-BEN/move', {
      as: ADMIN,
      body: { studentEmail: 'ben@example.org', reason: 'HSI confirmed HSI-BEN is Ben Okoye' },
    });

    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      partnerId: 'hsi',
      externalId: 'HSI-BEN',
      from: { studentId: cara.studentId, email: 'cara@example.org' },
      to: { studentId: ben.studentId, email: 'ben@example.org' },
      applied: [{ webhookId: 'msg_wrong_1', enrollmentId: cara.id, stepIndex: 0, sequence: 1, programName: 'Medical Assistant' }],
    });
    // The event waiting for review now matches: Ben's step completes.
    expect(moved.body.reapplied).toEqual([expect.objectContaining({ webhookId: 'msg_right_1', status: 'applied' })]);
    expect(await statuses(ben.id)).toEqual(['completed', 'in_progress', 'pending']);
    // Re-applying the wrongly credited event to Ben changes nothing more (his step is done): a duplicate stays a duplicate.
    const reapplied = await baton.api('POST', '/api/admin/partner-accounts/hsi/HSI-BEN/reapply', {
      as: ADMIN,
      body: { webhookId: 'msg_wrong_1', reason: 'It was Ben’s completion' },
    });
    expect(reapplied.body).toEqual({ status: 'duplicate', reason: 'already_completed' });

    // Revert Cara's step: in progress again, the reason on her timeline.
    const reopened = await baton.api('POST', `/api/admin/enrollments/${cara.id}/steps/1/reopen`, {
      as: ADMIN,
      body: { reason: 'Completed by Ben, not Cara (account moved)', partnerId: 'hsi' },
    });
    expect(reopened.status).toBe(200);
    expect(await statuses(cara.id)).toEqual(['in_progress', 'in_progress', 'pending']);
    const caraView = await baton.enrollment(cara.id);
    expect(caraView.timeline.map((t: any) => t.detail)).toContainEqual(
      'HSI: BLS, CPR, AED & First Aid reopened by admin@test.com: Completed by Ben, not Cara (account moved)',
    );
    expect(caraView.partnerAccounts).toEqual([]);
    expect(caraView.accountHistory).toEqual([
      expect.objectContaining({
        type: 'moved_out',
        partnerId: 'hsi',
        externalId: 'HSI-BEN',
        by: ADMIN,
        reason: 'HSI confirmed HSI-BEN is Ben Okoye',
        otherStudentId: ben.studentId,
      }),
    ]);
    const benView = await baton.enrollment(ben.id);
    expect(benView.partnerAccounts).toEqual([{ partnerId: 'hsi', partnerName: 'HSI', externalId: 'HSI-BEN' }]);
    expect(benView.accountHistory).toEqual([expect.objectContaining({ type: 'moved_in', otherStudentId: cara.studentId })]);
    // A student never sees the account history.
    expect(await baton.enrollment(ben.id, 'ben@example.org')).not.toHaveProperty('accountHistory');
  });

  it('re-applies an event to the new owner when the step is still open there', async () => {
    const dee = await baton.enroll({ studentEmail: 'dee@example.org', programId: 'cna' });
    const eli = await baton.enroll({ studentEmail: 'eli@example.org', programId: 'cna' });
    await baton.complete('hsi', { studentId: 'HSI-ELI', email: 'dee@example.org', courseId: 'bls-cpr-aed' }, { id: 'msg_eli_1' });
    await baton.api('POST', '/api/admin/partner-accounts/hsi/HSI-ELI/move', {
      as: ADMIN,
      body: { studentEmail: 'eli@example.org', reason: 'Eli’s account' },
    });

    const reapplied = await baton.api('POST', '/api/admin/partner-accounts/hsi/HSI-ELI/reapply', {
      as: ADMIN,
      body: { webhookId: 'msg_eli_1', reason: 'It was Eli’s completion' },
    });

    expect(reapplied.body).toEqual({ status: 'applied', appliedTo: [{ enrollmentId: eli.id, stepIndex: 0 }] });
    expect(await statuses(eli.id)).toEqual(['completed', 'in_progress']);
    const stored = await baton.api('GET', '/api/admin/partners/hsi/deliveries/msg_eli_1', { as: ADMIN });
    expect(stored.body).toMatchObject({ studentId: eli.studentId, appliedTo: [{ enrollmentId: eli.id, stepIndex: 0 }] });
    expect(await statuses(dee.id)).toEqual(['completed', 'in_progress']);
  });

  it('refuses a move to a student who holds another account at the partner, and a reopen of a step that is not completed', async () => {
    await baton.enroll({ studentEmail: 'fay@example.org', programId: 'cna', partnerAccounts: { hsi: 'HSI-FAY' } });
    const gus = await baton.enroll({ studentEmail: 'gus@example.org', programId: 'cna', partnerAccounts: { hsi: 'HSI-GUS' } });
    const before = await baton.items();
    const move = await baton.api('POST', '/api/admin/partner-accounts/hsi/HSI-FAY/move', {
      as: ADMIN,
      body: { studentEmail: 'gus@example.org', reason: 'test' },
    });
    expect([move.status, move.body.error.code, move.body.error.message]).toEqual([
      409,
      'PARTNER_ACCOUNT_TAKEN',
      'gus@example.org already has hsi account HSI-GUS; unlink it first',
    ]);
    const reopen = await baton.api('POST', `/api/admin/enrollments/${gus.id}/steps/1/reopen`, { as: ADMIN, body: { reason: 'test' } });
    expect([reopen.status, reopen.body.error.code]).toEqual([409, 'STEP_NOT_DONE']);
    const unknown = await baton.api('DELETE', '/api/admin/partner-accounts/hsi/HSI-NOBODY', { as: ADMIN, body: { reason: 'test' } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'ACCOUNT_NOT_FOUND']);
    expect(await baton.items()).toEqual(before);
  });
});

describe('unlinking', () => {
  it('removes the account from its student with a recorded reason, so the next event waits instead of crediting them', async () => {
    const hal = await baton.enroll({
      studentEmail: 'hal@example.org',
      programId: 'medical-assistant',
      partnerAccounts: { hsi: 'HSI-HAL' },
    });
    const unlinked = await baton.api('DELETE', '/api/admin/partner-accounts/hsi/HSI-HAL', {
      as: ADMIN,
      body: { reason: 'Not Hal’s account' },
    });
    expect(unlinked.body).toMatchObject({ partnerId: 'hsi', externalId: 'HSI-HAL', studentId: hal.studentId });

    expect((await baton.complete('hsi', { studentId: 'HSI-HAL', courseId: 'bls-cpr-aed' })).body).toEqual({ status: 'unmatched' });
    const view = await baton.enrollment(hal.id);
    expect(view.steps[0].status).toBe('in_progress');
    expect(view.partnerAccounts).toEqual([]);
    expect(view.accountHistory).toEqual([
      expect.objectContaining({ type: 'unlinked', externalId: 'HSI-HAL', reason: 'Not Hal’s account', by: ADMIN }),
    ]);
  });
});
