// The unmatched inbox's count (what the navigation shows) is a counter moved by the writes that
// fill and empty the inbox, so it always equals the inbox: a new unmatched event, a duplicate of
// it, one applied by linking the account, one dismissed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

const count = async () => (await baton.api('GET', '/api/admin/unmatched-events/count', { as: ADMIN })).body.count as number;
const inbox = async () => (await baton.api('GET', '/api/admin/unmatched-events?limit=100', { as: ADMIN })).body.events.length as number;

it('counts the inbox exactly as events arrive, repeat, are applied and are dismissed', async () => {
  expect(await count()).toBe(0);
  await baton.enroll({ studentEmail: 'counted@example.org', programId: 'medical-assistant' });
  await baton.complete('hsi', { studentId: 'HSI-COUNTED', courseId: 'bls-cpr-aed' }, { id: 'msg_count_1' });
  await baton.complete('hsi', { studentId: 'HSI-COUNTED', courseId: 'bls-cpr-aed' }, { id: 'msg_count_1' });
  await baton.complete('jri', { studentId: 'JRI-NOBODY', courseId: 'work-readiness' }, { id: 'msg_count_2' });
  expect([await count(), await inbox()]).toEqual([2, 2]);
  const linked = await baton.api('POST', '/api/admin/partner-accounts', {
    as: ADMIN,
    body: { partnerId: 'hsi', externalId: 'HSI-COUNTED', studentEmail: 'counted@example.org' },
  });
  expect(linked.status).toBe(200);
  await baton.drain();
  expect([await count(), await inbox()]).toEqual([1, 1]);
  const dismissed = await baton.api('POST', '/api/admin/unmatched-events/dismiss', {
    as: ADMIN,
    body: { partnerId: 'jri', webhookId: 'msg_count_2', reason: 'A test account of the partner' },
  });
  expect(dismissed.status).toBe(200);
  expect([await count(), await inbox()]).toEqual([0, 0]);
  expect((await baton.api('GET', '/api/admin/unmatched-events/count', { as: 'viewer@test.com' })).status).toBe(200);
});
