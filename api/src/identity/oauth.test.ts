// "Sign in with Apono" end to end over real HTTP: the app's /start and /callback, the embedded
// sandbox's /oauth/authorize and /oauth/token, then the client API with the OAuth access token.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { redactPaths } from '../log.js';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const OAUTH_ENV = {
  APONO_OAUTH_CLIENT_ID: 'teams-app',
  APONO_OAUTH_AUTHORIZE_URL: '{origin}/sandbox/apono/oauth/authorize',
  APONO_OAUTH_TOKEN_URL: '{origin}/sandbox/apono/oauth/token',
};

interface TokenExchange {
  grantType: string;
  /** The refresh token sent, for refresh_token grants. */
  sent: string | null;
  status: number;
  body: { access_token?: string; refresh_token?: string; expires_in?: number; error?: string };
}

const databases = [{ name: 'PGlite' }, { name: 'PostgreSQL' }] as const;

describe.each(databases)('sign in with Apono (OAuth 2.0 code + PKCE) on $name', ({ name }) => {
  let server: TestServer;
  let pg: TestPostgres | undefined;
  const logLines: string[] = [];
  /** Everything the app asked of the token endpoint, and what it heard back. */
  const exchanges: TokenExchange[] = [];
  /** Every code, token and verifier seen in this run: none may reach a log line. */
  const secrets = new Set<string>();
  let alex: string;

  beforeAll(async () => {
    logLines.length = 0;
    const log = pino(
      { level: 'trace', redact: { paths: redactPaths, censor: '[redacted]' } },
      { write: (line: string) => void logLines.push(line) },
    );
    pg = name === 'PostgreSQL' ? await startPostgres() : undefined;
    server = await startTestServer({ ...OAUTH_ENV, ...(pg ? { DATABASE_URL: pg.url } : {}) }, { log });
    alex = await server.signIn('alexw@example.com');
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const response = await realFetch(input, init);
      if (String(input).endsWith('/oauth/token') && init?.body) {
        const form = new URLSearchParams(String(init.body));
        for (const key of ['code', 'code_verifier', 'refresh_token']) {
          const value = form.get(key);
          if (value) secrets.add(value);
        }
        const body = (await response.clone().json()) as TokenExchange['body'];
        if (body.access_token) secrets.add(body.access_token);
        if (body.refresh_token) secrets.add(body.refresh_token);
        exchanges.push({
          grantType: form.get('grant_type') ?? '',
          sent: form.get('refresh_token'),
          status: response.status,
          body,
        });
      }
      return response;
    });
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
    pg?.stop();
  });

  beforeEach(async () => {
    await server.call('DELETE', '/api/connection', alex);
    await server.call('PUT', '/api/sandbox/oauth', null, { accessTokenTtlSeconds: 3600 });
    exchanges.length = 0;
  });

  afterEach(() => {
    // Not a single code, token or verifier in any log line, whatever the test did.
    const all = logLines.join('\n');
    expect([...secrets].filter((s) => s && all.includes(s))).toEqual([]);
  });

  /** /start, then Apono's authorize page with login_hint: the URL Apono sends the browser back to. */
  async function authorize(token: string): Promise<URL> {
    const start = await server.call('GET', '/api/connection/oauth/start', token);
    expect(start.status).toBe(200);
    const answer = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location')!);
    secrets.add(back.searchParams.get('code') ?? '');
    return back;
  }

  /** The callback redirects to the tab's /auth-end page, with the outcome in the address. */
  async function land(url: URL | string) {
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!, server.url);
    expect(to.pathname).toBe('/auth-end');
    const q = to.searchParams;
    return {
      outcome: q.get('status'),
      reason: q.get('reason'),
      text: `${q.get('title')}\n${q.get('message')}`,
      /** What /auth-end's own words name (tab.authEnd.*), in the reader's language. */
      parts: { who: q.get('who'), detail: q.get('detail'), account: q.get('account') },
      headers: res.headers,
    };
  }

  async function connect(token: string) {
    const page = await land(await authorize(token));
    expect(page.outcome).toBe('ok');
    return page;
  }

  it('the sign-in window starts on /auth-start, our own page, which sends it on to Apono for a waiting state only', async () => {
    const start = await server.call('GET', '/api/connection/oauth/start', alex);
    const { startUrl, authorizeUrl } = start.body as { startUrl: string; authorizeUrl: string };
    expect(startUrl).toMatch(/^\/auth-start\?state=[\w-]{32}$/);
    const first = await fetch(server.url + startUrl, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(authorizeUrl);
    expect(first.headers.get('cache-control')).toBe('no-store');
    // Opening it again before finishing is fine (a reload); after the state is spent it is not.
    expect((await fetch(server.url + startUrl, { redirect: 'manual' })).status).toBe(302);
    const answer = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location')!);
    secrets.add(back.searchParams.get('code') ?? '');
    expect((await land(back)).outcome).toBe('ok');
    for (const path of [
      startUrl,
      '/auth-start',
      '/auth-start?state=made-up',
      `/auth-start?state=made-up&to=${encodeURIComponent('https://evil.example/')}`,
    ]) {
      const res = await fetch(server.url + path, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      const to = new URL(res.headers.get('location')!, server.url);
      expect(to.origin + to.pathname).toBe(`${server.url}/auth-end`);
      expect(to.searchParams.get('reason')).toBe('expired');
    }
  });

  it('refuses an Apono sign-in as someone other than the Teams user who started it', async () => {
    const adele = await server.signIn('adelev@example.com');
    await server.call('DELETE', '/api/connection', adele);
    const start = await server.call('GET', '/api/connection/oauth/start', adele);
    // The browser is signed in to Apono as Alex (a shared machine): Apono signs Alex in.
    const authorizeUrl = new URL(start.body.authorizeUrl as string);
    authorizeUrl.searchParams.set('login_hint', 'alexw@example.com');
    const answer = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location')!);
    secrets.add(back.searchParams.get('code') ?? '');
    const page = await land(back);
    expect(page.outcome).toBe('error');
    expect(page.reason).toBe('apono_account_mismatch');
    expect(page.text).toContain("This Apono account is Alex Wilber's (alexw@example.com)");
    expect(page.text).toContain('signed in to Teams as adelev@example.com');
    expect(page.parts).toEqual({ who: null, detail: null, account: 'alexw@example.com' });
    expect((await server.call('GET', '/api/me', adele)).body.connection).toEqual({ connected: false });
    expect((await server.call('GET', '/api/requests', adele)).body.error.code).toBe('not_connected');
  });

  it('connects a person who is not connected, and lists their pending requests with the OAuth token', async () => {
    expect((await server.call('GET', '/api/config')).body.aponoOAuth).toBe(true);
    const before = await server.call('GET', '/api/me', alex);
    expect(before.body.connection).toEqual({ connected: false });
    expect((await server.call('GET', '/api/requests', alex)).body.error.code).toBe('not_connected');

    const start = await server.call('GET', '/api/connection/oauth/start', alex);
    const authorizeUrl = new URL(start.body.authorizeUrl);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(
      `${server.url}/sandbox/apono/oauth/authorize`,
    );
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'teams-app',
      redirect_uri: `${server.url}/api/connection/oauth/callback`,
      code_challenge_method: 'S256',
      login_hint: 'alexw@example.com',
    });
    expect(authorizeUrl.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorizeUrl.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32);

    const page = await connect(alex);
    expect(page.text).toContain('Connected to Apono as Alex Wilber — you can close this window.');
    expect(page.parts).toEqual({ who: 'Alex Wilber', detail: null, account: null });
    expect(page.reason).toBeNull();
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');

    const me = await server.call('GET', '/api/me', alex);
    expect(me.body.connection).toEqual({
      connected: true,
      method: 'oauth',
      aponoUser: { name: 'Alex Wilber', email: 'alexw@example.com' },
    });
    const pending = await server.call('GET', '/api/requests', alex);
    expect(pending.status).toBe(200);
    expect(pending.body.requests.length).toBeGreaterThanOrEqual(25);
    expect(exchanges.map((e) => [e.grantType, e.status])).toEqual([['authorization_code', 200]]);
  });

  it('needs a signed-in caller to start', async () => {
    expect((await server.call('GET', '/api/connection/oauth/start')).status).toBe(401);
  });

  it('refuses a used state, and a replayed code, which also revokes what that code gave', async () => {
    const back = await authorize(alex);
    expect((await land(back)).outcome).toBe('ok');
    const again = await land(back);
    expect(again.outcome).toBe('error');
    expect(again.text).toContain('This sign-in has expired');
    expect(again.text).toContain('choose Sign in with Apono again');
    expect(again.reason).toBe('expired');

    // The same code under a fresh state: Apono refuses it, and revokes the tokens it issued.
    const fresh = await authorize(alex);
    fresh.searchParams.set('code', back.searchParams.get('code')!);
    const replay = await land(fresh);
    expect(replay.outcome).toBe('error');
    expect(replay.text).toContain('The sign-in code was already used or has expired.');
    expect(exchanges.at(-1)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // Its access token is refused, and so is its refresh token: the person signs in again.
    const after = await server.call('GET', '/api/requests', alex);
    expect(after.body.error.code).toBe('not_connected');
    expect(after.body.error.message).toContain('sign in with Apono again');
  });

  it('refuses an unknown, an expired or a missing state with a page that says what to do', async () => {
    const back = await authorize(alex);
    const wrong = new URL(back);
    wrong.searchParams.set('state', 'not-a-state-we-gave');
    const unknown = await land(wrong);
    expect(unknown.outcome).toBe('error');
    expect(unknown.text).toContain('older than 10 minutes or was already used');

    await server.db.query(`update oauth_states set created_at = now() - interval '11 minutes'`);
    const expired = await land(back);
    expect(expired.outcome).toBe('error');
    expect(expired.text).toContain('This sign-in has expired');
    expect(exchanges).toEqual([]); // nothing was sent to Apono

    const bare = await land(`${server.url}/api/connection/oauth/callback`);
    expect(bare.outcome).toBe('error');
    expect(bare.text).toContain('The link has no code or state.');
    const denied = await land(`${server.url}/api/connection/oauth/callback?error=access_denied&state=x`);
    expect(denied.text).toContain('You did not allow this app to use your Apono account.');
    const hostile = await land(
      `${server.url}/api/connection/oauth/callback?error=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    );
    // Encoded in the address, and shown by /auth-end as text (tests/e2e): never markup.
    expect(hostile.headers.get('location')).not.toMatch(/[<>"]/);
    expect(hostile.text).toContain('Apono answered "<img src=x onerror=alert(1)>"');
    expect(hostile.parts.detail).toBe('<img src=x onerror=alert(1)>');
    expect(denied.parts.detail).toBeNull();
    expect((await server.call('GET', '/api/me', alex)).body.connection.connected).toBe(false);
  });

  it('is refused by Apono when the PKCE verifier does not match the challenge', async () => {
    const back = await authorize(alex);
    await server.db.query(`update oauth_states set verifier = $1`, ['x'.repeat(64)]);
    const page = await land(back);
    expect(page.outcome).toBe('error');
    expect(page.text).toContain('Apono did not accept this sign-in');
    expect(exchanges.at(-1)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await server.call('GET', '/api/me', alex)).body.connection.connected).toBe(false);
  });

  it('refreshes an expired access token transparently, never twice with one refresh token, rotating it', async () => {
    await server.call('PUT', '/api/sandbox/oauth', null, { accessTokenTtlSeconds: 1 });
    await connect(alex);
    const first = exchanges[0]!.body;
    await new Promise((ok) => setTimeout(ok, 1100));
    const session = `${server.url}/sandbox/apono/api/client/v1/session`;
    const old = await fetch(session, { headers: { authorization: `Bearer ${first.access_token}` } });
    expect(old.status).toBe(401); // the sandbox no longer accepts it

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => server.call('GET', '/api/requests', alex)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    // Tokens shorter-lived than the 30 s renewal margin are renewed at each use, but a refresh token
    // is never sent twice: parallel calls share one refresh, and each refresh starts from the last.
    const refreshes = exchanges.filter((e) => e.grantType === 'refresh_token');
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.every((e) => e.status === 200)).toBe(true);
    const sent = refreshes.map((e) => e.sent);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent[0]).toBe(first.refresh_token);
    refreshes.slice(1).forEach((e, i) => expect(e.sent).toBe(refreshes[i]!.body.refresh_token));
    const second = refreshes[0]!.body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    // The spent refresh token is refused: rotation.
    const reuse = await fetch(`${server.url}/sandbox/apono/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token! }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    // Reuse of a spent token signals a leak: Apono revoked the whole grant, so the person reconnects.
    const after = await server.call('GET', '/api/requests', alex);
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: 'not_connected' });
    expect(after.body.error.message).toContain('sign in with Apono again');
  });

  it('asks to connect again (401 not_connected) when Apono no longer accepts the refresh token', async () => {
    await server.call('PUT', '/api/sandbox/oauth', null, { accessTokenTtlSeconds: 1 });
    await connect(alex);
    expect(
      (await server.call('POST', '/api/sandbox/oauth/revoke', null, { email: 'alexw@example.com' })).status,
    ).toBe(200);
    const answer = await server.call('GET', '/api/requests', alex);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('not_connected');
    expect((await server.call('GET', '/api/me', alex)).body.connection).toEqual({ connected: false });
    // And connecting again works.
    await connect(alex);
    expect((await server.call('GET', '/api/requests', alex)).status).toBe(200);
  });

  it('keeps codes, tokens and verifiers out of the logs', async () => {
    await server.call('PUT', '/api/sandbox/oauth', null, { accessTokenTtlSeconds: 1 });
    await connect(alex);
    await server.call('GET', '/api/requests', alex); // a refresh
    const [verifier] = await server.db.query<{ verifier: string }>('select verifier from oauth_states');
    if (verifier) secrets.add(verifier.verifier);
    const all = logLines.join('\n');
    expect(all).toContain('/api/connection/oauth/callback?code=[redacted]&state=[redacted]');
    expect(all).toContain('"query":{"code":"[redacted]","state":"[redacted]"}');
    expect(secrets.size).toBeGreaterThan(3);
    expect([...secrets].filter((s) => s && all.includes(s))).toEqual([]);
  });
});

describe('without Apono OAuth configured', () => {
  it('offers the token paste screen and no OAuth routes', async () => {
    const server = await startTestServer();
    try {
      expect((await server.call('GET', '/api/config')).body.aponoOAuth).toBe(false);
      const alex = await server.signIn('alexw@example.com');
      expect((await server.call('GET', '/api/connection/oauth/start', alex)).status).toBe(404);
      expect((await server.call('GET', '/api/me', alex)).body.connection.method).toBe('sandbox');
    } finally {
      await server.close();
    }
  });
});
