import { describe, expect, it } from 'vitest';
import { ConfigError, loadSiteConfig, parseSiteConfig } from '../../web/src/config.ts';
import { AWS_CONFIG, LOCAL_CONFIG } from './fixtures.ts';

const AWS = AWS_CONFIG;

describe('config.json', () => {
  it('reads local mode with its demo accounts, as the local server serves it', () => {
    const config = parseSiteConfig({
      mode: 'local',
      apiBaseUrl: '',
      region: 'local',
      demoAccounts: [
        { email: 'student@test.com', name: 'John Student' },
        { email: 'admin@test.com', name: 'Admin', admin: true },
      ],
    });

    // "admin" defaults to false when left out.
    expect(config).toEqual(LOCAL_CONFIG);
  });

  it('reads AWS mode in the shape the CDK app writes', () => {
    expect(parseSiteConfig(AWS)).toEqual(AWS);
  });

  it('drops trailing slashes from URLs so paths join cleanly', () => {
    const config = parseSiteConfig({
      ...AWS,
      apiBaseUrl: 'https://api.example.com/',
      auth: { ...AWS.auth, domain: `${AWS.auth.domain}/` },
    });

    expect(config.apiBaseUrl).toBe('https://api.example.com');
    expect(config.mode === 'aws' && config.auth.domain).toBe(AWS.auth.domain);
  });

  it('defaults the callback and logout paths when AWS mode leaves them out', () => {
    const { redirectPath: _r, postLogoutPath: _p, ...auth } = AWS.auth;

    const config = parseSiteConfig({ ...AWS, auth });

    expect(config.mode === 'aws' && [config.auth.redirectPath, config.auth.postLogoutPath]).toEqual(['/auth/callback', '/']);
  });

  it.each([
    [{ ...AWS, mode: 'cloud' }, 'mode must be "local" or "aws", got "cloud"'],
    [{ ...AWS, auth: undefined }, 'auth must be an object'],
    [{ ...AWS, auth: { ...AWS.auth, authority: 'http://cognito.example.com' } }, 'auth.authority must be an https URL'],
    [{ ...AWS, auth: { ...AWS.auth, domain: 'not a url' } }, 'auth.domain must be a URL'],
    [{ ...AWS, auth: { ...AWS.auth, clientId: 42 } }, 'auth.clientId must be a string'],
    [{ ...AWS, auth: { ...AWS.auth, redirectPath: 'callback' } }, 'auth.redirectPath must be a path starting with "/"'],
    [{ ...AWS, apiBaseUrl: 'ftp://x' }, 'apiBaseUrl must be empty (same origin) or an http(s) URL'],
    ['{}', 'config.json must be a JSON object'],
  ])('names what is wrong in a bad config (%#)', (raw, message) => {
    expect(() => parseSiteConfig(raw)).toThrow(new ConfigError(message).message);
  });

  it('says when config.json cannot be fetched or is not JSON', async () => {
    await expect(loadSiteConfig(async () => new Response('nope', { status: 404 }))).rejects.toThrow('config.json answered 404');
    await expect(loadSiteConfig(async () => new Response('<html>', { status: 200 }))).rejects.toThrow('config.json is not valid JSON');
    await expect(
      loadSiteConfig(async () => {
        throw new TypeError('fetch failed');
      }),
    ).rejects.toThrow('could not reach the site');
  });
});
