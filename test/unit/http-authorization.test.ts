// Who the API takes a caller to be: only the claims of a Cognito *access* token make an actor.
// API Gateway's JWT authorizer also lets ID tokens through (their `aud` is the app client id),
// and an ID token carries the email whether or not it was verified, so the handler refuses them.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { actorFromClaims, httpRoute, ok, type HttpEvent } from '../../functions/http/handler.js';

// Claims as API Gateway passes them to the function: every value a string, arrays flattened.
const ACCESS_CLAIMS = {
  sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
  email: 'Admin@Test.com',
  'cognito:groups': '[admin]',
  token_use: 'access',
  client_id: 'site-client',
  scope: 'openid email',
};
const ID_CLAIMS = {
  sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
  email: 'admin@test.com',
  email_verified: 'false',
  'cognito:groups': '[admin]',
  token_use: 'id',
  aud: 'site-client',
};

function eventWith(claims: Record<string, string>): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'GET /api/me/enrollments',
    rawPath: '/api/me/enrollments',
    rawQueryString: '',
    headers: {},
    requestContext: { authorizer: { jwt: { claims, scopes: null } } },
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}

describe('actorFromClaims', () => {
  it('turns the claims of an access token into an actor', () => {
    expect(actorFromClaims(ACCESS_CLAIMS)).toEqual({ sub: ACCESS_CLAIMS.sub, email: 'admin@test.com', isAdmin: true, isStaff: true });
  });

  it('folds only ASCII letters of the email claim: a Kelvin sign (U+212A) stays, and is not "k"', () => {
    expect(actorFromClaims({ ...ACCESS_CLAIMS, email: '\u212Aim@Test.com' })?.email).toBe('\u212Aim@test.com');
  });

  it('gives no actor for an ID token, whatever groups and email it carries', () => {
    expect(actorFromClaims(ID_CLAIMS)).toBeUndefined();
  });

  it('gives no actor when token_use is missing or anything but "access"', () => {
    const { token_use: _use, ...withoutUse } = ACCESS_CLAIMS;
    expect(actorFromClaims(withoutUse)).toBeUndefined();
    expect(actorFromClaims({ ...ACCESS_CLAIMS, token_use: 'refresh' })).toBeUndefined();
  });
});

describe('admin from cognito:groups', () => {
  const isAdmin = (groups: unknown) => actorFromClaims({ ...ACCESS_CLAIMS, 'cognito:groups': groups })?.isAdmin;

  it("reads API Gateway's flattened array claim: one or more whole names in brackets, single-space separated", () => {
    expect(isAdmin('[admin]')).toBe(true);
    expect(isAdmin('[super_admin]')).toBe(true);
    expect(isAdmin('[students admin]')).toBe(true);
    expect(isAdmin('[students super_admin teachers]')).toBe(true);
    expect(isAdmin('[students]')).toBe(false);
    expect(isAdmin('[]')).toBe(false);
  });

  it('reads a real array (a local token) element by element', () => {
    expect(isAdmin(['admin'])).toBe(true);
    expect(isAdmin(['students', 'super_admin'])).toBe(true);
    expect(isAdmin([])).toBe(false);
  });

  it('never takes a name with a comma or surrounding spaces for admin, in either shape', () => {
    const flattened = (names: string[]) => `[${names.join(' ')}]`;
    for (const names of [['students,admin'], ['admin,students'], ['admin '], [' admin'], ['students', ' admin'], ['super_admin ']]) {
      expect.soft(isAdmin(names), JSON.stringify(names)).toBe(false);
      expect.soft(isAdmin(flattened(names)), flattened(names)).toBe(false);
    }
    expect(isAdmin(['admin\u00a0'])).toBe(false);
    expect(isAdmin('[admin\tstudents]')).toBe(false);
  });

  it('reads nothing but the bracketed form from a string', () => {
    for (const value of ['admin', 'students,admin', 'admin students', ' [admin]', '[admin] ', '[admin', 'admin]', '[[admin]]'])
      expect.soft(isAdmin(value), value).toBe(false);
    expect(isAdmin(42)).toBe(false);
    expect(isAdmin(undefined)).toBe(false);
  });
});

describe('a signed-in route', () => {
  const context = {} as Context;
  const route = () => {
    const calls: string[] = [];
    const handler = httpRoute('list-my-enrollments', async (request) => {
      calls.push(request.actor!.email);
      return ok({ enrollments: [] });
    });
    return { handler, calls };
  };

  it('answers an ID token 401 in the API error shape, and the route never runs', async () => {
    const { handler, calls } = route();
    const response = await handler(eventWith(ID_CLAIMS), context);
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body!)).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('access token') } });
    expect(calls).toEqual([]);
  });

  it('runs for an access token', async () => {
    const { handler, calls } = route();
    const response = await handler(eventWith(ACCESS_CLAIMS), context);
    expect(response.statusCode).toBe(200);
    expect(calls).toEqual(['admin@test.com']);
  });
});
