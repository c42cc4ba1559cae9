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
