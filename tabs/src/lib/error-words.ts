// The sentence a person reads for a failure, in their language. The API's errors carry a stable
// code (domain/src/errors.ts) and an English sentence. A sentence the server made for this case
// (who already decided, how long to wait) also comes as a catalogue message in `details.message`,
// said here in the reader's words; an error without one shows the catalogue's sentence for its
// code (common.errors.<code>) when the English is the code's default, else the English as written.
// The tab's own failures (no network, Teams silent, sign-in refused) have codes of their own
// (tab.errors.<code>).
import { defaultMessages, messageOfError, type ErrorCode } from '@apono-teams/domain/errors.js';
import { useCallback } from 'react';
import { ApiError, errorMessage } from './api-client.js';
import { useWords } from './i18n.js';

const tabCodes = new Set(['network', 'sign_in_failed', 'teams_unavailable', 'oauth_failed', 'popup_blocked']);

export function useErrorText(): (error: unknown) => string {
  const { t, say } = useWords();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) {
        if (error.code === 'oauth_failed') {
          const reason = typeof error.details?.reason === 'string' ? error.details.reason : 'failed';
          return t(`signInFailure.${reason}`, { defaultValue: t('signInFailure.failed') });
        }
        if (tabCodes.has(error.code)) return t(`errors.${error.code}`);
        const said = messageOfError(error.details);
        // A key this tab's catalogue lacks (a newer server) comes back as the key: the English, then.
        const text = said && say(said);
        if (text && text !== said.key) return text;
        const code = error.code as ErrorCode;
        if (defaultMessages[code] !== undefined && defaultMessages[code] === error.message)
          return t(`common:errors.${code}`);
        return errorMessage(error);
      }
      return t('errors.unexpected');
    },
    [t, say],
  );
}
