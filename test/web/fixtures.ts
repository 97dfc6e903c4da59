// Fixtures for the site's unit tests: an AWS-mode config as the CDK app writes it, unsigned JWTs
// (the site never verifies signatures; the API does) and an in-memory session storage.
import type { CognitoSettings, SiteConfig } from '../../web/src/config.ts';

export const LOCAL_CONFIG: Extract<SiteConfig, { mode: 'local' }> = {
  mode: 'local',
  apiBaseUrl: '',
  region: 'local',
  demoAccounts: [
    { email: 'student@test.com', name: 'John Student', admin: false },
    { email: 'admin@test.com', name: 'Admin', admin: true },
  ],
};

export const COGNITO: CognitoSettings = {
  authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
  clientId: 'client123',
  domain: 'https://baton.auth.eu-west-1.amazoncognito.com',
  redirectPath: '/auth/callback',
  postLogoutPath: '/',
};

export const AWS_CONFIG = { mode: 'aws' as const, apiBaseUrl: '', region: 'eu-west-1', auth: COGNITO };

const base64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export function fakeJwt(claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: 'ES256', kid: 'test' }))}.${base64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
}

export const inHours = (hours: number) => Math.floor(Date.now() / 1000) + hours * 3600;

/** A Storage in memory (session storage stand-in). */
export class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, String(value));
  }
}
