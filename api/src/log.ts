// Structured JSON logs. Tokens, secrets and reasons never reach a log line at info.
import { pino, type Logger } from 'pino';

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
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'apono-teams' },
  });
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
