// "Sign in with Apono": OAuth 2.0 authorization code with PKCE, as a public client, and the
// refresh of an expired access token. The state and the PKCE verifier live in oauth_states, bound to
// the person who started, used once and for at most ten minutes. No token ever reaches a log.
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../http/errors.js';
import { jsonValue, type Db } from '../store/db.js';
import type { Connection, Credential } from './connections.js';
import { signInNames, type Caller } from './tokens.js';

export interface OAuthProvider {
  clientId: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Where Apono sends the browser back: this server's /api/connection/oauth/callback. */
  redirectUri: string;
  /** Space-separated; Apono's CLI asks for end_user:access_requests:read and :write (apono-io/apono-cli). */
  scopes?: string;
}

export interface AponoOAuthOptions {
  provider: OAuthProvider;
  db: Pick<Db, 'query'>;
  timeoutMs: number;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

export const STATE_TTL_MS = 10 * 60_000;

/** What went wrong, in terms the callback page and the refresh can act on. */
export class OAuthFailure extends Error {
  constructor(
    readonly kind: 'state' | 'denied' | 'invalid_grant' | 'unavailable' | 'bad_response',
    message: string,
  ) {
    super(message);
    this.name = 'OAuthFailure';
  }
}

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  token_type?: unknown;
  error?: unknown;
}

/** The stored sign-in names; anything but a list of strings counts as none. */
function namesFrom(value: unknown): string[] {
  const list = jsonValue(value);
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : [];
}

export function createAponoOAuth(options: AponoOAuthOptions) {
  const { provider, db } = options;
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));

  async function tokenRequest(params: Record<string, string>): Promise<Credential> {
    let response: Response;
    try {
      response = await doFetch(provider.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ ...params, client_id: provider.clientId }).toString(),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch {
      throw new OAuthFailure('unavailable', 'Apono sign-in could not be reached');
    }
    let answer: TokenAnswer = {};
    try {
      answer = (await response.json()) as TokenAnswer;
    } catch {
      /* not JSON: judged by the status below */
    }
    if (response.status === 400 || response.status === 401) {
      // invalid_grant: the code or refresh token is spent, expired or revoked. Anything else at
      // 400/401 (invalid_client, invalid_request) is a configuration problem, not the person's.
      if (answer.error === 'invalid_grant')
        throw new OAuthFailure('invalid_grant', 'Apono refused the grant');
      throw new OAuthFailure('bad_response', `Apono's token endpoint refused: ${String(answer.error)}`);
    }
    if (!response.ok)
      throw new OAuthFailure('unavailable', `Apono's token endpoint answered ${response.status}`);
    const { access_token, refresh_token, expires_in, token_type } = answer;
    const issuedAt = Date.now();
    if (typeof access_token !== 'string' || !access_token || String(token_type).toLowerCase() !== 'bearer')
      throw new OAuthFailure('bad_response', "Apono's token endpoint gave no bearer access token");
    return {
      accessToken: access_token,
      ...(typeof refresh_token === 'string' && refresh_token ? { refreshToken: refresh_token } : {}),
      ...(typeof expires_in === 'number' && expires_in > 0
        ? { expiresAt: issuedAt + expires_in * 1000, issuedAt }
        : {}),
    };
  }

  /** Apono's authorize endpoint for a state, with the PKCE challenge of its verifier (RFC 7636). */
  function authorizeUrl(state: string, verifier: string, loginHint: string): string {
    const url = new URL(provider.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', provider.clientId);
    url.searchParams.set('redirect_uri', provider.redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    if (provider.scopes) url.searchParams.set('scope', provider.scopes);
    if (loginHint) url.searchParams.set('login_hint', loginHint);
    return url.toString();
  }

  return {
    /**
     * A new state + PKCE verifier bound to the caller. The sign-in window opens on our /auth-start
     * with the state, which sends it on to `authorizeUrl` (Apono's page for that state).
     */
    async start(caller: Caller): Promise<{ state: string; authorizeUrl: string }> {
      const state = randomBytes(24).toString('base64url');
      const verifier = randomBytes(48).toString('base64url'); // 64 characters, RFC 7636 §4.1
      await db.query(`delete from oauth_states where created_at < now() - interval '1 day'`);
      await db.query(
        'insert into oauth_states (state, tenant_id, object_id, verifier, teams_names) values ($1, $2, $3, $4, $5)',
        [state, caller.tenantId, caller.objectId, verifier, JSON.stringify(signInNames(caller))],
      );
      return { state, authorizeUrl: authorizeUrl(state, verifier, caller.email) };
    },

    /** Apono's sign-in page for a state that is still waiting (not used, under ten minutes old); else null. */
    async authorizeUrlFor(state: string): Promise<string | null> {
      const [row] = await db.query<{ verifier: string; teams_names: unknown; age_ms: number }>(
        `select verifier, teams_names, extract(epoch from (now() - created_at)) * 1000 as age_ms
           from oauth_states where state = $1`,
        [state],
      );
      if (!row || Number(row.age_ms) > STATE_TTL_MS) return null;
      return authorizeUrl(state, row.verifier, namesFrom(row.teams_names)[0] ?? '');
    },

    /** Spends a state (once, within ten minutes) and redeems the code with its verifier. */
    async finish(state: string, code: string): Promise<{ caller: Caller; credential: Credential }> {
      const [row] = await db.query<{
        tenant_id: string;
        object_id: string;
        verifier: string;
        teams_names: unknown;
        age_ms: number;
      }>(
        `delete from oauth_states where state = $1
         returning tenant_id, object_id, verifier, teams_names, extract(epoch from (now() - created_at)) * 1000 as age_ms`,
        [state],
      );
      if (!row || Number(row.age_ms) > STATE_TTL_MS)
        throw new OAuthFailure('state', 'The sign-in state is unknown, used or expired');
      const credential = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: provider.redirectUri,
        code_verifier: row.verifier,
      });
      // The account Apono signed in is matched against who started the sign-in in Teams.
      const names = namesFrom(row.teams_names);
      return {
        caller: { tenantId: row.tenant_id, objectId: row.object_id, name: '', email: names[0] ?? '', names },
        credential,
      };
    },

    /**
     * A renewed credential for an expiring OAuth connection, or null when the refresh token is no
     * longer accepted (the person has to sign in again). Apono being down is an error, not null.
     * Rotation makes a second use of a refresh token fatal, so callers must run one refresh per
     * connection at a time, across instances: identity/service.ts does so under the row lock.
     */
    async refresh(connection: Connection): Promise<Credential | null> {
      const refreshToken = connection.credential.refreshToken;
      if (connection.method !== 'oauth' || !refreshToken) return null;
      try {
        const credential = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
        return { refreshToken, ...credential }; // a provider may keep the old one
      } catch (err) {
        if (err instanceof OAuthFailure && err.kind === 'invalid_grant') return null;
        if (err instanceof OAuthFailure && err.kind === 'unavailable')
          throw new AppError('apono_unavailable', undefined, undefined, { 'Retry-After': '30' });
        throw err;
      }
    },
  };
}

export type AponoOAuth = ReturnType<typeof createAponoOAuth>;
