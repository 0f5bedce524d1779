import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DashboardApp } from './App.js';
import { I18nProvider } from './i18n.js';
import { RouterProvider } from './router.js';
import { SessionProvider } from './session.js';

const root = document.getElementById('root');
if (root === null) throw new Error('assertion: index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <RouterProvider>
          <DashboardApp />
        </RouterProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
