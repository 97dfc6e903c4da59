// Local mode: tokens from the local server's POST /api/dev/token, kept in session storage
// (one tab, gone when it closes), shaped like Cognito access tokens.
import { SessionHolder, type Auth } from './auth.ts';
import { isExpired, sessionFromAccessToken, type Session } from './session.ts';
import type { DemoAccount } from '../config.ts';
import { foldEmail } from '../../../functions/domain/email.ts';

const STORAGE_KEY = 'baton.local.token';

export interface LocalAuthDeps {
  apiBaseUrl: string;
  demoAccounts: readonly DemoAccount[];
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  fetch: typeof fetch;
  now?: () => number;
}

export class LocalAuth implements Auth {
  readonly mode = 'local' as const;
  readonly #holder = new SessionHolder();
  readonly #deps: LocalAuthDeps;

  constructor(deps: LocalAuthDeps) {
    this.#deps = deps;
    const stored = deps.storage.getItem(STORAGE_KEY);
    if (stored) {
      try {
        this.#holder.set(this.#toSession(stored));
      } catch {
        deps.storage.removeItem(STORAGE_KEY);
      }
    }
  }

  /** No side effects (React reads it while rendering); an expired token reads as signed out. */
  current(): Session | null {
    const session = this.#holder.get();
    return session && !isExpired(session, this.#now()) ? session : null;
  }

  subscribe(listener: () => void) {
    return this.#holder.subscribe(listener);
  }

  async signIn({ email }: { returnTo: string; email?: string }): Promise<Session> {
    if (!email) throw new Error('Enter an email address to sign in.');
    let response: Response;
    try {
      response = await this.#deps.fetch(`${this.#deps.apiBaseUrl}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
    } catch {
      throw new Error('Could not reach Baton to sign in. Is local mode still running?');
    }
    const body = (await response.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
    if (!response.ok || !body.token)
      throw new Error(body.error?.message ? `Sign-in failed: ${body.error.message}` : `Sign-in failed (${response.status}).`);
    const session = this.#toSession(body.token);
    this.#deps.storage.setItem(STORAGE_KEY, body.token);
    this.#holder.set(session);
    return session;
  }

  async completeSignIn(): Promise<{ returnTo: string }> {
    return { returnTo: '/' };
  }

  /** Local tokens last 12 hours and cannot be refreshed: an expired one means signing in again. */
  async renew(): Promise<Session | null> {
    return this.current();
  }

  async signOut(): Promise<void> {
    await this.forget();
  }

  async forget(): Promise<void> {
    this.#deps.storage.removeItem(STORAGE_KEY);
    this.#holder.set(null);
  }

  #toSession(token: string): Session {
    const session = sessionFromAccessToken(token);
    const demo = this.#deps.demoAccounts.find((a) => foldEmail(a.email) === foldEmail(session.email));
    return demo ? { ...session, name: demo.name } : session;
  }

  #now() {
    return this.#deps.now?.() ?? Date.now();
  }
}
