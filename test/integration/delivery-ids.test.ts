// Deduplication works for every scheme because every delivery has an id: from a header the partner
// names (LearnHouse's X-Webhook-Delivery), or, when the partner sends none, the SHA-256 of the
// verified raw body (an identical resend is a duplicate). And `npm run partner` signs the way a
// non-standard partner is configured, as README's onboarding shows.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionBody, signHmac, signToken } from '../../local/partner-webhook-client.js';
import { createSecret, post, putPartner } from '../support/partners.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
const secrets: Record<string, string> = {};
const body = (student: string) => completionBody({ event: 'course.completed', studentId: student, courseId: 'bls-cpr-aed' });
const log = async (partnerId: string) =>
  (await baton.api('GET', `/api/admin/partners/${partnerId}/deliveries`, { as: ADMIN })).body.deliveries as Array<{
    webhookId: string;
    outcome: string;
  }>;

beforeAll(async () => {
  baton = await startTestBaton();
  await putPartner(baton, 'token-derived', {
    name: 'Token LMS',
    webhook: { verification: { scheme: 'token', header: 'X-Webhook-Token' }, format: 'baton' },
  });
  await putPartner(baton, 'learnhouse-style', {
    name: 'LearnHouse-style LMS',
    webhook: {
      verification: { scheme: 'hmac-sha256', header: 'X-Webhook-Signature', encoding: 'hex', prefix: 'sha256=' },
      deliveryId: { header: 'X-Webhook-Delivery' },
      format: 'baton',
    },
  });
  for (const id of ['token-derived', 'learnhouse-style']) secrets[id] = (await createSecret(baton, id)).secret;
});
afterAll(() => baton?.stop());

describe('delivery ids', () => {
  it('derives the id from the raw body when the partner sends none, so an identical resend is a duplicate', async () => {
    const raw = body('TOK-1');
    const request = signToken({ secret: secrets['token-derived']!, body: raw, header: 'X-Webhook-Token' });
    expect((await post(baton, 'token-derived', request)).body).toEqual({ status: 'unmatched' });
    expect((await post(baton, 'token-derived', request)).body).toEqual({ status: 'duplicate' });
    const other = signToken({ secret: secrets['token-derived']!, body: body('TOK-2'), header: 'X-Webhook-Token' });
    expect((await post(baton, 'token-derived', other)).body).toEqual({ status: 'unmatched' });

    const ids = (await log('token-derived')).map((d) => d.webhookId);
    expect(ids).toHaveLength(2);
    expect(ids).toContain(`sha256:${createHash('sha256').update(raw, 'utf8').digest('hex')}`);
  });

  it('takes the id from the configured header, deduplicates on it, and refuses a delivery without it (nothing written)', async () => {
    const sign = (raw: string, delivery?: string) =>
      signHmac({
        secret: secrets['learnhouse-style']!,
        body: raw,
        header: 'X-Webhook-Signature',
        encoding: 'hex',
        prefix: 'sha256=',
        ...(delivery ? { headers: { 'x-webhook-delivery': delivery } } : {}),
      });
    expect((await post(baton, 'learnhouse-style', sign(body('LH-1'), 'dlv-1'))).body).toEqual({ status: 'unmatched' });
    // A retry of the same delivery (the same id), even re-serialized: a duplicate.
    expect((await post(baton, 'learnhouse-style', sign(`${body('LH-1')} `, 'dlv-1'))).body).toEqual({ status: 'duplicate' });
    expect((await log('learnhouse-style')).map((d) => d.webhookId)).toEqual(['dlv-1']);

    const before = await baton.items();
    const missing = await post(baton, 'learnhouse-style', sign(body('LH-2')));
    expect([missing.status, missing.body.error.message]).toEqual([400, expect.stringContaining('missing x-webhook-delivery header')]);
    expect(await baton.items()).toEqual(before);
  });
});

describe('npm run partner with another scheme', () => {
  it('signs an HMAC-hex delivery with a prefix and a delivery id header, as the partner is configured', async () => {
    const run = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'local/partner-cli.ts',
          'learnhouse-style',
          ...args,
          '--url',
          baton.url,
          '--secret',
          secrets['learnhouse-style']!,
        ],
        { env: { ...process.env, DATA_DIR: '/nonexistent' } },
      );
    const args = [
      '--scheme',
      'hmac-sha256',
      '--header',
      'X-Webhook-Signature',
      '--prefix',
      'sha256=',
      '--set',
      'X-Webhook-Delivery=dlv-cli',
    ];
    const sent = await run('course.completed', '--student', 'LH-CLI', '--course', 'bls-cpr-aed', ...args);
    expect(sent.stdout).toContain('→ 200 {"status":"unmatched"}');
    const again = await run('--body', body('LH-CLI'), ...args);
    expect(again.stdout).toContain('→ 200 {"status":"duplicate"}');
    expect((await log('learnhouse-style')).map((d) => d.webhookId)).toContain('dlv-cli');
  }, 60_000);
});
