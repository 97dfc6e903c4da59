// The API client: bearer tokens, one renewal on a 401, and errors a person can act on.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, describeError } from '../../web/src/api/client.ts';
import type { Auth } from '../../web/src/auth/auth.ts';
import { sessionFromAccessToken, type Session } from '../../web/src/auth/session.ts';
import { fakeJwt, inHours } from './fixtures.ts';

const session = (email: string) => sessionFromAccessToken(fakeJwt({ email, exp: inHours(1) }));

function fakeAuth(current: Session | null, renewed: Session | null = null): Auth {
  return {
    mode: 'aws',
    current: () => current,
    subscribe: () => () => undefined,
    signIn: async () => null,
    completeSignIn: async () => ({ returnTo: '/' }),
    renew: vi.fn(async () => renewed),
    signOut: async () => undefined,
    forget: async () => undefined,
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const bearer = (init: RequestInit | undefined) => (init?.headers as Record<string, string>).authorization;

describe('API client', () => {
  it('sends the access token as a bearer token to the configured API base', async () => {
    const user = session('student@test.com');
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json(200, { enrollments: [] }));
    const api = createApi({ baseUrl: 'https://api.example.com', auth: fakeAuth(user), fetch: fetch as typeof globalThis.fetch });

    expect(await api.myEnrollments()).toEqual([]);

    expect(fetch.mock.calls[0]![0]).toBe('https://api.example.com/api/me/enrollments');
    expect(bearer(fetch.mock.calls[0]![1])).toBe(`Bearer ${user.accessToken}`);
  });

  it('calls public routes without a token, even when signed out', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json(200, { id: 'C' }));
    const api = createApi({ baseUrl: '', auth: fakeAuth(null), fetch: fetch as typeof globalThis.fetch });

    await api.verifyCertificate('ABCD-EFGH-JKMN-PQRS');

    expect(fetch.mock.calls[0]![0]).toBe('/api/certificates/ABCD-EFGH-JKMN-PQRS');
    expect(bearer(fetch.mock.calls[0]![1])).toBeUndefined();
  });

  it('renews the token once after a 401 and retries with the new one', async () => {
    const old = session('a@b.co');
    const fresh = sessionFromAccessToken(fakeJwt({ email: 'a@b.co', exp: inHours(2), jti: 'new' }));
    const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
      bearer(init) === `Bearer ${fresh.accessToken}` ? json(200, { enrollments: [] }) : json(401, { message: 'Unauthorized' }),
    );
    const onSessionEnded = vi.fn();
    const api = createApi({ baseUrl: '', auth: fakeAuth(old, fresh), fetch: fetch as typeof globalThis.fetch, onSessionEnded });

    expect(await api.myEnrollments()).toEqual([]);

    expect(fetch).toHaveBeenCalledTimes(2);
    expect(onSessionEnded).not.toHaveBeenCalled();
  });

  it('ends the session when the token cannot be renewed, and says to sign in again', async () => {
    const onSessionEnded = vi.fn();
    const api = createApi({ baseUrl: '', auth: fakeAuth(session('a@b.co'), null), fetch: async () => json(401, {}), onSessionEnded });

    await expect(api.pipeline(7)).rejects.toThrow('Your session has ended. Sign in again to continue.');
    expect(onSessionEnded).toHaveBeenCalledOnce();
  });

  it('shows the API’s own message for a refused request, as a sentence', async () => {
    const api = createApi({
      baseUrl: '',
      auth: fakeAuth(session('admin@test.com')),
      fetch: async () =>
        json(409, { error: { code: 'ACTIVE_ENROLLMENT_EXISTS', message: 'student already has an active enrollment in cna' } }),
    });

    const error = await api.createEnrollment({ studentEmail: 'x@y.co', programId: 'cna' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'ACTIVE_ENROLLMENT_EXISTS',
      message: 'Student already has an active enrollment in cna.',
    });
  });

  it('never shows a server error’s body or a network error’s details', async () => {
    const serverError = createApi({
      baseUrl: '',
      auth: fakeAuth(session('a@b.co')),
      fetch: async () => new Response('TypeError: x is undefined\n    at handler.js:1', { status: 502 }),
    });
    const offline = createApi({
      baseUrl: '',
      auth: fakeAuth(session('a@b.co')),
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });

    await expect(serverError.myEnrollments()).rejects.toThrow('Something went wrong on our side. Try again in a minute.');
    await expect(offline.myEnrollments()).rejects.toThrow('Could not reach Baton. Check your connection and try again.');
    expect(describeError(new Error('stack trace here'))).toBe('Something unexpected went wrong. Reload the page and try again.');
  });

  it('always names the partner of a step override, so parallel steps are never ambiguous', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json(200, { id: 'e1' }));
    const api = createApi({ baseUrl: '', auth: fakeAuth(session('admin@test.com')), fetch: fetch as typeof globalThis.fetch });

    await api.overrideStep('e1', 1, 'waive', { reason: 'has it already', partnerId: 'jri' });

    expect(fetch.mock.calls[0]![0]).toBe('/api/admin/enrollments/e1/steps/1/waive');
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toEqual({ reason: 'has it already', partnerId: 'jri' });
  });

  it('skips a step, retries with or without a second email, and marks an email sent, each with the body the API expects', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json(200, { id: 'e1' }));
    const api = createApi({ baseUrl: '', auth: fakeAuth(session('admin@test.com')), fetch: fetch as typeof globalThis.fetch });

    await api.overrideStep('e1', 2, 'skip', { reason: 'not needed', partnerId: 'milady' });
    await api.retryWorkflow('e1');
    await api.retryWorkflow('e1', { resendEmail: true });
    await api.markEmailSent('e1', 'Found in the SES log');

    expect(fetch.mock.calls.map(([url, init]) => [init!.method, url, JSON.parse(init!.body as string)])).toEqual([
      ['POST', '/api/admin/enrollments/e1/steps/2/skip', { reason: 'not needed', partnerId: 'milady' }],
      ['POST', '/api/admin/enrollments/e1/retry', {}],
      ['POST', '/api/admin/enrollments/e1/retry', { resendEmail: true }],
      ['POST', '/api/admin/enrollments/e1/email/mark-sent', { reason: 'Found in the SES log' }],
    ]);
  });

  it('says why an email cannot be marked sent, as a sentence', async () => {
    const api = createApi({
      baseUrl: '',
      auth: fakeAuth(session('admin@test.com')),
      fetch: async () =>
        json(409, {
          error: { code: 'EMAIL_NOT_PENDING', message: 'no completion email is waiting on an unknown outcome for this enrollment' },
        }),
    });

    await expect(api.markEmailSent('e1', 'Found in the SES log')).rejects.toMatchObject({
      status: 409,
      code: 'EMAIL_NOT_PENDING',
      message: 'No completion email is waiting on an unknown outcome for this enrollment.',
    });
  });
});
