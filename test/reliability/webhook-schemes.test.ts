// Every verification scheme a partner can be configured with, against the Standard Webhooks-style
// case set: valid, signed with the older of two active secrets (rotation), tampered, wrong secret,
// another partner's secret, stale and future timestamps where the scheme has one, and missing
// headers. Partners and secrets are created through the admin API; every rejection must be a 401
// that says why and writes nothing (a consistent scan of the table before and after).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKeySets } from '../../functions/adapters/remote-key-sets.js';
import { completionBody, signHmac, signToken } from '../../local/partner-webhook-client.js';
import { createSecret, post, putPartner, startKeySetServer, type KeySetServer } from '../support/partners.js';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';
import { recordFigure } from './support/figures.js';
import { plural } from './support/probes.js';

let baton: TestBaton;
let jwks: KeySetServer;
const secrets: Record<string, { old: string; current: string }> = {};
let jwtKeys: { old: Awaited<ReturnType<KeySetServer['addKey']>>; current: Awaited<ReturnType<KeySetServer['addKey']>> };
let otherJwtKey: Awaited<ReturnType<KeySetServer['addKey']>>;

const MINUTE = 60_000;
const HMAC_HEX = { scheme: 'hmac-sha256', header: 'X-Signature', encoding: 'hex' } as const;
const HMAC_TIMED = {
  scheme: 'hmac-sha256',
  header: 'X-Webhook-Signature',
  encoding: 'base64',
  prefix: 'sha256=',
  signedContent: 'timestamp.body',
  timestampHeader: 'X-Webhook-Timestamp',
  toleranceSeconds: 300,
} as const;
const TOKEN = { scheme: 'token', header: 'X-Webhook-Token', prefix: 'v1=' } as const;

beforeAll(async () => {
  jwks = await startKeySetServer();
  // No cool-down between key set fetches, so a key published mid-test is picked up at once.
  baton = await startTestBaton({ decorate: () => ({ keySets: new RemoteKeySets({ cooldownMs: 0 }) }) });
  for (const [id, verification] of [
    ['hmac-hex', HMAC_HEX],
    ['hmac-timed', HMAC_TIMED],
    ['token-partner', TOKEN],
  ] as const) {
    await putPartner(baton, id, { name: id, webhook: { verification, format: 'baton' } });
    const old = (await createSecret(baton, id)).secret;
    secrets[id] = { old, current: (await createSecret(baton, id)).secret };
  }
  jwtKeys = { old: await jwks.addKey(), current: await jwks.addKey() };
  otherJwtKey = await (await startKeySetServer()).addKey();
  await putPartner(baton, 'jwt-partner', {
    name: 'JWT partner',
    webhook: { verification: { scheme: 'jwt', jwksUrl: jwks.url }, format: 'baton' },
  });
}, 60_000);
afterAll(async () => {
  await baton?.stop();
  await jwks?.close();
});

const body = (student = 'NOBODY-1') => completionBody({ event: 'course.completed', studentId: student, courseId: 'bls-cpr-aed' });
const without = (request: { headers: Record<string, string>; body: string }, header: string) => ({
  ...request,
  headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== header.toLowerCase())),
});
const tampered = (request: { headers: Record<string, string>; body: string }) => ({ ...request, body: body('SOMEONE-ELSE') });
const random = () => randomBytes(32).toString('base64url');

interface Case {
  scheme: string;
  name: string;
  partner: string;
  request: () => Promise<{ headers: Record<string, string>; body: string }> | { headers: Record<string, string>; body: string };
  status: number;
  says?: string;
}

