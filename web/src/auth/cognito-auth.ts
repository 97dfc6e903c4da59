// AWS mode: Cognito's hosted UI with the authorization code flow and PKCE, through oidc-client-ts.
// Tokens live in session storage; the refresh token renews them silently; when renewal fails the
// app sends the user through a clean sign-in again. The API gets the ACCESS token.
import { UserManager, WebStorageStateStore, type User, type UserManagerSettings } from 'oidc-client-ts';
import type { CognitoSettings } from '../config.ts';
import { SessionHolder, safeReturnPath, type Auth } from './auth.ts';
import { isExpired, sessionFromAccessToken, type Session } from './session.ts';

/** The oidc-client-ts settings for a Cognito app client (public client, no secret). */
export function oidcSettings(auth: CognitoSettings, origin: string, storage: Storage): UserManagerSettings {
  const store = new WebStorageStateStore({ store: storage });
  return {
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: `${origin}${auth.redirectPath}`,
    post_logout_redirect_uri: `${origin}${auth.postLogoutPath}`,
    response_type: 'code',
    scope: 'openid email profile',
    userStore: store,
    stateStore: store,
    // Cognito's discovery document has no revocation endpoint; its hosted UI domain serves one.
    metadataSeed: { revocation_endpoint: `${auth.domain}/oauth2/revoke` },
    automaticSilentRenew: true,
    // Cognito has no check_session_iframe; sessions end by expiry or sign-out.
    monitorSession: false,
    loadUserInfo: false,
  };
}

/** Cognito's own logout endpoint (it is not in the discovery document). */
export function cognitoLogoutUrl(auth: CognitoSettings, origin: string): string {
  const query = new URLSearchParams({ client_id: auth.clientId, logout_uri: `${origin}${auth.postLogoutPath}` });
  return `${auth.domain}/logout?${query}`;
}

export function sessionFromUser(user: User | null): Session | null {
  if (!user?.access_token || user.expired) return null;
  try {
    return sessionFromAccessToken(user.access_token, user.profile);
  } catch {
    return null;
  }
}

export class CognitoAuth implements Auth {
  readonly mode = 'aws' as const;
  readonly #holder = new SessionHolder();
  readonly #manager: UserManager;
  readonly #settings: CognitoSettings;
  readonly #location: Pick<Location, 'origin' | 'assign'>;

  private constructor(settings: CognitoSettings, location: Pick<Location, 'origin' | 'assign'>, storage: Storage) {
    this.#settings = settings;
    this.#location = location;
    this.#manager = new UserManager(oidcSettings(settings, location.origin, storage));
    this.#manager.events.addUserLoaded((user) => this.#holder.set(sessionFromUser(user)));
    this.#manager.events.addUserUnloaded(() => this.#holder.set(null));
    // A failed silent renewal leaves an expiring session: drop it so the app asks for a fresh sign-in.
    this.#manager.events.addSilentRenewError(() => void this.#manager.removeUser());
    this.#manager.events.addAccessTokenExpired(() => void this.#manager.removeUser());
  }

  static async create(
    settings: CognitoSettings,
    location: Pick<Location, 'origin' | 'assign'> = window.location,
    storage: Storage = window.sessionStorage,
  ) {
    const auth = new CognitoAuth(settings, location, storage);
    auth.#holder.set(sessionFromUser(await auth.#manager.getUser()));
    return auth;
  }

  current(): Session | null {
    const session = this.#holder.get();
    return session && !isExpired(session) ? session : null;
  }

  subscribe(listener: () => void) {
    return this.#holder.subscribe(listener);
  }

  async signIn({ returnTo }: { returnTo: string }): Promise<null> {
    await this.#manager.signinRedirect({ state: { returnTo: safeReturnPath(returnTo) } });
    return null;
  }

  async completeSignIn(): Promise<{ returnTo: string }> {
    const user = await this.#manager.signinRedirectCallback();
    this.#holder.set(sessionFromUser(user));
    return { returnTo: safeReturnPath((user.state as { returnTo?: unknown } | undefined)?.returnTo) };
  }

  async renew(): Promise<Session | null> {
    try {
      const session = sessionFromUser(await this.#manager.signinSilent());
      this.#holder.set(session);
      return session;
    } catch {
      await this.#manager.removeUser();
      return null;
    }
  }

  async forget(): Promise<void> {
    await this.#manager.removeUser();
  }

  async signOut(): Promise<void> {
    // Revoking the refresh token ends the session everywhere, not just in this tab.
    await this.#manager.revokeTokens(['refresh_token']).catch(() => undefined);
    await this.#manager.removeUser();
    this.#location.assign(cognitoLogoutUrl(this.#settings, this.#location.origin));
  }
}
