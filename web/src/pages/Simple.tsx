// Small pages: the home redirect, "not allowed" and "not found".
import { Link, Redirect, useLocation } from 'wouter';
import { homePath } from '../auth/session.ts';
import { useApp, useSession } from '../app-context.ts';
import { usePageTitle } from '../components/Layout.tsx';

export function Home() {
  const session = useSession();
  return <Redirect to={session ? homePath(session.role) : '/sign-in'} replace />;
}

export function NotAllowed() {
  usePageTitle('Not allowed');
  const { auth } = useApp();
  const session = useSession();
  const [location, navigate] = useLocation();
  const switchAccount = async () => {
    await auth.signOut();
    navigate(`/sign-in?next=${encodeURIComponent(location)}`);
  };
  return (
    <div className="narrow page-message">
      <p className="page-code" aria-hidden="true">
        403
      </p>
      <h1>This page is for program admins</h1>
      {session?.role === 'viewer' ? (
        <p className="lede">
          You are signed in as <strong>{session.email}</strong>, a read-only staff account: you can see the pipeline, the enrollments and
          exports, but this page changes things, so only program admins can open it.
        </p>
      ) : (
        <p className="lede">
          You are signed in as <strong>{session?.email}</strong>, which is a student account. The admin dashboard shows every student's
          records, so only program coordinators can open it.
        </p>
      )}
      <div className="actions">
        <Link href={session?.role === 'viewer' ? '/admin/dashboard' : '/student/progress'} className="button">
          {session?.role === 'viewer' ? 'Go to the pipeline' : 'Go to my progress'}
        </Link>
        <button type="button" className="button button-secondary" onClick={() => void switchAccount()}>
          Sign in with another account
        </button>
      </div>
    </div>
  );
}

export function NotFound() {
  usePageTitle('Page not found');
  const session = useSession();
  return (
    <div className="narrow page-message">
      <p className="page-code" aria-hidden="true">
        404
      </p>
      <h1>Page not found</h1>
      <p className="lede">There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <div className="actions">
        <Link href={session ? homePath(session.role) : '/'} className="button">
          {session ? 'Go to my start page' : 'Go to the start page'}
        </Link>
        <Link href="/verify" className="button button-secondary">
          Verify a certificate
        </Link>
      </div>
    </div>
  );
}
