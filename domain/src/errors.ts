// One error shape for every API answer, with stable codes. Each code's default message is a
// sentence that tells a person what to do next. A sentence made for one case (who already decided,
// how long to wait) also travels as a catalogue message in `details.message` (message.ts), so the
// tab and the cards say it in their reader's language; `message` stays English for API clients.
import type { Message } from './message.js';

export type ErrorCode =
  | 'bad_request'
  | 'reason_required'
  | 'reason_too_long'
  | 'reason_invalid'
  | 'unauthenticated'
  | 'not_connected'
  | 'apono_token_invalid'
  | 'apono_account_mismatch'
  | 'not_an_approver'
  | 'not_an_admin'
  | 'self_approval'
  | 'not_found'
  | 'already_decided'
  | 'decision_in_progress'
  | 'rate_limited'
  | 'apono_unavailable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'headers_too_large'
  | 'starting'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export const errorStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  reason_required: 400,
  reason_too_long: 400,
  reason_invalid: 400,
  unauthenticated: 401,
  not_connected: 401,
  apono_token_invalid: 401,
  apono_account_mismatch: 403,
  not_an_approver: 403,
  not_an_admin: 403,
  self_approval: 403,
  not_found: 404,
  already_decided: 409,
  decision_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  starting: 503,
  rate_limited: 429,
  apono_unavailable: 503,
  internal: 500,
};

export const defaultMessages: Record<ErrorCode, string> = {
  bad_request: 'The request was not understood. Reload the app and try again.',
  reason_required: 'This access flow requires a reason. Type a reason and try again.',
  reason_too_long: 'The reason is too long. Shorten it to 123 characters or fewer.',
  reason_invalid:
    'The reason contains a character that cannot be stored (a null character or a broken emoji). Retype it without that character.',
  unauthenticated: 'Your sign-in has expired or is not valid. Reload the app to sign in again.',
  not_connected:
    'Connect your Apono account first: open the Approvals tab and paste a personal API token, or sign in with Apono where offered.',
  apono_token_invalid:
    'Apono did not accept your saved token. Open the Approvals tab and connect your Apono account again.',
  apono_account_mismatch:
    'This Apono account is not yours: it belongs to someone other than the person signed in to Teams. Connect your own Apono account.',
  not_an_approver: 'You are not an approver of this request, so you cannot decide it.',
  not_an_admin: 'Only the admins of this app (ADMIN_EMAILS) can see this. Ask one of them.',
  self_approval:
    'You requested this access yourself, and this access flow does not let requesters approve their own requests.',
  not_found: 'This request was not found. It may have been removed; refresh the list.',
  already_decided: 'This request has already been decided.',
  decision_in_progress: 'Your decision on this request is already being sent. Wait a moment and refresh.',
  payload_too_large: 'What was sent is too large.',
  unsupported_media_type: 'Send the request body as JSON (Content-Type: application/json).',
  headers_too_large: 'The address or the headers are too long. Use a shorter link, or sign in again.',
  starting: 'The app is starting. Try again in a moment.',
  rate_limited: 'Too many decisions in a short time. Wait a few seconds and try again.',
  apono_unavailable: 'Apono is not answering right now. Wait a minute and try again.',
  internal: 'Something went wrong on our side. Try again; if it keeps happening, tell your administrator.',
};

export function errorBody(code: ErrorCode, message?: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message: message ?? defaultMessages[code], ...(details ? { details } : {}) } };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

const isText = (value: unknown) => typeof value === 'string' || typeof value === 'number';

function isParam(value: unknown): boolean {
  if (isText(value)) return true;
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string' || isMessage(item));
  if (typeof value !== 'object' || value === null) return false;
  if ('seconds' in value) return typeof value.seconds === 'number';
  if ('weekdayTime' in value) return typeof value.weekdayTime === 'string';
  if ('workHours' in value) return typeof value.workHours === 'object';
  return isMessage(value);
}

function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const { key, params } = value as { key?: unknown; params?: unknown };
  if (typeof key !== 'string' || !/^[\w.]{1,100}$/.test(key)) return false;
  if (params === undefined) return true;
  return typeof params === 'object' && params !== null && Object.values(params).every(isParam);
}

/** The error's sentence as a catalogue message (`details.message`), when the server made one for this case. */
export function messageOfError(details: unknown): Message | null {
  const said = (details as { message?: unknown } | null | undefined)?.message;
  return isMessage(said) ? said : null;
}
