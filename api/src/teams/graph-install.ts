// Proactive installation (Microsoft Learn, "Proactively install your bot for users using Microsoft
// Graph" and "Send a personal welcome message"): with the application permission
// TeamsAppInstallation.ReadWriteSelfForUser.All, granted by an admin, the bot installs its own app for
// an approver who does not have it, then finds the 1:1 chat that installation made. Graph installs only
// apps published to the org's catalog; its catalog ID differs from the manifest's ID.
import { isRetryable, withRetry, type RetryOptions } from '../delivery/retry.js';
import type { Logger } from '../log.js';

export interface GraphInstallOptions {
  graphUrl: string;
  loginUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The manifest's app ID (TEAMS_APP_ID), to find the catalog ID when that is not configured. */
  manifestAppId: string;
  catalogAppId?: string | undefined;
  log: Logger;
  /** Defaults to the same backoff as the Bot Connector's (`TEAMS_RETRY`). */
  retry?: RetryOptions;
  /** For tests: the clock that token lifetimes and remembered refusals are read against. */
  now?: () => number;
}

/**
 * How long Entra's refusal of the app's credentials is remembered. The token endpoint answers 400 or
 * 401 with an OAuth error code (invalid_client, unauthorized_client, invalid_scope, invalid_request...;
 * Microsoft identity platform, "OAuth 2.0 client credentials flow", Error response:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response):
 * configuration that asking again at once will not fix, so one event asks once, not once per
 * stranger. Throttling, 5xx and network errors are not refusals and are never remembered.
 */
export const TOKEN_REFUSAL_MS = 5 * 60_000;

/** Graph said no: the status and Graph's error code, for the admin's list of unreachable people. */
export class GraphInstallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`Microsoft Graph answered ${status} ${code}`);
  }
}

interface GraphAnswer {
  status: number;
  data: { id?: unknown; value?: Array<{ id?: unknown }>; error?: { code?: string } } | undefined;
}

/**
 * Graph throttles with 429 and a Retry-After, and answers 503/504 when busy (Microsoft Learn,
 * "Microsoft Graph throttling guidance"): such an answer is thrown in the shape withRetry reads
 * (status and headers), so it is tried again after the wait Graph asked for.
 */
class GraphBusy extends Error {
  constructor(readonly response: { status: number; headers: Headers }) {
    super(`Microsoft Graph answered ${response.status}`);
  }
}

/** One Graph or token call: retried while Graph asks to wait; still busy after that, a GraphInstallError. */
async function retrying(retry: RetryOptions | undefined, send: () => Promise<Response>): Promise<Response> {
  try {
    return await withRetry(async () => {
      const answer = await send();
      const busy = new GraphBusy({ status: answer.status, headers: answer.headers });
      if (isRetryable(busy)) {
        await answer.body?.cancel();
        throw busy;
      }
      return answer;
    }, retry);
  } catch (err) {
    if (err instanceof GraphBusy) throw new GraphInstallError(err.response.status, 'throttled');
    throw err;
  }
}

const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

