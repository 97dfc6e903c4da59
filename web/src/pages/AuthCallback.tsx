// Where Cognito's hosted UI returns: finish the code exchange, then go where the user was going.
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { homePath } from '../auth/session.ts';
import { useApp } from '../app-context.ts';
import { usePageTitle } from '../components/Layout.tsx';
import { ErrorState, Loading } from '../components/states.tsx';

// A code can be exchanged only once; React may run the effect twice in development.
let exchange: Promise<{ returnTo: string }> | undefined;

export function AuthCallback() {
  usePageTitle('Signing in');
  const { auth } = useApp();
  const [, navigate] = useLocation();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    exchange ??= auth.completeSignIn();
    exchange
      .then(({ returnTo }) => {
        const session = auth.current();
        if (!cancelled) navigate(returnTo === '/' && session ? homePath(session.role) : returnTo, { replace: true });
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [auth, navigate]);

  if (failed) {
    return (
      <div className="narrow">
        <h1>Sign-in did not finish</h1>
        <ErrorState title="We could not complete your sign-in." error={null}>
          <p>
            The sign-in link may have expired or been opened twice. <Link href="/sign-in">Start again</Link>.
          </p>
        </ErrorState>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Signing you in</h1>
      <Loading label="Finishing sign-in…" />
    </div>
  );
}
