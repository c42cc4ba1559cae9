// An error whose sentence is made for this case (who decided, how long to wait) and still reads in
// the reader's language: the catalogue message (domain/src/message.ts, common namespace) travels in
// `details.message`, which the tab (error-words.ts) and the cards (card-actions.ts) say in their
// reader's words; `message` is the same sentence in English, for API clients and logs.
import type { ErrorCode } from '@apono-teams/domain/errors.js';
import type { Message } from '@apono-teams/domain/message.js';
import { inEnglish } from '@apono-teams/domain/read-catalogues.js';
import { AppError } from './http/errors.js';

export function localizedError(
  code: ErrorCode,
  said: Message,
  details: Record<string, unknown> = {},
  headers?: Record<string, string>,
): AppError {
  return new AppError(code, inEnglish(said), { ...details, message: said }, headers);
}
