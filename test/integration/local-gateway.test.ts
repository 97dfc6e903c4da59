// Local mode's stand-in for API Gateway answers what an HTTP API with a Cognito JWT authorizer
// answers: unmatched routes and methods are 404 {"message":"Not Found"}, tokens the authorizer
// refuses are 401 {"message":"Unauthorized"}, and only what gets past the gateway reaches a
// handler, whose errors keep the API's own {"error": {"code", "message"}} shape.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes.js';
import { LOCAL_CLIENT_ID } from '../../local/auth.js';
import { idTokenClaims, signWithLocalKey } from '../support/local-tokens.js';
import { ADMIN, STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const NOT_FOUND = { message: 'Not Found' };
const UNAUTHORIZED = { message: 'Unauthorized' };

describe('routing, as HTTP API routes', () => {
  it('answers 404 {"message":"Not Found"} for a path no route has', async () => {
    for (const path of ['/api/nothing-here', '/api/enrollments/x/y/z', '/api/']) {
      const response = await baton.api('GET', path, { as: ADMIN });
      expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 404, body: NOT_FOUND });
    }
  });

  it('answers a method the path has no route for with the same 404 (HTTP API has no 405)', async () => {
    const wrongMethods: Array<[string, string]> = [
      ['DELETE', '/api/health'],
      ['GET', '/api/enrollments'],
      ['PUT', '/api/enrollments/7d3c1c43-8f2e-4c36-9a51-0e2a4d0f6b11'],
      ['GET', '/api/webhooks/partners/hsi'],
      ['GET', '/api/dev/token'],
    ];
    for (const [method, path] of wrongMethods) {
      const response = await baton.api(method, path, { as: ADMIN });
      expect({ method, path, status: response.status, body: response.body }).toEqual({ method, path, status: 404, body: NOT_FOUND });
    }
  });

  it('answers 400 for a malformed % escape in the path, before any route or file, and never 500', async () => {
    for (const path of [
      '/api/enrollments/%E0%A4%A',
      '/api/certificates/%zz/pdf',
      '/api/health%',
      '/verify/%C3',
      '/%',
      '/_local/certificates/%ff%',
    ]) {
      const response = await baton.api('GET', path, { as: ADMIN });
      expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 400, body: { message: 'Bad Request' } });
    }
  });
});

describe('the JWT authorizer, as API Gateway runs it for a Cognito user pool', () => {
  it('refuses a missing, malformed or foreign token with 401 {"message":"Unauthorized"} before any handler runs', async () => {
    const otherClient = await signWithLocalKey(baton.dataDir, {
      email: ADMIN,
      'cognito:groups': ['admin'],
      token_use: 'access',
      client_id: 'another-app-client',
    });
    const otherAudience = await signWithLocalKey(baton.dataDir, { ...idTokenClaims(ADMIN, ['admin']), aud: 'another-app-client' });
    const noAudience = await signWithLocalKey(baton.dataDir, { email: ADMIN, 'cognito:groups': ['admin'], token_use: 'access' });
    const cases: Array<[string, Record<string, string>]> = [
      ['no token', {}],
      ['not a JWT', bearer('not-a-jwt')],
      ['another app client (client_id)', bearer(otherClient)],
      ['an ID token of another app client (aud)', bearer(otherAudience)],
      ['neither aud nor client_id', bearer(noAudience)],
    ];
    for (const [name, headers] of cases) {
      const response = await baton.api('GET', '/api/admin/pipeline', { headers });
      expect({ name, status: response.status, body: response.body }).toEqual({ name, status: 401, body: UNAUTHORIZED });
    }
  });

  it('says why in the www-authenticate header, as API Gateway does', async () => {
    const otherClient = await signWithLocalKey(baton.dataDir, { email: ADMIN, token_use: 'access', client_id: 'another-app-client' });
    const response = await baton.api('GET', '/api/me/enrollments', { headers: bearer(otherClient) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    );
  });

  it('accepts the aud claim when a token has both aud and client_id (API Gateway evaluates aud)', async () => {
    const token = await signWithLocalKey(baton.dataDir, {
      email: STUDENT,
      token_use: 'access',
      client_id: 'another-app-client',
      aud: LOCAL_CLIENT_ID,
    });
    const response = await baton.api('GET', '/api/me/enrollments', { headers: bearer(token) });
    expect(response.status).toBe(200);
  });

  it("lets this app client's ID token through, as API Gateway does; the handler then refuses it in the API's error shape", async () => {
    const idToken = await signWithLocalKey(baton.dataDir, idTokenClaims(ADMIN, ['admin']));
    for (const path of ['/api/admin/pipeline', '/api/me/enrollments']) {
      const response = await baton.api('GET', path, { headers: bearer(idToken) });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
      expect(response.body.error.message).toContain('access token');
    }
  });

  it("keeps the handlers' own error shape for what passes the gateway", async () => {
    const forbidden = await baton.api('GET', '/api/admin/pipeline', { as: STUDENT });
    const missing = await baton.api('GET', '/api/enrollments/7d3c1c43-8f2e-4c36-9a51-0e2a4d0f6b11', { as: ADMIN });
    expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'ENROLLMENT_NOT_FOUND' } } });
  });
});

