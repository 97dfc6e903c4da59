// The organization's public face (name, logo, website), loaded once per visit for the header and
// footer; until it arrives (or if it cannot), the site shows its own name.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Organization } from './api/types.ts';
import { useApp } from './app-context.ts';

const OrganizationContext = createContext<{ organization: Organization | undefined; refresh: () => void }>({
  organization: undefined,
  refresh: () => undefined,
});

export function OrganizationProvider({ children }: { children: ReactNode }) {
  const { api } = useApp();
  const [organization, setOrganization] = useState<Organization>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    api.organization().then(
      (o) => current && setOrganization(o),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, version]);
  return (
    <OrganizationContext.Provider value={{ organization, refresh: () => setVersion((v) => v + 1) }}>
      {children}
    </OrganizationContext.Provider>
  );
}

export const useOrganization = () => useContext(OrganizationContext);
