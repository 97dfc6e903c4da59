// Routes. Students' pages are in the first load; the admin area and the verification page
// (with its QR code library) load on demand.
import { lazy, Suspense, type ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { useApp, useSession } from './app-context.ts';
import { isStaff } from './auth/session.ts';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/states.tsx';
import { AuthCallback } from './pages/AuthCallback.tsx';
import { Home, NotAllowed, NotFound } from './pages/Simple.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { StudentProgress } from './pages/StudentProgress.tsx';

const AdminApp = lazy(() => import('./pages/admin/AdminApp.tsx'));
const VerifyPage = lazy(() => import('./pages/Verify.tsx'));
const ADMIN_PATHS = /^\/admin(?:\/.*)?$/;

/** Signed-in pages: anyone signed out goes to sign-in and comes back; students never see admin pages. */
function Protected({ admin = false, children }: { admin?: boolean; children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  const search = useSearch();
  if (!session) return <Redirect to={`/sign-in?next=${encodeURIComponent(location + (search ? `?${search}` : ''))}`} replace />;
  if (admin && !isStaff(session.role)) return <NotAllowed />;
  return <>{children}</>;
}

export function App() {
  const { config } = useApp();
  const callbackPath = config.mode === 'aws' ? config.auth.redirectPath : '/auth/callback';
  return (
    <Layout>
      <Suspense fallback={<Loading label="Loading…" />}>
        <Switch>
          <Route path="/" component={Home} />
          <Route path="/sign-in" component={SignIn} />
          <Route path={callbackPath} component={AuthCallback} />
          <Route path="/student/progress">
            <Protected>
              <StudentProgress />
            </Protected>
          </Route>
          <Route path={ADMIN_PATHS}>
            <Protected admin>
              <AdminApp />
            </Protected>
          </Route>
          <Route path="/verify/:id?" component={VerifyPage} />
          <Route component={NotFound} />
        </Switch>
      </Suspense>
    </Layout>
  );
}
