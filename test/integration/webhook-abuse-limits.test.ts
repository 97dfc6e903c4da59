// Per-partner abuse limits in the webhook function (issue #10, item 8): unsigned junk aimed at one
// partner's URL drains that partner's bucket only. Once it is empty the URL is answered 429 with
// Retry-After before any read or verification, nothing is written, and every other partner's
// deliveries are served as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionBody } from '../../local/partner-webhook-client.js';
import { putPartner } from '../support/partners.js';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;

beforeAll(async () => {
  baton = await startTestBaton();
  await putPartner(baton, 'flooded', {
    name: 'Flooded LMS',
    webhook: { verification: { scheme: 'hmac-sha256', header: 'X-Signature', encoding: 'hex' }, format: 'baton' },
  });
});
afterAll(() => baton?.stop());

const junk = () =>
  fetch(`${baton.url}/api/webhooks/partners/flooded`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': '00' },
    body: '{"junk":true}',
  });

describe('junk aimed at one partner’s webhook URL', () => {
  it('is refused with 429 once that partner’s budget is used up, writes nothing, and leaves other partners served', async () => {
    const before = await baton.items();
    const statuses: number[] = [];
    let limited: Response | undefined;
    // The bucket refills in real time (1 a second), so send until it is empty rather than an exact count.
    for (let i = 0; i < 200 && !limited; i++) {
      const response = await junk();
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(limited, `statuses: ${statuses.join(' ')}`).toBeDefined();
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(limited!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(((await limited!.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('other partners are not affected'),
    });
    expect(await baton.items()).toEqual(before);

    // Another partner, at the same moment: verified and stored as usual.
    const other = await baton.webhook('hsi', completionBody({ event: 'course.completed', studentId: 'HSI-404', courseId: 'bls-cpr-aed' }));
    expect(other).toEqual({ status: 200, body: { status: 'unmatched' } });
  });
});
