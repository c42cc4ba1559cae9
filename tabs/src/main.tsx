import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { withAllWords } from './lib/i18n.js';

// The server's "Sign in with Apono" callback redirects to /auth-end (served with this page): a
// small script of its own, which loads teams-js only in Teams' sign-in window.
if (window.location.pathname === '/auth-end') {
  void withAllWords(import('./auth-end/auth-end.js')).then((m) => m.finishSignIn());
} else {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
