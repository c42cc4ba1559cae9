// The last page of "Sign in with Apono" (/auth-end), after the server's callback redirected here:
// `?status=ok|error&reason=<code>&title=…&message=…`. Everything read from the address is shown
// as text only, and only a known shape is passed on to the tab.

export interface SignInOutcome {
  ok: boolean;
  /** A short code the tab turns into its own sentence (`access_denied`, `expired`, …). */
  reason?: string;
  title: string;
  message: string;
}

/** What the auth-end page posts to the tab that opened it, outside Teams. */
export interface OAuthMessage {
  type: 'apono-oauth';
  ok: boolean;
  error?: string;
}

const maxText = 300;
const clip = (text: string) => (text.length > maxText ? `${text.slice(0, maxText - 1)}…` : text);

export function outcomeFrom(search: string): SignInOutcome {
  const params = new URLSearchParams(search);
  const ok = params.get('status') === 'ok';
  const reason = params.get('reason') ?? '';
  return {
    ok,
    // A code, never a sentence: anything else would let a crafted link choose the tab's wording.
    ...(ok ? {} : { reason: /^[\w-]{1,40}$/.test(reason) ? reason : 'failed' }),
    title: clip(params.get('title') || (ok ? 'Connected' : 'Apono could not sign you in')),
    message: clip(
      params.get('message') ||
        (ok
          ? 'Your Apono account is connected. You can close this window.'
          : 'Close this window, go back to the Approvals tab and choose Sign in with Apono again.'),
    ),
  };
}

export const messageFor = (outcome: SignInOutcome): OAuthMessage => ({
  type: 'apono-oauth',
  ok: outcome.ok,
  ...(outcome.reason ? { error: outcome.reason } : {}),
});

export const isOAuthMessage = (data: unknown): data is OAuthMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as { type?: unknown }).type === 'apono-oauth' &&
  typeof (data as { ok?: unknown }).ok === 'boolean';

/**
 * Who opened this window. `tab`: the Approvals tab outside Teams (same origin, readable). `other`:
 * a window of another origin, such as the Teams web client. `none`: no opener (Teams desktop and
 * mobile run the sign-in in a window of their own, or the link was opened directly).
 */
export function openerOf(win: Pick<Window, 'opener' | 'location'>): 'tab' | 'other' | 'none' {
  const opener = win.opener as Window | null;
  if (!opener) return 'none';
  try {
    return opener.location.origin === win.location.origin ? 'tab' : 'other';
  } catch {
    return 'other'; // reading a cross-origin window's location throws
  }
}