function hmacCases(partner: string, config: typeof HMAC_HEX | typeof HMAC_TIMED, timed: boolean): Case[] {
  const sign = (secret: string, options: { at?: Date; raw?: string } = {}) =>
    signHmac({
      secret,
      body: options.raw ?? body(),
      header: config.header,
      encoding: config.encoding,
      ...('prefix' in config ? { prefix: config.prefix } : {}),
      ...(timed ? { timestampHeader: HMAC_TIMED.timestampHeader, timestamp: options.at ?? new Date() } : {}),
    });
  const scheme = `hmac-sha256 (${config.encoding}${timed ? ', timestamp.body' : ''})`;
  return [
    { scheme, name: 'valid', partner, request: () => sign(secrets[partner]!.current), status: 200 },
    { scheme, name: 'rotated: the older of two secrets', partner, request: () => sign(secrets[partner]!.old), status: 200 },
    {
      scheme,
      name: 'tampered body',
      partner,
      request: () => tampered(sign(secrets[partner]!.current)),
      status: 401,
      says: 'signature matches',
    },
    { scheme, name: 'wrong secret', partner, request: () => sign(random()), status: 401, says: 'signature matches' },
    {
      scheme,
      name: "another partner's secret",
      partner,
      request: () => sign(secrets[partner === 'hmac-hex' ? 'hmac-timed' : 'hmac-hex']!.current),
      status: 401,
      says: 'signature matches',
    },
    {
      scheme,
      name: 'missing signature header',
      partner,
      request: () => without(sign(secrets[partner]!.current), config.header),
      status: 401,
      says: 'missing',
    },
    ...(timed
      ? [
          {
            scheme,
            name: 'stale timestamp (6 minutes old)',
            partner,
            request: () => sign(secrets[partner]!.current, { at: new Date(Date.now() - 6 * MINUTE) }),
            status: 401,
            says: 'seconds old',
          },
          {
            scheme,
            name: 'future timestamp (6 minutes ahead)',
            partner,
            request: () => sign(secrets[partner]!.current, { at: new Date(Date.now() + 6 * MINUTE) }),
            status: 401,
            says: 'in the future',
          },
          {
            scheme,
            name: 'missing timestamp header',
            partner,
            request: () => without(sign(secrets[partner]!.current), HMAC_TIMED.timestampHeader),
            status: 401,
            says: 'missing',
          },
        ]
      : []),
  ];
}

const tokenCases: Case[] = (() => {
  const send = (secret: string) => signToken({ secret, body: body(), header: TOKEN.header, prefix: TOKEN.prefix });
  const scheme = 'token';
  const partner = 'token-partner';
  return [
    { scheme, name: 'valid', partner, request: () => send(secrets[partner]!.current), status: 200 },
    { scheme, name: 'rotated: the older of two tokens', partner, request: () => send(secrets[partner]!.old), status: 200 },
    { scheme, name: 'wrong token', partner, request: () => send(random()), status: 401, says: 'does not match' },
    {
      scheme,
      name: "another partner's secret",
      partner,
      request: () => send(secrets['hmac-hex']!.current),
      status: 401,
      says: 'does not match',
    },
    {
      scheme,
      name: 'token without its prefix',
      partner,
      request: () => signToken({ secret: secrets[partner]!.current, body: body(), header: TOKEN.header }),
      status: 401,
      says: 'must start with "v1="',
    },
    {
      scheme,
      name: 'missing token header',
      partner,
      request: () => without(send(secrets[partner]!.current), TOKEN.header),
      status: 401,
      says: 'missing',
    },
  ];
})();

const jwtCases: Case[] = (() => {
  const scheme = 'jwt';
  const partner = 'jwt-partner';
  const jws = async (
    key: typeof otherJwtKey,
    payload: Record<string, unknown> = JSON.parse(body()),
    options: { issuedAt?: Date } = {},
  ) => ({
    headers: { 'content-type': 'application/jwt' },
    body: await jwks.sign(key, payload, options),
  });
  return [
    { scheme, name: 'valid', partner, request: () => jws(jwtKeys.current), status: 200 },
    { scheme, name: 'rotated: signed with the older of two published keys', partner, request: () => jws(jwtKeys.old), status: 200 },
    {
      scheme,
      name: 'rotated: a key published after the key set was cached',
      partner,
      request: async () => jws(await jwks.addKey()),
      status: 200,
    },
    {
      scheme,
      name: 'tampered payload',
      partner,
      request: async () => {
        const signed = await jws(jwtKeys.current);
        const [header, , signature] = signed.body.split('.');
        const forged = Buffer.from(body('SOMEONE-ELSE')).toString('base64url');
        return { ...signed, body: `${header}.${forged}.${signature}` };
      },
      status: 401,
      says: 'signature does not match',
    },
    { scheme, name: 'wrong key (not in the JWKS)', partner, request: () => jws(otherJwtKey), status: 401, says: 'no key' },
    {
      scheme,
      name: "another partner's key (its kid, a different key)",
      partner,
      request: async () => {
        const impostor = await (await startKeySetServer()).addKey();
        return jws({ ...impostor, kid: jwtKeys.current.kid });
      },
      status: 401,
      says: 'signature does not match',
    },
    {
      scheme,
      name: 'stale token (issued 6 minutes ago)',
      partner,
      request: () => jws(jwtKeys.current, undefined, { issuedAt: new Date(Date.now() - 6 * MINUTE) }),
      status: 401,
      says: 'more than 5 minutes ago',
    },
    {
      scheme,
      name: 'future token (issued 6 minutes ahead)',
      partner,
      request: () => jws(jwtKeys.current, undefined, { issuedAt: new Date(Date.now() + 6 * MINUTE) }),
      status: 401,
      says: 'in the future',
    },
    {
      scheme,
      name: 'missing JWS (a plain JSON body)',
      partner,
      request: () => ({ headers: { 'content-type': 'application/json' }, body: body() }),
      status: 401,
      says: 'not a signed JWT',
    },
  ];
})();

