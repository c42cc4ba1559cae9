// /auth-end: shows the outcome of "Sign in with Apono" and hands it to whoever opened the window.
// Outside Teams the tab opened it as a popup: post to it (exact origin) and close. Inside Teams,
// Teams opened it through authentication.authenticate: teams-js (loaded only here and only then)
// reports with notifySuccess / notifyFailure, which also closes the window. The words are the tab's
// (tab.authEnd.*), in `?locale=` or the browser's language: the same i18n module the tab's entry
// already loaded, which fetched the rest of English before this module (main.tsx), so this page
// fetches one more catalogue at most, and only for a reader not in English.
import { browserLocale, i18n, setLocale } from '../lib/i18n.js';
import { messageFor, openerOf, outcomeFrom, type SignInOutcome } from './outcome.js';

const teamsTimeoutMs = 10_000;

function render(outcome: SignInOutcome) {
  document.title = outcome.title;
  document.documentElement.style.colorScheme = 'light dark';
  const root = document.getElementById('root')!;
  root.style.cssText =
    'box-sizing:border-box;max-width:36rem;margin:0 auto;padding:2rem 1rem;font-family:"Segoe UI",system-ui,sans-serif;line-height:1.4';
  const main = document.createElement('main');
  const heading = document.createElement('h1');
  heading.style.fontSize = '1.25rem';
  heading.textContent = outcome.title;
  const text = document.createElement('p');
  text.setAttribute('role', outcome.ok ? 'status' : 'alert');
  text.textContent = outcome.message;
  main.append(heading, text);
  root.replaceChildren(main);
}

/** True when Teams took the outcome (and closes the window itself). */
async function notifyTeams(outcome: SignInOutcome): Promise<boolean> {
  const { app, authentication, FrameContexts } = await import('@microsoft/teams-js');
  let timer: number | undefined;
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => {
        timer = window.setTimeout(() => reject(new Error('Teams did not answer')), teamsTimeoutMs);
      }),
    ]);
  } finally {
    window.clearTimeout(timer);
  }
  if (app.getFrameContext() !== FrameContexts.authentication) return false;
  if (outcome.ok) authentication.notifySuccess();
  else authentication.notifyFailure(outcome.reason);
  return true;
}

/** The words of this page: `?locale=` first, then the browser's language; English if that fails. */
async function pageWords(search: string) {
  await setLocale(new URLSearchParams(search).get('locale') || browserLocale()).catch(() => undefined);
  return i18n.getFixedT(null, 'tab');
}

export async function finishSignIn(win: Window = window): Promise<void> {
  const outcome = outcomeFrom(win.location.search, await pageWords(win.location.search));
  render(outcome);
  const opener = openerOf(win);
  if (opener === 'tab') {
    (win.opener as Window).postMessage(messageFor(outcome), win.location.origin);
    if (outcome.ok) win.setTimeout(() => win.close(), 300);
    return;
  }
  // Teams' sign-in window, or a window that lost its opener (a Cross-Origin-Opener-Policy on the
  // way cuts it off): on success close it, so whoever opened it sees it close and asks the server.
  // A failure stays on screen, to be read. (A page opened by hand cannot close itself.)
  const tookIt = await notifyTeams(outcome).catch(() => false); // rejects at once outside Teams
  if (!tookIt && outcome.ok) win.setTimeout(() => win.close(), 300);
}