export function createGraphInstaller(options: GraphInstallOptions) {
  const graph = `${options.graphUrl.replace(/\/+$/, '')}/v1.0`;
  const now = options.now ?? Date.now;
  let token: { value: string; until: number } | null = null;
  let refused: { status: number; until: number } | null = null;
  let catalogId = options.catalogAppId ?? null;

  /** One token request at a time: strangers of events at the same moment wait for the same answer. */
  let asking: Promise<string> | null = null;
  function accessToken(): Promise<string> {
    if (token && token.until > now()) return Promise.resolve(token.value);
    if (refused && refused.until > now())
      return Promise.reject(new GraphInstallError(refused.status, 'token_refused'));
    return (asking ??= askForToken().finally(() => (asking = null)));
  }

  async function askForToken(): Promise<string> {
    // Client credentials for the bot's own Entra app (Microsoft identity platform, v2.0 token endpoint).
    const answer = await retrying(options.retry, () =>
      fetch(
        `${options.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: options.clientId,
            client_secret: options.clientSecret,
            scope: 'https://graph.microsoft.com/.default',
          }),
          signal: AbortSignal.timeout(10_000),
        },
      ),
    );
    const body = (await answer.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: unknown;
    };
    const refusal = answer.status === 400 || answer.status === 401;
    if (refusal) {
      refused = { status: answer.status, until: now() + TOKEN_REFUSAL_MS };
      // Only the OAuth error code: error_description can echo what was sent.
      const code = typeof body.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? body.error : null;
      options.log.error(
        { status: answer.status, entraError: code, retryInMs: TOKEN_REFUSAL_MS },
        "Entra refused the app's credentials for Microsoft Graph, so approvers the bot has not met cannot be installed for. Check GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (BOT_ID and BOT_PASSWORD when those are unset), that the secret has not expired, and the app's Graph permissions. Not asking again for 5 minutes.",
      );
    }
    if (!answer.ok || !body.access_token)
      // Only a 400/401 is Entra saying no to these credentials; anything else is it being unwell.
      throw new GraphInstallError(answer.status, refusal ? 'token_refused' : 'token_unavailable');
    refused = null;
    token = {
      value: body.access_token,
      until: now() + Math.max(60, (body.expires_in ?? 3600) - 300) * 1000,
    };
    return token.value;
  }

  async function call(method: string, path: string, body?: unknown): Promise<GraphAnswer> {
    const authorization = `Bearer ${await accessToken()}`;
    const answer = await retrying(options.retry, () =>
      fetch(`${graph}${path}`, {
        method,
        headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
      }),
    );
    const data = (await answer.json().catch(() => undefined)) as GraphAnswer['data'];
    return { status: answer.status, data };
  }

  async function appCatalogId(): Promise<string> {
    if (catalogId) return catalogId;
    // Needs AppCatalog.Read.All as well; set TEAMS_CATALOG_APP_ID to do without.
    const found = await call(
      'GET',
      `/appCatalogs/teamsApps?$filter=externalId eq ${odataString(options.manifestAppId)}`,
    );
    const id = found.data?.value?.[0]?.id;
    if (found.status !== 200 || typeof id !== 'string')
      throw new GraphInstallError(found.status, found.data?.error?.code ?? 'app_not_in_catalog');
    catalogId = id;
    return id;
  }

  return {
    /**
     * Installs the app for the person (Entra object ID or UPN) unless it is there already (409), and
     * returns the chat ID of the bot's 1:1 chat with them, which the Bot Connector takes as a
     * conversation ID.
     */
    async installFor(user: string): Promise<string> {
      const userPath = `/users/${encodeURIComponent(user)}/teamwork/installedApps`;
      const app = await appCatalogId();
      const installed = await call('POST', userPath, {
        'teamsApp@odata.bind': `${graph}/appCatalogs/teamsApps/${app}`,
      });
      if (installed.status !== 201 && installed.status !== 409)
        throw new GraphInstallError(installed.status, installed.data?.error?.code ?? 'install_failed');
      const listed = await call(
        'GET',
        `${userPath}?$expand=teamsApp&$filter=teamsApp/id eq ${odataString(app)}`,
      );
      const installationId = listed.data?.value?.[0]?.id;
      if (listed.status !== 200 || typeof installationId !== 'string')
        throw new GraphInstallError(listed.status, listed.data?.error?.code ?? 'installation_not_found');
      const chat = await call('GET', `${userPath}/${encodeURIComponent(installationId)}/chat`);
      const chatId = chat.data?.id;
      if (chat.status !== 200 || typeof chatId !== 'string')
        throw new GraphInstallError(chat.status, chat.data?.error?.code ?? 'chat_not_found');
      options.log.info({ installationId }, 'installed the app for an approver through Microsoft Graph');
      return chatId;
    },
  };
}

export type GraphInstaller = ReturnType<typeof createGraphInstaller>;
