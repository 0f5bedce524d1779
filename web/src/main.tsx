import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DashboardApp } from './App.js';
import { I18nProvider } from './i18n.js';
import { PortalApp } from './pages/portal/PortalApp.js';
import { BASE, RouterProvider } from './router.js';
import { SessionProvider } from './session.js';

const root = document.getElementById('root');
if (root === null) throw new Error('assertion: index.html has no #root');

// The borrower portal (/app/portal…) has its own session and never the staff token.
const portal = window.location.pathname.startsWith(`${BASE}/portal`);

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      {portal ? (
        <RouterProvider>
          <PortalApp />
        </RouterProvider>
      ) : (
        <SessionProvider>
          <RouterProvider>
            <DashboardApp />
          </RouterProvider>
        </SessionProvider>
      )}
    </I18nProvider>
  </StrictMode>,
);
