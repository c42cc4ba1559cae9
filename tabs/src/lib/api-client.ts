// The one way the tab talks to its API: bearer token on every call, errors turned into ApiError
// carrying the server's sentence (`error.message`), which is what a person sees.
import { isErrorBody } from '@apono-teams/domain/errors.js';

export type TokenProvider = () => Promise<string | null>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  /** From Retry-After, when the server says when to try again (429, 503). */
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: Record<string, unknown>,
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

type AuthProblemListener = (error: ApiError) => void;

let tokenProvider: TokenProvider = async () => null;
const authProblemListeners = new Set<AuthProblemListener>();

export function setTokenProvider(provider: TokenProvider): void {
  tokenProvider = provider;
}

/** Called when the server says the sign-in or the Apono connection is gone, so the app can re-route. */
export function onAuthProblem(listener: AuthProblemListener): () => void {
  authProblemListeners.add(listener);
  return () => authProblemListeners.delete(listener);
}

const signInFailed =
  'Teams could not sign you in to Apono Approvals. Reload the tab; if it keeps happening, ask your administrator to grant the app consent.';
const unreachable =
  'The Approvals service could not be reached. Check your network connection and try again.';

export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: { auth?: boolean } = {},
): Promise<T> {
  // Without If-None-Match the server has nothing to answer 304 to.
  const answer = await send<T>(method, path, body, options);
  return answer.unchanged ? (undefined as T) : answer.body;
}

/** A read that may come back unchanged: `unchanged` is 304 to the ETag given, with no body read. */
export type Conditional<T> = { unchanged: true } | { unchanged: false; body: T; etag: string | null };

/**
 * A GET with If-None-Match: a poll of something the tab already holds costs a 304 with no body,
 * and the caller leaves its state alone (RFC 9110 §13.1.2).
 */
export async function apiGetIfChanged<T>(path: string, etag: string | null): Promise<Conditional<T>> {
  return send<T>('GET', path, undefined, etag ? { ifNoneMatch: etag } : {});
}

async function send<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body: unknown,
  options: { auth?: boolean; ifNoneMatch?: string },
): Promise<Conditional<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.ifNoneMatch) headers['If-None-Match'] = options.ifNoneMatch;
  if (options.auth !== false) {
    let token: string | null;
    try {
      token = await tokenProvider();
    } catch {
      throw new ApiError(0, 'sign_in_failed', signInFailed);
    }
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', unreachable);
  }
  if (response.status === 304) return { unchanged: true };
  const etag = response.headers.get('ETag');
  if (response.status === 204) return { unchanged: false, body: undefined as T, etag };
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return { unchanged: false, body: payload as T, etag };
  const retryAfter = Number(response.headers.get('Retry-After'));
  const error = isErrorBody(payload)
    ? new ApiError(
        response.status,
        payload.error.code,
        payload.error.message,
        payload.error.details,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      )
    : new ApiError(
        response.status,
        'unexpected',
        `The Approvals service answered ${response.status}. Try again in a moment.`,
      );
  if (error.code === 'unauthenticated' || error.code === 'not_connected') {
    for (const listener of authProblemListeners) listener(error);
  }
  throw error;
}

export const apiGet = <T>(path: string, options?: { auth?: boolean }) =>
  apiRequest<T>('GET', path, undefined, options);

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong in the app. Reload the tab and try again.';
}
