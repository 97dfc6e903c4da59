// Picks the sign-in implementation config.json asks for. The Cognito one (and oidc-client-ts)
// is loaded only in AWS mode, so local mode and the first load stay small.
import type { SiteConfig } from '../config.ts';
import type { Auth } from './auth.ts';
import { LocalAuth } from './local-auth.ts';

export interface AuthEnvironment {
  storage: Storage;
  fetch: typeof fetch;
  location: Pick<Location, 'origin' | 'assign'>;
}

export async function createAuth(config: SiteConfig, env: AuthEnvironment): Promise<Auth> {
  if (config.mode === 'local') {
    return new LocalAuth({ apiBaseUrl: config.apiBaseUrl, demoAccounts: config.demoAccounts, storage: env.storage, fetch: env.fetch });
  }
  const { CognitoAuth } = await import('./cognito-auth.ts');
  return CognitoAuth.create(config.auth, env.location, env.storage);
}

export type { Auth } from './auth.ts';
export { safeReturnPath } from './auth.ts';
