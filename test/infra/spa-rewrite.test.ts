// The CloudFront Function that serves client-side routes: run as CloudFront runs it (a plain
// `handler(event)` script), on the kinds of paths the site and its users produce.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SPA_REWRITE_FILE } from '../../infra/constructs/site.js';

type Request = { uri: string; querystring?: Record<string, { value: string }> };
const sandbox: { handler?: (event: { request: Request }) => Request } = {};
runInNewContext(readFileSync(SPA_REWRITE_FILE, 'utf8'), sandbox);
const rewrite = (uri: string, querystring = {}) => sandbox.handler!({ request: { uri, querystring } });

describe('spa-rewrite (viewer request, site behavior)', () => {
  it.each(['/', '/me', '/admin/enrollments/8f14e45f', '/auth/callback', '/certificates/abc123/verify/'])(
    'serves index.html for the client-side route %s',
    (uri) => {
      expect(rewrite(uri).uri).toBe('/index.html');
    },
  );

  it.each(['/index.html', '/config.json', '/assets/index-4f2a9c.js', '/assets/index-4f2a9c.css', '/favicon.svg'])(
    'leaves the file %s alone',
    (uri) => {
      expect(rewrite(uri).uri).toBe(uri);
    },
  );

  it('keeps the query string (the sign-in callback carries ?code=&state=)', () => {
    const querystring = { code: { value: 'abc' }, state: { value: 'xyz' } };
    expect(rewrite('/auth/callback', querystring)).toEqual({ uri: '/index.html', querystring });
  });
});
