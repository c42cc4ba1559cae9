// What the auth-end page posts to the tab that opened it, outside Teams. A module of its own: the
// tab's popup reads it, and the rest of outcome.ts (and its words) is the auth-end page's alone.
export interface OAuthMessage {
  type: 'apono-oauth';
  ok: boolean;
  error?: string;
}

export const isOAuthMessage = (data: unknown): data is OAuthMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as { type?: unknown }).type === 'apono-oauth' &&
  typeof (data as { ok?: unknown }).ok === 'boolean';
