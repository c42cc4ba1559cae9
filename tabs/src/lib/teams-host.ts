// Everything the tab asks of Teams. This module is imported dynamically, only when framed in
// Teams, so teams-js stays out of the initial bundle.
import { app, authentication } from '@microsoft/teams-js';
import { themeNameFrom, type ThemeName } from './theme-name.js';

export interface TeamsSession {
  theme: ThemeName;
  subPageId: string | null;
  getToken: () => Promise<string>;
  onThemeChange: (listener: (theme: ThemeName) => void) => void;
  authenticate: (url: string) => Promise<string>;
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
    authenticate: (url) => authentication.authenticate({ url, width: 600, height: 720 }),
  };
}
