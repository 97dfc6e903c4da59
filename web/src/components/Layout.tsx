// The frame of every page: skip link, header with the signed-in user's navigation, main, footer.
// After a client-side navigation, focus moves to the page so screen readers announce it.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useApp, useSession } from '../app-context.ts';
import { useOrganization } from '../organization.tsx';
import { useResource } from '../api/use-resource.ts';

const NAV = {
  student: [{ href: '/student/progress', label: 'My progress' }],
  admin: [
    { href: '/admin/dashboard', label: 'Pipeline' },
    { href: '/admin/enrollments', label: 'Enrollments' },
    { href: '/admin/unmatched', label: 'Unmatched events' },
    { href: '/admin/evidence', label: 'Evidence' },
    { href: '/admin/partners', label: 'Partners' },
    { href: '/admin/enroll', label: 'New enrollment' },
    { href: '/admin/certificates', label: 'Certificates' },
    { href: '/admin/settings', label: 'Settings' },
    { href: '/admin/exports', label: 'Exports' },
    { href: '/admin/imports', label: 'Imports' },
    { href: '/admin/event-endpoints', label: 'Event endpoints' },
  ],
  // Read-only staff: what they may see, without the pages that only change things.
  viewer: [
    { href: '/admin/dashboard', label: 'Pipeline' },
    { href: '/admin/enrollments', label: 'Enrollments' },
    { href: '/admin/unmatched', label: 'Unmatched events' },
    { href: '/admin/exports', label: 'Exports' },
  ],
};

export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const { auth, api } = useApp();
  const [location, navigate] = useLocation();
  const main = useRef<HTMLElement>(null);
  const { organization } = useOrganization();
  const name = organization?.name ?? 'Baton';
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    main.current?.focus({ preventScroll: true });
  }, [location]);

  const signOut = async () => {
    await auth.signOut();
    navigate('/sign-in');
  };

  const links = session ? NAV[session.role] : [];
  const staff = session !== null && session.role !== 'student';
  // The inbox's size in the navigation: a counter the API keeps, not a read of the inbox.
  const unmatched = useResource(() => api.unmatchedCount(), [api], { enabled: staff, refreshEveryMs: 60_000 });
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link href="/" className="brand" aria-label={`${name} home`}>
            {organization?.logoUrl ? (
              <img className="brand-logo" src={organization.logoUrl} alt="" />
            ) : (
              <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                <rect width="32" height="32" rx="7" fill="currentColor" />
                <path d="M9 23 23 9" stroke="#fff" strokeWidth="4" strokeLinecap="round" />
                <circle cx="23" cy="9" r="3.5" fill="#fbbf24" />
              </svg>
            )}
            <span className="brand-name">{name}</span>
          </Link>
          {links.length > 0 && (
            <nav aria-label="Main" className="main-nav">
              <ul>
                {links.map((link) => {
                  const current = location === link.href || location.startsWith(`${link.href}/`);
                  return (
                    <li key={link.href}>
                      <Link href={link.href} aria-current={current ? 'page' : undefined}>
                        {link.label}
                        {link.href === '/admin/unmatched' && unmatched.data !== undefined && unmatched.data > 0 && (
                          <span className="nav-count" data-count={unmatched.data}>
                            <span aria-hidden="true">{unmatched.data}</span>
                            <span className="visually-hidden">, {unmatched.data} waiting</span>
                          </span>
                        )}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          )}
          <div className="user-menu">
            {session ? (
              <>
                <span className="user-name" title={session.email}>
                  {session.name ?? session.email}
                  {session.role === 'admin' && <span className="tag">Admin</span>}
                  {session.role === 'viewer' && <span className="tag">Viewer</span>}
                </span>
                <button type="button" className="button button-quiet" onClick={() => void signOut()}>
                  Sign out
                </button>
              </>
            ) : (
              location !== '/sign-in' && (
                <Link href="/sign-in" className="button button-quiet">
                  Sign in
                </Link>
              )
            )}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="container">
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          {organization && organization.name !== 'Baton' ? `${organization.name} · ` : ''}
          {organization?.supportEmail ? (
            <>
              <a href={`mailto:${organization.supportEmail}`}>{organization.supportEmail}</a> ·{' '}
            </>
          ) : null}
          <Link href="/verify">Verify a certificate</Link> · Powered by Baton
        </div>
      </footer>
    </>
  );
}

/** Sets the document title for the page (announced on navigation). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Baton`;
  }, [title]);
}
