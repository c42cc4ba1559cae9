// Everything the tab asks of Teams. This module is imported dynamically, only when framed in
// Teams, so teams-js stays out of the initial bundle.
import { app, authentication } from '@microsoft/teams-js';
import { themeNameFrom, type ThemeName } from './theme-name.js';

export interface TeamsSession {
  theme: ThemeName;
  subPageId: string | null;
  getToken: () => Promise<string>;
  onThemeChange: (listener: (theme: ThemeName) => void) => void;
  /** Resolves when Teams' sign-in window closes, whether it finished or was cancelled. */
  authenticate: (url: string) => Promise<void>;
}

export async function startTeams(): Promise<TeamsSession> {
  await app.initialize();
  const context = await app.getContext();
  app.notifySuccess();
  return {
    theme: themeNameFrom(context.app.theme),
    subPageId: context.page.subPageId || null,
    // teams-js caches the SSO token and refreshes it when it nears expiry.
    getToken: () => authentication.getAuthToken(),
    onThemeChange: (listener) => app.registerOnThemeChangeHandler((theme) => listener(themeNameFrom(theme))),
    // The server's callback page closes the window on success, which Teams reports as a cancel;
    // the caller asks the server whether the account is now connected.
    authenticate: (url) =>
      authentication.authenticate({ url, width: 600, height: 720 }).then(
        () => undefined,
        () => undefined,
      ),
  };
}
