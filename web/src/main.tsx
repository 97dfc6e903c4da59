// Boot: read /config.json, set up sign-in for its mode, then render the app. A site that cannot
// read its settings says so in words instead of showing a blank page.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/client.ts';
import { AppContext } from './app-context.ts';
import { App } from './App.tsx';
import { sessionEnded } from './auth/auth.ts';
import { createAuth } from './auth/index.ts';
import { loadSiteConfig } from './config.ts';
import { OrganizationProvider } from './organization.tsx';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

function BootError({ message }: { message: string }) {
  return (
    <main id="main" className="container narrow page-message">
      <h1>Baton could not start</h1>
      <p className="lede">The site could not load its settings, so it cannot sign you in or show your data yet.</p>
      <p>Details for your administrator: {message}.</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </main>
  );
}

async function boot() {
  try {
    const config = await loadSiteConfig();
    const auth = await createAuth(config, { storage: window.sessionStorage, fetch: (...a) => fetch(...a), location: window.location });
    const api = createApi({
      baseUrl: config.apiBaseUrl,
      auth,
      // The API refused the session even after a renewal: drop it; the page's guard sends the
      // user to sign in and back here, with a note saying why.
      onSessionEnded: () => {
        sessionEnded.mark(window.sessionStorage);
        void auth.forget();
      },
    });
    root.render(
      <StrictMode>
        <AppContext.Provider value={{ config, auth, api }}>
          <OrganizationProvider>
            <App />
          </OrganizationProvider>
        </AppContext.Provider>
      </StrictMode>,
    );
  } catch (error) {
    root.render(<BootError message={error instanceof Error ? error.message : 'unknown error'} />);
  }
}

void boot();
