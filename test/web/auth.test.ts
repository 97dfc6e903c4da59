// Sign-in without a browser: which implementation config.json picks, how tokens map to roles,
// local mode's token flow, and the Cognito settings and logout URL. (Real Cognito is not reachable
// here; the hosted UI round trip is exercised only against AWS.)
import { describe, expect, it, vi } from 'vitest';
import { safeReturnPath } from '../../web/src/auth/auth.ts';
import { cognitoLogoutUrl, oidcSettings, sessionFromUser } from '../../web/src/auth/cognito-auth.ts';
import { createAuth } from '../../web/src/auth/index.ts';
import { LocalAuth } from '../../web/src/auth/local-auth.ts';
import {
  decodeJwtPayload,
  groupsFromClaims,
  homePath,
  isExpired,
  roleFromGroups,
  sessionFromAccessToken,
} from '../../web/src/auth/session.ts';
import { AWS_CONFIG, COGNITO, LOCAL_CONFIG, MemoryStorage, fakeJwt, inHours } from './fixtures.ts';

const LOCAL = LOCAL_CONFIG;
const location = { origin: 'https://baton.example.com', assign: vi.fn() };

describe('tokens → who is signed in', () => {
  it('decodes a JWT payload, including non-ASCII text', () => {
    expect(decodeJwtPayload(fakeJwt({ sub: 'u1', name: 'Zoë Ünal' }))).toEqual({ sub: 'u1', name: 'Zoë Ünal' });
    expect(() => decodeJwtPayload('not-a-jwt')).toThrow('not a JWT');
  });

  it('reads cognito:groups as a list, or flattened the way API Gateway passes claims', () => {
    expect(groupsFromClaims({ 'cognito:groups': ['admin', 'staff'] })).toEqual(['admin', 'staff']);
    expect(groupsFromClaims({ 'cognito:groups': '[super_admin staff]' })).toEqual(['super_admin', 'staff']);
    expect(groupsFromClaims({})).toEqual([]);
  });

  it('never shows a group named students,admin or " admin" as admin, as the API never takes it for one', () => {
    for (const groups of ['[students,admin]', '[ admin]', '[admin ]', ['students,admin'], [' admin'], ['admin ']])
      expect.soft(roleFromGroups(groupsFromClaims({ 'cognito:groups': groups })), JSON.stringify(groups)).toBe('student');
  });

  it('makes admin or super_admin an admin and anyone else a student, as the API does', () => {
    expect(roleFromGroups(['admin'])).toBe('admin');
    expect(roleFromGroups(['staff', 'super_admin'])).toBe('admin');
    expect(roleFromGroups(['staff'])).toBe('student');
    expect(roleFromGroups([])).toBe('student');
  });

  it('builds a session from an access token, taking email and name from the ID token profile when given', () => {
    const token = fakeJwt({ sub: 'u1', username: 'u1-username', 'cognito:groups': ['admin'], exp: inHours(1) });

    const session = sessionFromAccessToken(token, { email: 'ada@example.com', name: 'Ada Admin' });

    expect(session).toMatchObject({ email: 'ada@example.com', name: 'Ada Admin', role: 'admin', groups: ['admin'], accessToken: token });
    expect(sessionFromAccessToken(fakeJwt({ username: 'u1-username', exp: inHours(1) })).email).toBe('u1-username');
  });

  it('treats a token within 30 seconds of expiry as expired', () => {
    const now = Date.now();
    expect(isExpired({ expiresAt: now + 29_000 }, now)).toBe(true);
    expect(isExpired({ expiresAt: now + 31_000 }, now)).toBe(false);
  });

  it('sends students to their progress and admins to the pipeline', () => {
    expect(homePath('student')).toBe('/student/progress');
    expect(homePath('admin')).toBe('/admin/dashboard');
  });

  it('follows only same-site paths after sign-in', () => {
    expect(safeReturnPath('/admin/enrollments?q=jo')).toBe('/admin/enrollments?q=jo');
    expect(safeReturnPath('//evil.example.com/x')).toBe('/');
    expect(safeReturnPath('https://evil.example.com')).toBe('/');
    expect(safeReturnPath(null)).toBe('/');
  });
});

describe('createAuth picks the sign-in config.json asks for', () => {
  it('uses the local token endpoint in local mode', async () => {
    const auth = await createAuth(LOCAL, { storage: new MemoryStorage(), fetch: vi.fn(), location });

    expect(auth).toBeInstanceOf(LocalAuth);
    expect(auth.mode).toBe('local');
  });

  it('uses Cognito (oidc-client-ts) in AWS mode, signed out until the hosted UI returns', async () => {
    const auth = await createAuth(AWS_CONFIG, { storage: new MemoryStorage(), fetch: vi.fn(), location });

    expect(auth.mode).toBe('aws');
    expect(auth.current()).toBeNull();
  });
});

