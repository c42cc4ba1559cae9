// The last page of "Sign in with Apono" (/auth-end), after the server's callback redirected here:
// `?status=ok|error&reason=<code>` with the case's parts (`who`, `detail`, `account`) and, for a
// page that does not know the code, `title` and `message` in English. A known outcome is said in
// the reader's words (tab.authEnd.<code>). Everything read from the address is shown as text only,
// and only a known shape is passed on to the tab.
import type { Translate } from '@apono-teams/domain/message.js';
import type { OAuthMessage } from './oauth-message.js';

export { isOAuthMessage, type OAuthMessage } from './oauth-message.js';

export interface SignInOutcome {
  ok: boolean;
  /** A short code the tab turns into its own sentence (`access_denied`, `expired`, …). */
  reason?: string;
  title: string;
  message: string;
}

const maxText = 300;
const clip = (text: string) => (text.length > maxText ? `${text.slice(0, maxText - 1)}…` : text);

/** The failures the catalogue has words for (the server's codes); any other is said as the address says. */
const known = new Set([
  'expired',
  'invalid_grant',
  'apono_unavailable',
  'apono_token_invalid',
  'apono_account_mismatch',
  'access_denied',
  'authorize_failed',
  'bad_request',
  'internal',
]);

/** `t` reads the tab's namespace in the reader's language. */
export function outcomeFrom(search: string, t: Translate): SignInOutcome {
  const params = new URLSearchParams(search);
  const ok = params.get('status') === 'ok';
  const code = params.get('reason') ?? '';
  // A code, never a sentence: anything else would let a crafted link choose the tab's wording.
  const reason = /^[\w-]{1,40}$/.test(code) ? code : 'failed';
  const part = (name: string) => clip(params.get(name) ?? '');
  if (ok) {
    const who = part('who');
    return {
      ok,
      title: t('authEnd.ok.title'),
      message: clip(who ? t('authEnd.ok.as', { who }) : t('authEnd.ok.text')),
    };
  }
  if (known.has(reason)) {
    const account = part('account');
    const text = reason === 'apono_account_mismatch' && account ? 'textAccount' : 'text';
    return {
      ok,
      reason,
      title: clip(t(`authEnd.${reason}.title`)),
      message: clip(t(`authEnd.${reason}.${text}`, { account, detail: part('detail') })),
    };
  }
  return {
    ok,
    reason,
    title: clip(params.get('title') || t('authEnd.failed.title')),
    message: clip(params.get('message') || t('authEnd.failed.text')),
  };
}

export const messageFor = (outcome: SignInOutcome): OAuthMessage => ({
  type: 'apono-oauth',
  ok: outcome.ok,
  ...(outcome.reason ? { error: outcome.reason } : {}),
});

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
