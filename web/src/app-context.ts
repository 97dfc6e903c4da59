// The services every screen uses: settings, sign-in, and the API client.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Api } from './api/client.ts';
import type { Auth } from './auth/auth.ts';
import type { Session } from './auth/session.ts';
import type { SiteConfig } from './config.ts';

export interface AppServices {
  config: SiteConfig;
  auth: Auth;
  api: Api;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside <AppContext.Provider>');
  return services;
}

export function useSession(): Session | null {
  const { auth } = useApp();
  return useSyncExternalStore(
    (listener) => auth.subscribe(listener),
    () => auth.current(),
  );
}

/** Only admins change things; a viewer sees the admin pages without their actions. */
export function useCanAct(): boolean {
  return useSession()?.role === 'admin';
}