const allCases = () => [
  ...hmacCases('hmac-hex', HMAC_HEX, false),
  ...hmacCases('hmac-timed', HMAC_TIMED, true),
  ...tokenCases,
  ...jwtCases,
];

describe('every verification scheme against the case set', () => {
  it('accepts valid and rotated deliveries and refuses the rest with a 401 that says why and writes nothing', async () => {
    const results: Array<Case & { response: { status: number; body: any }; wrote: boolean }> = [];
    for (const c of allCases()) {
      const request = await c.request();
      const before = JSON.stringify(await baton.items());
      const response = await post(baton, c.partner, request);
      const wrote = JSON.stringify(await baton.items()) !== before;
      results.push({ ...c, response, wrote });
      expect.soft(response.status, `${c.scheme}: ${c.name}: ${JSON.stringify(response.body)}`).toBe(c.status);
      if (c.says) expect.soft(response.body.error?.message, `${c.scheme}: ${c.name}`).toContain(c.says);
      if (c.status !== 200) expect.soft(wrote, `${c.scheme}: ${c.name} wrote to the table`).toBe(false);
      else expect.soft(response.body.status, `${c.scheme}: ${c.name}`).toBe('unmatched');
    }
    const schemes = [...new Set(results.map((r) => r.scheme))];
    recordFigure(
      'scheme-cases',
      `${results.length} cases over ${schemes.length} configured schemes (${schemes
        .map((scheme) => {
          const of = results.filter((r) => r.scheme === scheme);
          return `${scheme}: ${of.filter((r) => r.response.status === 200).length} accepted, ${of.filter((r) => r.response.status === 401).length} refused`;
        })
        .join('; ')}); ${plural(results.filter((r) => r.status !== 200 && r.wrote).length, 'rejection')} wrote anything.`,
    );
  }, 60_000);

  it('refuses a partner without any secret yet, saying so', async () => {
    await putPartner(baton, 'no-secret', { name: 'No secret yet', webhook: { verification: HMAC_HEX, format: 'baton' } });
    const before = JSON.stringify(await baton.items());
    const response = await post(baton, 'no-secret', signHmac({ secret: random(), body: body(), header: 'X-Signature', encoding: 'hex' }));
    expect([response.status, response.body.error.message]).toEqual([
      401,
      "no x-signature signature matches this partner's secret (this partner has no webhook secret yet: an admin creates one)",
    ]);
    expect(JSON.stringify(await baton.items())).toBe(before);
  });

  it('stops verifying with a retired secret at once in local mode', async () => {
    const extra = await createSecret(baton, 'hmac-hex');
    const sign = () => signHmac({ secret: extra.secret, body: body('RETIRED-1'), header: 'X-Signature', encoding: 'hex' });
    expect((await post(baton, 'hmac-hex', sign())).status).toBe(200);
    expect((await baton.api('DELETE', `/api/admin/partners/hmac-hex/secrets/${extra.secretId}`, { as: 'admin@test.com' })).status).toBe(
      204,
    );
    expect((await post(baton, 'hmac-hex', sign())).status).toBe(401);
  });
});
