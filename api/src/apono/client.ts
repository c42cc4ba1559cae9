// Apono's client API, typed from the spec, called as one person: every call carries that person's
// own credential. Failures become AponoError so callers can tell "Apono said no" from "Apono is down".
import createClient from 'openapi-fetch';
import type { AponoAccessRequest, AponoAccessUnit, AponoSession, paths } from '@apono-teams/domain/apono.js';

export type AponoFailure = 'unavailable' | 'unauthorized' | 'forbidden' | 'not_found' | 'rejected';

export class AponoError extends Error {
  constructor(
    readonly kind: AponoFailure,
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface AponoClientOptions {
  baseUrl: string;
  timeoutMs: number;
  fetch?: (input: Request) => Promise<Response>;
  /** Items per page when reading every page (Apono's default is 100). */
  pageSize?: number;
}

export type DecisionAction = 'approve' | 'reject';

const MAX_PAGES = 50; // a runaway "has_more" must not loop forever

function failureOf(status: number): AponoFailure {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}

export function createAponoClient(options: AponoClientOptions) {
  const PAGE = options.pageSize ?? 100;
  const http = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function call<T>(
    run: (init: {
      headers: Record<string, string>;
      signal: AbortSignal;
    }) => Promise<{ data?: T; error?: unknown; response: Response }>,
    token: string,
  ): Promise<T> {
    let result: { data?: T; error?: unknown; response: Response };
    try {
      result = await run({
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new AponoError(
        'unavailable',
        timedOut ? `Apono did not answer within ${options.timeoutMs} ms` : 'Apono could not be reached',
        null,
      );
    }
    const { response } = result;
    if (!response.ok) {
      const body = result.error as { message?: unknown } | undefined;
      const message = typeof body?.message === 'string' ? body.message : `Apono answered ${response.status}`;
      throw new AponoError(failureOf(response.status), message, response.status);
    }
    return result.data as T;
  }

  type Page<T> = { data: T[]; pagination: { total?: number | null; has_more?: boolean | null } };
  type Init = { headers: Record<string, string>; signal: AbortSignal };

  /** Reads page after page until Apono says there is no more (has_more, else total, else a short page). */
  async function allPages<T>(
    token: string,
    request: (page: {
      skip: number;
      limit: number;
    }) => (init: Init) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>,
  ): Promise<T[]> {
    const all: T[] = [];
    for (let n = 0; n < MAX_PAGES; n++) {
      const data = await call(request({ skip: n * PAGE, limit: PAGE }), token);
      all.push(...data.data);
      const more =
        data.pagination.has_more ??
        (data.pagination.total != null ? all.length < data.pagination.total : data.data.length === PAGE);
      if (!more || data.data.length === 0) break;
    }
    return all;
  }

  return {
    session(token: string): Promise<AponoSession> {
      return call((init) => http.GET('/api/client/v1/session', init), token);
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
      return allPages(
        token,
        (page) => (init) =>
          http.GET('/api/client/v1/access-requests', { ...init, params: { query: { ...query, ...page } } }),
      );
    },

    getRequest(token: string, id: string): Promise<AponoAccessRequest> {
      return call(
        (init) => http.GET('/api/client/v1/access-requests/{id}', { ...init, params: { path: { id } } }),
        token,
      );
    },

    /** Every resource and permission of one access group. */
    async listUnits(token: string, accessGroupId: string): Promise<AponoAccessUnit[]> {
      return allPages(
        token,
        (page) => (init) =>
          http.GET('/api/client/v1/access-groups/{id}/units', {
            ...init,
            params: { path: { id: accessGroupId }, query: page },
          }),
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
      const data = await call(
        (init) => http.POST(path, { ...init, params: { path: { id } }, body: { justification } }),
        token,
      );
      return data.message;
    },
  };
}

export type AponoClient = ReturnType<typeof createAponoClient>;
