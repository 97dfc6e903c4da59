// Sign-in. Local mode lists the demo accounts (and takes any email, as local tokens allow);
// AWS mode hands over to Cognito's hosted UI, straight away when the user came from a page.
import { useEffect, useState, type FormEvent } from 'react';
import { Redirect, useSearchParams } from 'wouter';
import { safeReturnPath, sessionEnded } from '../auth/auth.ts';
import { homePath, type Session } from '../auth/session.ts';
import { useApp, useSession } from '../app-context.ts';
import { usePageTitle } from '../components/Layout.tsx';
import { Notice } from '../components/states.tsx';

function destination(next: string, session: Session): string {
  return next === '/' ? homePath(session.role) : next;
}

export function SignIn() {
  usePageTitle('Sign in');
  const { config, auth } = useApp();
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get('next'));
  const expired = sessionEnded.isMarked(window.sessionStorage);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState('');

  const hostedUi = config.mode === 'aws';
  const autoRedirect = hostedUi && params.has('next') && !expired;
  useEffect(() => {
    if (autoRedirect && !session) void auth.signIn({ returnTo: next }).catch(() => setError('Could not open the sign-in page. Try again.'));
  }, [autoRedirect, session, auth, next]);

  useEffect(() => {
    if (session) sessionEnded.clear(window.sessionStorage);
  }, [session]);

  if (session) return <Redirect to={destination(next, session)} replace />;

  const signInAs = async (address: string) => {
    setBusy(address);
    setError(null);
    try {
      await auth.signIn({ returnTo: next, email: address });
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Sign-in failed. Try again.');
    } finally {
      setBusy(null);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void signInAs(email.trim());
  };

  return (
    <div className="narrow">
      <h1>Sign in to Baton</h1>
      {expired && <Notice kind="info">Your session ended. Sign in again to pick up where you left off.</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {config.mode === 'local' ? (
        <>
          <p className="lede">
            Local mode: choose a demo account. Students see their progress; admins see and run the training pipeline; viewers see it
            read-only.
          </p>
          <ul className="account-list" aria-label="Demo accounts">
            {config.demoAccounts.map((account) => (
              <li key={account.email}>
                <button type="button" className="account" onClick={() => void signInAs(account.email)} disabled={busy !== null}>
                  <span className="account-avatar" aria-hidden="true">
                    {account.name.slice(0, 1)}
                  </span>
                  <span className="account-text">
                    <span className="account-name">
                      Sign in as {account.name}
                      <span className="tag">{account.admin ? 'Admin' : account.viewer ? 'Viewer' : 'Student'}</span>
                    </span>
                    <span className="account-email">{account.email}</span>
                  </span>
                  {busy === account.email && <span className="spinner" aria-hidden="true" />}
                </button>
              </li>
            ))}
          </ul>
          <form className="card form" onSubmit={submit}>
            <h2 className="h3">Another student</h2>
            <p className="hint" id="other-email-hint">
              Local mode signs in any email, e.g. a student you enrolled from the admin pages.
            </p>
            <label htmlFor="other-email">Email</label>
            <div className="inline-field">
              <input
                id="other-email"
                type="email"
                required
                autoComplete="email"
                aria-describedby="other-email-hint"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
              <button type="submit" className="button" disabled={busy !== null}>
                Sign in
              </button>
            </div>
          </form>
        </>
      ) : (
        <>
          <p className="lede">Sign in with your Baton account to see your progress or manage your programs.</p>
          <button type="button" className="button button-large" onClick={() => void auth.signIn({ returnTo: next })}>
            {autoRedirect ? 'Opening sign-in…' : 'Continue to sign in'}
          </button>
        </>
      )}
    </div>
  );
}
