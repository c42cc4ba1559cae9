// Apono's client API, typed from the spec, called as one person: every call carries that person's
// own credential. Failures become AponoError so callers can tell "Apono said no" from "Apono is down".
// One circuit breaker per Apono base URL stops the app hammering an Apono that is down; reads retry a
// failure briefly, decisions never.
import {
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  retry,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import createClient from 'openapi-fetch';
import type { AponoAccessRequest, AponoAccessUnit, AponoSession, paths } from '@apono-teams/domain/apono.js';
import { nodeFetch, PlainRequest } from './transport.js';

export type AponoFailure = 'unavailable' | 'unauthorized' | 'forbidden' | 'not_found' | 'rejected';

export interface AponoErrorHints {
  /** Seconds until a call may succeed: Apono's Retry-After, or how long the open breaker stays open. */
  retryAfterSeconds?: number;
  /** Nothing was sent to Apono (the breaker is open), so a decision was certainly not made. */
  notSent?: boolean;
  /** No answer within the timeout. */
  timedOut?: boolean;
}

export class AponoError extends Error {
  constructor(
    readonly kind: AponoFailure,
    message: string,
    readonly status: number | null,
    hints: AponoErrorHints = {},
  ) {
    super(message);
    this.retryAfterSeconds = hints.retryAfterSeconds;
    this.notSent = hints.notSent ?? false;
    this.timedOut = hints.timedOut ?? false;
  }
  readonly retryAfterSeconds: number | undefined;
  readonly notSent: boolean;
  readonly timedOut: boolean;
}

/** How the client copes with an Apono that is down. Defaults in brackets. */
export interface AponoResilience {
  /** Calls in a row that find Apono down before the breaker opens and calls fail fast [5]. */
  failuresToOpen?: number;
  /** How long an open breaker fails fast before it lets one call through to probe Apono [10 000 ms]. */
  halfOpenAfterMs?: number;
  /** Extra attempts of a read that found Apono down; decisions are never retried [2]. */
  readRetries?: number;
  /** The first and the largest delay between read attempts, with jitter [100 and 400 ms]. */
  retryDelayMs?: { initial: number; max: number };
}

export interface AponoClientOptions {
  baseUrl: string;
  timeoutMs: number;
  fetch?: (input: Request) => Promise<Response>;
  /** Items per page when reading every page (Apono's default is 100). */
  pageSize?: number;
  /**
   * The breaker is shared by every client of one base URL in this process; the first client created
   * for a URL sets its thresholds.
   */
  resilience?: AponoResilience;
}

export type DecisionAction = 'approve' | 'reject';

/** Pages of one list read at once, once the first page gave the total. */
export const PAGE_CONCURRENCY = 4;
/** A list longer than this is refused loudly: a runaway "has_more" or total must not loop for ever. */
export const MAX_LIST_ITEMS = 100_000;

function failureOf(status: number): AponoFailure {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}

/** Apono's Retry-After in whole seconds, when it sent one as a number. */
function retryAfterOf(response: Response): number | undefined {
  const value = /^\s*(\d{1,6})\s*$/.exec(response.headers.get('retry-after') ?? '')?.[1];
  return value === undefined ? undefined : Number(value);
}

/**
 * What says Apono is down, for the breaker: no answer, or a 5xx / 408. A 429 is Apono slowing one
 * caller down, not an outage, so it does not open the breaker for everyone; a 4xx is an answer.
 */
function isOutage(err: unknown): boolean {
  return err instanceof AponoError && err.kind === 'unavailable' && err.status !== 429 && !err.notSent;
}

/**
 * What a read tries again: no connection or a 5xx. Never a 4xx (408 and 429 included); never a
 * timeout, which has already cost the whole timeout that callers budget for; never a call the open
 * breaker refused.
 */
function isRetryable(err: unknown): boolean {
  return (
    err instanceof AponoError &&
    err.kind === 'unavailable' &&
    !err.notSent &&
    !err.timedOut &&
    (err.status === null || err.status >= 500)
  );
}

/** What each call hands openapi-fetch; `text` where the body is compared with the last one. */
type Init = {
  headers: Record<string, string>;
  signal: AbortSignal;
  parseAs?: 'text';
};

interface Guard {
  breaker: CircuitBreakerPolicy;
  failuresToOpen: number;
  halfOpenAfterMs: number;
  openedAt: number;
}

/** One breaker per Apono base URL: every caller of one Apono shares what it has learnt. */
const guards = new Map<string, Guard>();

function guardFor(baseUrl: string, resilience: AponoResilience): Guard {
  const key = baseUrl.replace(/\/+$/, '');
  const known = guards.get(key);
  if (known) return known;
  const failuresToOpen = resilience.failuresToOpen ?? 5;
  const halfOpenAfterMs = resilience.halfOpenAfterMs ?? 10_000;
  const guard: Guard = {
    breaker: circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(failuresToOpen),
    }),
    failuresToOpen,
    halfOpenAfterMs,
    openedAt: 0,
  };
  guard.breaker.onBreak(() => {
    guard.openedAt = Date.now();
  });
  guards.set(key, guard);
  return guard;
}

