// Outside Teams, "Sign in with Apono" opens in a popup. The server's callback page posts
// { type: 'apono-oauth', ok, error? } to this window and closes itself on success.
import { ApiError } from '../lib/api-client.js';

const failures: Record<string, string> = {
  access_denied:
    'You did not allow Apono Approvals to use your Apono account. Choose Sign in with Apono to try again.',
  expired: 'The Apono sign-in took too long. Choose Sign in with Apono again.',
};
const failedDefault =
  'Apono could not sign you in. Choose Sign in with Apono again, or paste a personal API token instead.';

interface OAuthMessage {
  type: 'apono-oauth';
  ok: boolean;
  error?: string;
}

const isOAuthMessage = (data: unknown): data is OAuthMessage =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'apono-oauth';

/** Resolves when sign-in succeeds or the window is closed; rejects with a sentence when Apono refuses. */
export function openPopup(url: string): Promise<void> {
  const popup = window.open(url, 'apono-sign-in', 'popup,width=600,height=720');
  if (!popup) {
    return Promise.reject(
      new ApiError(
        0,
        'popup_blocked',
        'The sign-in window was blocked. Allow pop-ups for this site and try again.',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const finish = () => {
      window.clearInterval(timer);
      window.removeEventListener('message', onMessage);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== popup || !isOAuthMessage(event.data))
        return;
      finish();
      if (event.data.ok) resolve();
      else reject(new ApiError(0, 'oauth_failed', failures[event.data.error ?? ''] ?? failedDefault));
    };
    // Closed without a message (cancelled, or a callback on another origin): let /api/me tell.
    const timer = window.setInterval(() => {
      if (popup.closed) {
        finish();
        resolve();
      }
    }, 500);
    window.addEventListener('message', onMessage);
  });
}
