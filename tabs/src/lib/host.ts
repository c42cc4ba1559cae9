// Where the tab runs, decided synchronously at start-up: inside Teams the page is framed (or the
// `?inTeams=1` flag says so); outside, teams-js is never loaded, because app.initialize() only
// rejects in a top-level window and hangs for 60 s inside a foreign iframe.
import { themeNameFrom, type ThemeName } from './theme-name.js';

export interface HostInfo {
  inTeams: boolean;
  /** `?theme=dark|contrast|default`, for testing outside Teams. */
  theme: ThemeName | null;
  /** `?request=AR-1007` opens that request's details (Teams uses context.page.subPageId). */
  requestId: string | null;
  /** `?locale=de-DE|ar-SA|…`, for testing: read in that language instead of Teams' or the browser's. */
  locale: string | null;
}

export function detectHost(location: { search: string }, framed: boolean): HostInfo {
  const params = new URLSearchParams(location.search);
  const theme = params.get('theme');
  return {
    inTeams: framed || params.get('inTeams') === '1',
    theme: theme ? themeNameFrom(theme) : null,
    requestId: params.get('request') || null,
    locale: params.get('locale') || null,
  };
}

export function isFramed(win: Window): boolean {
  try {
    return win.self !== win.top;
  } catch {
    return true; // a cross-origin parent throws on access: we are framed
  }
}