/** Runs `work` on each item, at most `limit` at a time, answers in the items' order; stops at the first failure. */
async function inTurns<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(items[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const tooLong = () =>
  new AponoError(
    'unavailable',
    `Apono listed more than ${MAX_LIST_ITEMS.toLocaleString('en')} items; the list was not read to the end.`,
    null,
  );

/** Freezes a parsed body all the way down: it is handed to every later read of the same bytes. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

/** Characters an HTTP header (and so a bearer token) can carry: visible ASCII. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

export function createAponoClient(options: AponoClientOptions) {
  const PAGE = options.pageSize ?? 100;
  // Our own transport takes openapi-fetch's plain requests (transport.ts); a fetch given by a caller
  // (tests) gets real Requests, as fetch expects.
  const http = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch ?? nodeFetch,
    ...(options.fetch ? {} : { Request: PlainRequest as unknown as typeof Request }),
  });
  // Looked up at each call, so that resetBreaker() takes effect for every client of the URL.
  const guardNow = () => guardFor(options.baseUrl, options.resilience ?? {});
  const delays = options.resilience?.retryDelayMs ?? { initial: 100, max: 400 };
  /** Reads in flight, per credential (by its hash): identical ones share one Apono call. */
  const inFlight = new Map<string, Map<string, Promise<unknown>>>();
  const holderOf = (token: string) => createHash('sha256').update(token).digest('base64url');
  /**
   * The last body of each read, by credential and call. Bytes equal to the last ones give back the
   * very objects parsed then (frozen), so what the caller built from them (the mapped requests, the
   * answer's JSON and ETag) can be reused instead of built again: a poll of an unchanged list costs
   * the Apono call and a comparison (issue 11, 1). Apono is still asked every time.
   */
  const lastBodies = new LRUCache<string, { text: string; data: unknown }>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (body) => Math.max(1, body.text.length),
  });

  /** One Apono call for identical reads of one credential made while the first is still waiting. */
  function shared<T>(token: string, what: unknown[], run: () => Promise<T>): Promise<T> {
    const holder = holderOf(token);
    const key = JSON.stringify(what);
    let reads = inFlight.get(holder);
    const running = reads?.get(key);
    if (running) return running as Promise<T>;
    if (!reads) inFlight.set(holder, (reads = new Map()));
    const mine = reads;
    const pending = run().finally(() => {
      if (mine.get(key) === pending) mine.delete(key);
      if (!mine.size && inFlight.get(holder) === mine) inFlight.delete(holder);
    });
    mine.set(key, pending);
    return pending;
  }
  const readRetry = retry(handleWhen(isRetryable), {
    maxAttempts: options.resilience?.readRetries ?? 2,
    backoff: new ExponentialBackoff({ initialDelay: delays.initial, maxDelay: delays.max }),
  });

  /**
   * Runs one call through the breaker. An answer from Apono, even a refusal, shows Apono is up and
   * counts as a success; only an outage counts against it. While the breaker is open nothing is sent.
   */
  async function guarded<T>(attempt: () => Promise<T>): Promise<T> {
    const guard = guardNow();
    let outcome: { value: T } | { refusal: unknown };
    try {
      outcome = await guard.breaker.execute(async () => {
        try {
          return { value: await attempt() };
        } catch (err) {
          if (isOutage(err)) throw err;
          return { refusal: err };
        }
      });
    } catch (err) {
      if (!isBrokenCircuitError(err)) throw err;
      const left = guard.openedAt + guard.halfOpenAfterMs - Date.now();
      const seconds = Math.max(1, Math.ceil(left / 1000));
      throw new AponoError(
        'unavailable',
        `Apono is not answering: ${guard.failuresToOpen} calls in a row found it down, so none is sent for ${seconds} s; then one call checks whether it is back.`,
        null,
        { retryAfterSeconds: seconds, notSent: true },
      );
    }
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome.value;
  }

  /** A read: retried briefly when Apono is down, inside the breaker (a read that fails counts once). */
  function read<T>(attempt: () => Promise<T>): Promise<T> {
    return guarded(() => readRetry.execute(attempt));
  }

  async function call<T>(
    run: (init: Init) => Promise<{ data?: T; error?: unknown; response: Response }>,
    token: string,
    /** What this read is (its path and query): its body is compared with the last one of the same. */
    same?: string,
  ): Promise<T> {
    if (!TOKEN_CHARACTERS.test(token))
      throw new AponoError(
        'unauthorized',
        'This Apono token has characters no Apono token has (spaces, control or non-ASCII characters); paste it again.',
        null,
      );
    let result: { data?: T; error?: unknown; response: Response };
    // AbortSignal.timeout's signal, made by hand: the same TimeoutError, without the transferable
    // signal and weak timer Node builds for it at each call (a measurable part of a list read).
    const controller = new AbortController();
    const { signal } = controller;
    const timer = setTimeout(
      () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      options.timeoutMs,
    ).unref();
    // The deadline is kept here too, not only by fetch: it then covers reading the body, and holds
    // with a fetch that does not follow the signal into the Request it builds.
    let stop: (() => void) | undefined;
    const deadline = new Promise<never>((_ok, fail) => {
      stop = () => fail(signal.reason as Error);
      signal.addEventListener('abort', stop, { once: true });
    });
    try {
      const init: Init = { headers: { Authorization: `Bearer ${token}` }, signal };
      if (same !== undefined) init.parseAs = 'text';
      result = await Promise.race([run(init), deadline]);
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new AponoError(
        'unavailable',
        timedOut ? `Apono did not answer within ${options.timeoutMs} ms` : 'Apono could not be reached',
        null,
        { timedOut },
      );
    } finally {
      clearTimeout(timer);
      if (stop) signal.removeEventListener('abort', stop);
    }
    const { response } = result;
    if (!response.ok) {
      const body = result.error as { message?: unknown } | undefined;
      const message = typeof body?.message === 'string' ? body.message : `Apono answered ${response.status}`;
      const retryAfterSeconds = retryAfterOf(response);
      throw new AponoError(
        failureOf(response.status),
        message,
        response.status,
        retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
      );
    }
    if (same === undefined || typeof result.data !== 'string') return result.data as T;
    return parsedOnce<T>(`${holderOf(token)} ${same}`, result.data);
  }

  /** The body's objects: those of the last read of `key` when the text is the same, else parsed now. */
  function parsedOnce<T>(key: string, text: string): T {
    const last = lastBodies.get(key);
    if (last?.text === text) return last.data as T;
    const data = frozen(JSON.parse(text) as T);
    lastBodies.set(key, { text, data });
    return data;
  }

  type Page<T> = { data: T[]; pagination: { total?: number | null; has_more?: boolean | null } };

  /**
   * Every page of a list. Once the first page gives the total, the others are read at once, a few at a
   * time, and kept in Apono's order; without a total, page after page until Apono says there is no more
   * (has_more, else a short page).
   */
  async function allPages<T>(
    token: string,
    what: string,
    request: (page: {
      skip: number;
      limit: number;
    }) => (init: Init) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>,
  ): Promise<T[]> {
    const page = (skip: number) =>
      read(() => call(request({ skip, limit: PAGE }), token, `${what} skip=${skip} limit=${PAGE}`));
    const first = await page(0);
    // Apono may send fewer items than asked for: its page size is what the first page holds.
    const step = first.data.length;
    const total = first.pagination.total;
    if (step === 0 || first.pagination.has_more === false) return first.data;
    if (total != null) {
      if (total > MAX_LIST_ITEMS) throw tooLong();
      const skips: number[] = [];
      for (let skip = step; skip < total; skip += step) skips.push(skip);
      const rest = await inTurns(skips, PAGE_CONCURRENCY, page);
      return [first.data, ...rest.map((p) => p.data)].flat();
    }
    const all = [...first.data];
    for (let last = first; last.pagination.has_more ?? last.data.length === PAGE;) {
      if (all.length >= MAX_LIST_ITEMS) throw tooLong();
      last = await page(all.length);
      if (!last.data.length) break;
      all.push(...last.data);
    }
    return all;
  }

  return {
    /** Forget what the breaker learnt about this Apono (the embedded sandbox's reset: a fresh Apono). */
    resetBreaker(): void {
      guards.delete(options.baseUrl.replace(/\/+$/, ''));
    },

    session(token: string): Promise<AponoSession> {
      return shared(token, ['session'], () =>
        read(() => call((init) => http.GET('/api/client/v1/session', init), token)),
      );
    },

    /** Every page of a list, in Apono's order. */
    async listRequests(
      token: string,
      query: {
        scope: 'MyTasks' | 'MyRequests' | 'MyHistoricTasks';
        statuses?: string[];
        request_ids?: string[];
      },
    ): Promise<AponoAccessRequest[]> {
      const what = ['requests', query.scope, query.statuses, query.request_ids];
      return shared(token, what, () =>
        allPages(
          token,
          JSON.stringify(what),
          (page) => (init) =>
            http.GET('/api/client/v1/access-requests', { ...init, params: { query: { ...query, ...page } } }),
        ),
      );
    },

    getRequest(token: string, id: string): Promise<AponoAccessRequest> {
      return shared(token, ['request', id], () =>
        read(() =>
          call(
            (init) => http.GET('/api/client/v1/access-requests/{id}', { ...init, params: { path: { id } } }),
            token,
            JSON.stringify(['request', id]),
          ),
        ),
      );
    },

    /** Every resource and permission of one access group. */
    async listUnits(token: string, accessGroupId: string): Promise<AponoAccessUnit[]> {
      return shared(token, ['units', accessGroupId], () =>
        allPages(
          token,
          JSON.stringify(['units', accessGroupId]),
          (page) => (init) =>
            http.GET('/api/client/v1/access-groups/{id}/units', {
              ...init,
              params: { path: { id: accessGroupId }, query: page },
            }),
        ),
      );
    },

    async decide(
      token: string,
      id: string,
      action: DecisionAction,
      justification: string | null,
    ): Promise<string> {
      const path =
        action === 'approve'
          ? '/api/client/v1/access-requests/{id}/approve'
          : '/api/client/v1/access-requests/{id}/reject';
      // Never retried: a decision Apono may have applied must be re-read, not sent again. It does pass
      // the breaker, so while Apono is down it fails at once, and AponoError.notSent says it was not sent.
      // Reads of this person that started before it may show the request as it was: none is shared after.
      inFlight.delete(holderOf(token));
      try {
        const data = await guarded(() =>
          call(
            (init) => http.POST(path, { ...init, params: { path: { id } }, body: { justification } }),
            token,
          ),
        );
        return data.message;
      } finally {
        inFlight.delete(holderOf(token));
      }
    },
  };
}

export type AponoClient = ReturnType<typeof createAponoClient>;
