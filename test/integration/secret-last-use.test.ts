// A secret's "last used" costs no write per webhook: the webhook function records it at most once
// per secret and hour (a conditional write), so a second delivery within the hour leaves the
// partner record untouched, and one after the hour moves the time on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionBody, signHmac } from '../../local/partner-webhook-client.js';
import { createSecret, post, putPartner } from '../support/partners.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
let secret: { secretId: string; secret: string };
const MINUTE = 60_000;

beforeAll(async () => {
  baton = await startTestBaton();
  await putPartner(baton, 'busy-lms', {
    name: 'Busy LMS',
    webhook: { verification: { scheme: 'hmac-sha256', header: 'X-Signature', encoding: 'hex' }, format: 'baton' },
  });
  secret = await createSecret(baton, 'busy-lms');
});
afterAll(() => baton?.stop());

const deliver = (student: string) =>
  post(
    baton,
    'busy-lms',
    signHmac({
      secret: secret.secret,
      body: completionBody({ event: 'course.completed', studentId: student, courseId: 'bls-cpr-aed' }),
      header: 'X-Signature',
      encoding: 'hex',
    }),
  );
const partnerRecord = async () =>
  (await baton.items()).find((item) => item.pk === 'PARTNERS' && item.sk === 'PARTNER#busy-lms') as {
    secretsLastUsed: Record<string, string>;
  };

describe("a secret's last use", () => {
  it('is written on the first delivery, not again within the hour, and again after it', async () => {
    expect((await deliver('BUSY-1')).status).toBe(200);
    const first = (await partnerRecord()).secretsLastUsed[secret.secretId];
    expect(first).toBe(
      (await baton.api('GET', '/api/admin/partners/busy-lms', { as: ADMIN })).body.secrets.find(
        (s: { secretId: string }) => s.secretId === secret.secretId,
      ).lastUsedAt,
    );

    await baton.advanceClock(30 * MINUTE);
    const before = await partnerRecord();
    expect((await deliver('BUSY-2')).status).toBe(200);
    expect(await partnerRecord()).toEqual(before);

    await baton.advanceClock(31 * MINUTE);
    expect((await deliver('BUSY-3')).status).toBe(200);
    const later = (await partnerRecord()).secretsLastUsed[secret.secretId]!;
    expect(Date.parse(later) - Date.parse(first!)).toBeGreaterThanOrEqual(61 * MINUTE);
  });
});