describe('local mode sign-in', () => {
  const tokenResponse = (token: string) => new Response(JSON.stringify({ token, expiresAt: '', groups: [] }), { status: 200 });

  it('asks the local token endpoint for the email, keeps the token in session storage, and names demo accounts', async () => {
    const storage = new MemoryStorage();
    const token = fakeJwt({ email: 'admin@test.com', 'cognito:groups': ['admin'], exp: inHours(12) });
    const fetch = vi.fn(async () => tokenResponse(token));
    const auth = new LocalAuth({ apiBaseUrl: '', demoAccounts: LOCAL.demoAccounts, storage, fetch });

    const session = await auth.signIn({ returnTo: '/', email: 'admin@test.com' });

    expect(fetch).toHaveBeenCalledWith('/api/dev/token', expect.objectContaining({ method: 'POST', body: '{"email":"admin@test.com"}' }));
    expect(session).toMatchObject({ email: 'admin@test.com', name: 'Admin', role: 'admin' });
    expect(auth.current()).toBe(session);
    expect(new LocalAuth({ apiBaseUrl: '', demoAccounts: [], storage, fetch }).current()?.email).toBe('admin@test.com');
  });

  it('names a demo account only for its own address: ASCII case folds, a Kelvin sign (U+212A) is no "k"', async () => {
    const demoAccounts = [{ email: 'kim@test.com', name: 'Kim Demo', admin: false }];
    const signInAs = (email: string) =>
      new LocalAuth({
        apiBaseUrl: '',
        demoAccounts,
        storage: new MemoryStorage(),
        fetch: async () => tokenResponse(fakeJwt({ email, exp: inHours(1) })),
      }).signIn({ returnTo: '/', email });

    expect((await signInAs('KIM@test.com')).name).toBe('Kim Demo');
    expect((await signInAs('\u212Aim@test.com')).name).toBeUndefined();
  });

  it('tells listeners about sign-in and sign-out, and forgets the token on sign-out', async () => {
    const storage = new MemoryStorage();
    const auth = new LocalAuth({
      apiBaseUrl: '',
      demoAccounts: [],
      storage,
      fetch: async () => tokenResponse(fakeJwt({ email: 'a@b.co', exp: inHours(1) })),
    });
    const listener = vi.fn();
    auth.subscribe(listener);

    await auth.signIn({ returnTo: '/', email: 'a@b.co' });
    await auth.signOut();

    expect(listener).toHaveBeenCalledTimes(2);
    expect(auth.current()).toBeNull();
    expect(storage.length).toBe(0);
  });

  it('reads an expired token as signed out', () => {
    const storage = new MemoryStorage();
    storage.setItem('baton.local.token', fakeJwt({ email: 'a@b.co', exp: inHours(-1) }));

    expect(new LocalAuth({ apiBaseUrl: '', demoAccounts: [], storage, fetch: vi.fn() }).current()).toBeNull();
  });

  it('explains a refused sign-in with the API’s message', async () => {
    const fetch = async () =>
      new Response(JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'email: must be an email address' } }), { status: 400 });
    const auth = new LocalAuth({ apiBaseUrl: '', demoAccounts: [], storage: new MemoryStorage(), fetch });

    await expect(auth.signIn({ returnTo: '/', email: 'nope' })).rejects.toThrow('Sign-in failed: email: must be an email address');
    expect(auth.current()).toBeNull();
  });
});

describe('Cognito settings', () => {
  it('uses the authorization code flow with PKCE, session storage, refresh-token renewal and the hosted UI callback', () => {
    const storage = new MemoryStorage();

    const settings = oidcSettings(COGNITO, 'https://baton.example.com', storage);

    expect(settings).toMatchObject({
      authority: COGNITO.authority,
      client_id: 'client123',
      redirect_uri: 'https://baton.example.com/auth/callback',
      post_logout_redirect_uri: 'https://baton.example.com/',
      response_type: 'code',
      scope: 'openid email profile',
      automaticSilentRenew: true,
      monitorSession: false,
      metadataSeed: { revocation_endpoint: 'https://baton.auth.eu-west-1.amazoncognito.com/oauth2/revoke' },
    });
    expect(settings).not.toHaveProperty('disablePKCE');
  });

  it('signs out through Cognito’s logout endpoint back to the site', () => {
    expect(cognitoLogoutUrl(COGNITO, 'https://baton.example.com')).toBe(
      'https://baton.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fbaton.example.com%2F',
    );
  });

  it('takes the role from the ACCESS token and the email from the ID token profile', () => {
    const accessToken = fakeJwt({ sub: 'u1', username: 'u1', 'cognito:groups': ['super_admin'], exp: inHours(1) });

    const session = sessionFromUser({
      access_token: accessToken,
      expired: false,
      profile: { sub: 'u1', email: 'lead@example.com' },
    } as never);

    expect(session).toMatchObject({ email: 'lead@example.com', role: 'admin', accessToken });
    expect(sessionFromUser({ access_token: accessToken, expired: true, profile: {} } as never)).toBeNull();
    expect(sessionFromUser(null)).toBeNull();
  });
});
