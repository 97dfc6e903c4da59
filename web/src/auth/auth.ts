// The sign-in contract the app uses, whichever identity provider is behind it.
import type { Session } from './session.ts';

export interface Auth {
  readonly mode: 'local' | 'aws';
  /** The signed-in user with a token that is still valid, or null. */
  current(): Session | null;
  /** Called whenever the session changes (sign-in, renewal, sign-out, expiry). */
  subscribe(listener: () => void): () => void;
  /**
   * Local mode signs in as `email` and resolves with the session. AWS mode leaves for the
   * hosted UI and comes back to `returnTo` through the callback route.
   */
  signIn(options: { returnTo: string; email?: string }): Promise<Session | null>;
  /** AWS mode's redirect callback: finishes the sign-in and says where to go next. */
  completeSignIn(): Promise<{ returnTo: string }>;
  /** Tries to get a fresh token without sending the user anywhere (AWS: refresh token). */
  renew(): Promise<Session | null>;
  signOut(): Promise<void>;
  /** Drops the session in this tab only (the API refused it), without leaving the site. */
  forget(): Promise<void>;
}

/** A tiny observable holder for the current session, shared by both implementations. */
export class SessionHolder {
  #session: Session | null = null;
  readonly #listeners = new Set<() => void>();

  get(): Session | null {
    return this.#session;
  }

  set(session: Session | null): void {
    this.#session = session;
    for (const listener of [...this.#listeners]) listener();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** Only same-site paths are followed after sign-in (never an absolute URL from a query string). */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : fallback;
}

/**
 * "Your session ended" survives the redirect to the sign-in page (in this tab only), and is
 * cleared once the user is signed in again.
 */
const SESSION_ENDED_KEY = 'baton.session-ended';
export const sessionEnded = {
  mark: (storage: Pick<Storage, 'setItem'>) => storage.setItem(SESSION_ENDED_KEY, '1'),
  isMarked: (storage: Pick<Storage, 'getItem'>) => storage.getItem(SESSION_ENDED_KEY) !== null,
  clear: (storage: Pick<Storage, 'removeItem'>) => storage.removeItem(SESSION_ENDED_KEY),
};
