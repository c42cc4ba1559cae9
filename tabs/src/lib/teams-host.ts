// Everything the tab asks of Teams. This module is imported dynamically, only when framed in
// Teams, so teams-js stays out of the initial bundle.
import { app, authentication } from '@microsoft/teams-js';
import { signInFailure } from './sign-in-failure.js';
import { themeNameFrom, type ThemeName } from './theme-name.js';

export interface TeamsSession {
  theme: ThemeName;
  subPageId: string | null;
  /** Teams' language for this person (context.app.locale, a BCP 47 tag such as "de-de"). */
  locale: string;
  getToken: () => Promise<string>;
  onThemeChange: (listener: (theme: ThemeName) => void) => void;
  /**
   * Resolves when Teams' sign-in window reports success or is closed; rejects with a sentence when
   * the window reports a failure (the /auth-end page's notifyFailure).
   */
  authenticate: (url: string) => Promise<void>;
}

export async function startTeams(): Promise<TeamsSession> {
  await app.initialize();
  const context = await app.getContext();
  app.notifySuccess();
  return {
    theme: themeNameFrom(context.app.theme),
    subPageId: context.page.subPageId || null,
    locale: context.app.locale,
    // teams-js caches the SSO token and refreshes it when it nears expiry.
    getToken: () => authentication.getAuthToken(),
    onThemeChange: (listener) => app.registerOnThemeChangeHandler((theme) => listener(themeNameFrom(theme))),
    // A window closed by the person ("CancelledByUser") says nothing: the caller asks the server
    // whether the account is now connected.
    authenticate: (url) =>
      authentication.authenticate({ url, width: 600, height: 720 }).then(
        () => undefined,
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          if (reason !== 'CancelledByUser') throw signInFailure(reason);
        },
      ),
  };
}
