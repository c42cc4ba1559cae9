// Outside Teams, "Sign in with Apono" opens in a popup. Its last page (/auth-end) posts
// { type: 'apono-oauth', ok, error? } to this window and closes itself on success.
import { isOAuthMessage } from '../auth-end/oauth-message.js';
import { ApiError } from '../lib/api-client.js';
import { signInFailure } from '../lib/sign-in-failure.js';

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
      else reject(signInFailure(event.data.error));
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
