// What the Bot Connector answers when it wants the bot to slow down or try again: 429 (with
// Retry-After), 412, 502, 503, 504, and timeouts or dropped connections. Microsoft Learn ("Optimize
// your bot with rate limiting") asks for exponential backoff with jitter; Retry-After wins when given.

const RETRYABLE = new Set([412, 429, 502, 503, 504]);
const NETWORK = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ECONNREFUSED',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

interface HttpishError {
  code?: string;
  name?: string;
  /** fetch (undici) puts the socket's error code here: TypeError('fetch failed', { cause }). */
  cause?: { code?: string };
  response?: { status?: number; headers?: Record<string, unknown> | { get?: (name: string) => unknown } };
}

export function statusOf(err: unknown): number | undefined {
  return (err as HttpishError | null)?.response?.status;
}

export function isRetryable(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return RETRYABLE.has(status);
  const e = err as HttpishError | null;
  // AbortSignal.timeout() ends a fetch with a DOMException named TimeoutError.
  if (e?.name === 'TimeoutError') return true;
  const code = e?.code ?? e?.cause?.code;
  return !!code && NETWORK.has(code);
}

/** Retry-After in milliseconds (seconds, or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(err: unknown, now = Date.now()): number | null {
  const headers = (err as HttpishError | null)?.response?.headers;
  if (!headers) return null;
  const raw =
    typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get: (n: string) => unknown }).get('retry-after')
      : (headers as Record<string, unknown>)['retry-after'];
  const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** For tests: the wait itself. */
  sleep?: (ms: number) => Promise<void>;
}

export const TEAMS_RETRY: RetryOptions = { attempts: 6, baseMs: 500, maxMs: 30_000 };

/** Runs `call` until it succeeds or fails with something retrying will not fix. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = TEAMS_RETRY): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= options.attempts || !isRetryable(err)) throw err;
      // Full jitter: anywhere up to the exponential step, so that many callers do not retry in step.
      const backoff = Math.random() * Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
      const told = retryAfterMs(err);
      await sleep(told !== null ? Math.min(told, options.maxMs) : backoff);
    }
  }
}