/** A request with exactly these headers (fetch would not send a Host of our choosing); `host: ''` sends none. */
function rawRequest(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: any }> {
  const url = new URL(baton.url);
  return new Promise((resolve, reject) => {
    const { host, ...rest } = headers;
    const req = request({
      host: url.hostname,
      port: url.port,
      method,
      path,
      setHost: host !== '',
      headers: { ...rest, ...(host ? { host } : {}), 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }));
    });
    req.end(body);
  });
}

describe("local-only routes answer only the developer's own tools", () => {
  const port = () => new URL(baton.url).port;
  const JSON_TYPE = { 'content-type': 'application/json' };
  const token = (headers: Record<string, string>) => rawRequest('POST', '/api/dev/token', headers, JSON.stringify({ email: ADMIN }));

  it('mint a token for a loopback Host, with or without the port, and a JSON body', async () => {
    for (const host of ['127.0.0.1', `127.0.0.1:${port()}`, 'localhost', `localhost:${port()}`, '[::1]', `[::1]:${port()}`, 'LocalHost']) {
      const response = await token({ host, ...JSON_TYPE });
      expect.soft({ host, status: response.status, token: typeof response.body?.token }).toEqual({ host, status: 200, token: 'string' });
    }
    expect((await token({ host: `127.0.0.1:${port()}`, 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('refuse any other Host (DNS rebinding) with a 403 that says why, and mint nothing', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port()}`,
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      '127.0.0.2',
      '0.0.0.0',
      `[::1]x`,
      'localhost:',
    ]) {
      const response = await token({ host, ...JSON_TYPE });
      expect.soft({ host, status: response.status, token: response.body?.token }).toEqual({ host, status: 403, token: undefined });
      expect.soft(response.body?.error?.message, host).toContain('the Host header must be a loopback host');
    }
    // Without a Host header at all, Node's HTTP server refuses an HTTP/1.1 request itself.
    const noHost = await token({ host: '', ...JSON_TYPE });
    expect({ status: noHost.status, token: noHost.body?.token }).toEqual({ status: 400, token: undefined });
  });

  it('refuse a body not declared JSON (a cross-site form POST) with a 415 that says so', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      undefined,
    ]) {
      const response = await token({ host: `127.0.0.1:${port()}`, ...(type ? { 'content-type': type } : {}) });
      expect.soft({ type, status: response.status, token: response.body?.token }).toEqual({ type, status: 415, token: undefined });
      expect.soft(response.body?.error?.message, type).toContain('content-type must be application/json');
    }
  });

  it('apply the same rule to every route the table marks local-only', async () => {
    const localOnly = ROUTES.filter((route) => 'localOnly' in route && route.localOnly);
    expect(localOnly.map((route) => route.id)).toContain('dev-token');
    for (const route of localOnly) {
      const path = route.path.replace(/\{[^}]+\}/g, 'x');
      const foreignHost = await rawRequest(route.method, path, { host: 'evil.example', ...JSON_TYPE }, '{}');
      const plainText = await rawRequest(route.method, path, { host: `localhost:${port()}`, 'content-type': 'text/plain' }, '{}');
      expect.soft([route.id, foreignHost.status, plainText.status]).toEqual([route.id, 403, 415]);
    }
  });
});

describe('the static site, as CloudFront serves it from its bucket', () => {
  // A real sibling folder whose name starts with the site folder's: /…/web/dist-evil next to /…/web/dist.
  const parent = mkdtempSync(join(tmpdir(), 'baton-static-'));
  const webRoot = join(parent, 'web', 'dist');
  let site: TestBaton;
  beforeAll(async () => {
    mkdirSync(join(parent, 'web', 'dist-evil'), { recursive: true });
    writeFileSync(join(parent, 'web', 'dist-evil', 'secret.txt'), 'sibling secret');
    mkdirSync(webRoot, { recursive: true });
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>site</title>');
    writeFileSync(join(webRoot, '..notes.txt'), 'inside the site');
    site = await startTestBaton({ webRoot });
  });
  afterAll(() => site?.stop());

  const get = async (path: string) => {
    const response = await fetch(`${site.url}${path}`);
    return { path, status: response.status, text: await response.text() };
  };

  it("never serves a file from a sibling folder whose name starts with the site folder's", async () => {
    for (const path of [
      '/..%2fdist-evil/secret.txt',
      '/%2e%2e%2fdist-evil%2fsecret.txt',
      '/x/..%2f..%2fdist-evil/secret.txt',
      '/..%2f..%2fweb/dist-evil/secret.txt',
    ]) {
      const response = await get(path);
      expect.soft(response.status, path).toBe(400);
      expect.soft(response.text, path).not.toContain('sibling secret');
    }
  });

  it('serves what is inside the site folder, a name starting with ".." included, with the SPA fallback', async () => {
    expect(await get('/..notes.txt')).toMatchObject({ status: 200, text: 'inside the site' });
    expect(await get('/student/progress')).toMatchObject({ status: 200, text: expect.stringContaining('<title>site</title>') });
  });
});
