// What a person reads when "Sign in with Apono" fails, whichever window reported it: the server's
// auth-end page names the failure with a code (`reason`), through a popup message outside Teams or
// authentication.notifyFailure inside Teams.
import { ApiError } from './api-client.js';

const sentences: Record<string, string> = {
  access_denied:
    'You did not allow Apono Approvals to use your Apono account. Choose Sign in with Apono to try again.',
  expired: 'The Apono sign-in took too long. Choose Sign in with Apono again.',
  apono_unavailable: 'Apono is not answering right now. Wait a minute, then choose Sign in with Apono again.',
  FailedToOpenWindow: 'The sign-in window could not be opened. Allow pop-ups for Teams and try again.',
};
const failedDefault =
  'Apono could not sign you in. Choose Sign in with Apono again, or paste a personal API token instead.';

/** The failure with its English sentence; `details.reason` picks the words in the reader's language (error-words.ts). */
export const signInFailure = (reason: string | undefined): ApiError => {
  const known = reason && sentences[reason] ? reason : 'failed';
  return new ApiError(0, 'oauth_failed', sentences[known] ?? failedDefault, { reason: known });
};
