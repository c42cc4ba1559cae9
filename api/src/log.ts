// Structured JSON logs. Tokens, secrets and reasons never reach a log line, at any level.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'token',
  '*.token',
  'reason',
  '*.reason',
  'password',
  '*.password',
  'secret',
  '*.secret',
  // Database errors (also when logged as a cause): see errorSecretKeys.
  ...['err', 'err.cause', 'err.cause.cause', 'error', 'error.cause'].flatMap((at) =>
    ['query', 'params', 'parameters', 'queryOptions', 'detail', 'where', 'internalQuery', 'client'].map(
      (key) => `${at}.${key}`,
    ),
  ),
];

/**
 * Fields of an error that repeat what was sent to the database, and so may hold a reason, a token or
 * a key: PGlite's errors carry the statement and its parameters (`query`, `params`, `queryOptions`);
 * PostgreSQL's carry row values in `detail` ("Failing row contains (...)", "Key (...)=(...)") and
 * parameter values in `where`; pg's pool errors carry the `client`, with its connection settings.
 * The SQLSTATE `code`, the `message`, the `constraint`, `table` and `column` stay: they say what failed.
 */
export const errorSecretKeys: ReadonlySet<string> = new Set([
  'query',
  'params',
  'parameters',
  'queryOptions',
  'detail',
  'where',
  'internalQuery',
  'client',
]);

const censor = '[redacted]';

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { message?: unknown }).message === 'string' &&
      typeof (value as { stack?: unknown }).stack === 'string')
  );
}

function isPlain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of an error fit for a log line: the same class, message and stack, every field but those in
 * errorSecretKeys (censored), and its `cause` and `errors` (AggregateError) scrubbed the same way.
 */
export function scrubError<E>(err: E, seen: WeakMap<object, unknown> = new WeakMap()): E {
  if (!isErrorLike(err)) return err;
  const done = seen.get(err);
  if (done) return done as E;
  const copy = Object.create(Object.getPrototypeOf(err) as object | null) as E & object;
  seen.set(err, copy);
  for (const key of Reflect.ownKeys(err)) {
    const desc = Object.getOwnPropertyDescriptor(err, key)!;
    if ('value' in desc) {
      if (typeof key === 'string' && errorSecretKeys.has(key) && desc.value !== undefined)
        desc.value = censor;
      else desc.value = scrubValue(desc.value, seen, 0);
    }
    Object.defineProperty(copy, key, desc);
  }
  return copy;
}

/** Errors inside plain objects and arrays (a few levels deep) scrubbed; anything else as it is. */
function scrubValue(value: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
  if (isErrorLike(value)) return scrubError(value, seen);
  if (depth >= 4 || !isPlain(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const scrubbed = scrubValue(v, seen, depth + 1);
    if (scrubbed !== v) changed = true;
    return [k, scrubbed] as const;
  });
  if (!changed) return value;
  return Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

/**
 * Every log call's object passes here before pino's serializers, in this logger and its children
 * (pino-http's included): any error in it, under any key and as any cause, is scrubbed.
 */
export function scrubLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(object, new WeakMap(), 0) as Record<string, unknown>;
}

/** `destination`: where the lines go (standard output unless given; tests read them). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: redactPaths, censor },
    base: { service: 'apono-teams' },
    formatters: { log: scrubLogObject },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Query parameters that carry a credential (OAuth codes and tokens) in a URL. */
const secretParamNames = [
  'code',
  'state',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code_verifier',
];
const secretParams = new RegExp(`([?&](?:${secretParamNames.join('|')})=)[^&#]*`, 'gi');

/** A URL fit for a log line: credential-bearing query values replaced. */
export function redactUrl(url: unknown): unknown {
  return typeof url === 'string' ? url.replace(secretParams, '$1[redacted]') : url;
}

/** A serialized request (pino-http's `req`) fit for a log line: URL and query without credentials. */
export function redactRequest<T extends { url?: unknown; query?: unknown }>(req: T): T {
  const query =
    req.query && typeof req.query === 'object'
      ? Object.fromEntries(
          Object.entries(req.query).map(([k, v]) => [
            k,
            secretParamNames.includes(k.toLowerCase()) ? '[redacted]' : v,
          ]),
        )
      : req.query;
  return { ...req, url: redactUrl(req.url), query };
}
