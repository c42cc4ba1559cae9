// Renewing "Sign in with Apono" credentials over real HTTP: one refresh across instances that share
// a database, a renewal when Apono revokes an access token before it expires, and a renewal margin
// that follows the token's lifetime.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { createConnectionStore } from './connections.js';
import { keyringFrom } from './secret-box.js';

const OAUTH_ENV = {
  APONO_OAUTH_CLIENT_ID: 'teams-app',
  APONO_OAUTH_AUTHORIZE_URL: '{origin}/sandbox/apono/oauth/authorize',
  APONO_OAUTH_TOKEN_URL: '{origin}/sandbox/apono/oauth/token',
};
const ALEX = { tenantId: '00000000-0000-0000-0000-0000000000001', email: 'alexw@example.com' };

interface Exchange {
  grantType: string;
  status: number;
  body: { access_token?: string; refresh_token?: string; error?: string };
}

/** Every call any server in this process makes to an /oauth/token endpoint. */
function watchTokenEndpoint(): Exchange[] {
  const exchanges: Exchange[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const response = await realFetch(input, init);
    if (String(input).endsWith('/oauth/token') && init?.body) {
      const form = new URLSearchParams(String(init.body));
      exchanges.push({
        grantType: form.get('grant_type') ?? '',
        status: response.status,
        body: (await response.clone().json()) as Exchange['body'],
      });
    }
    return response;
  });
  return exchanges;
}

/** /start on `server`, Apono's authorize page (login_hint), then the callback: connected. */
async function connect(server: TestServer, token: string): Promise<void> {
  const start = await server.call('GET', '/api/connection/oauth/start', token);
  expect(start.status).toBe(200);
  const authorize = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  await fetch(authorize.headers.get('location')!, { redirect: 'manual' });
  expect((await server.call('GET', '/api/me', token)).body.connection).toMatchObject({
    connected: true,
    method: 'oauth',
  });
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const refreshes = (exchanges: Exchange[]) => exchanges.filter((e) => e.grantType === 'refresh_token');

describe('two instances sharing one PostgreSQL database', () => {
  let pg: TestPostgres;
  let a: TestServer;
  let b: TestServer;
  let exchanges: Exchange[];

  beforeAll(async () => {
    pg = await startPostgres();
    a = await startTestServer({ ...OAUTH_ENV, DATABASE_URL: pg.url });
    // Instance B has no sandbox of its own: it talks to the one in A, as two instances talk to one Apono.
    b = await startTestServer({
      DATABASE_URL: pg.url,
      SANDBOX_APONO: 'false',
      APONO_BASE_URL: `${a.url}/sandbox/apono`,
      APONO_OAUTH_CLIENT_ID: 'teams-app',
      APONO_OAUTH_AUTHORIZE_URL: `${a.url}/sandbox/apono/oauth/authorize`,
      APONO_OAUTH_TOKEN_URL: `${a.url}/sandbox/apono/oauth/token`,
    });
    exchanges = watchTokenEndpoint();
  }, 60_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await b?.close();
    await a?.close();
    pg?.stop();
  });

  it('refresh an expired token once between them: both answer, and the person stays connected', async () => {
    const onA = await a.signIn(ALEX.email);
    const onB = await b.signIn(ALEX.email);
    await a.call('PUT', '/api/sandbox/oauth', null, { accessTokenTtlSeconds: 2 });
    await connect(a, onA);
    await sleep(2100); // expired, on both instances
    exchanges.length = 0;

    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? b : a).call('GET', '/api/requests', i % 2 ? onB : onA)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    // Rotation + reuse detection: a second refresh with the same token would revoke the whole grant.
    expect(refreshes(exchanges).map((e) => e.status)).toEqual([200]);
    for (const [server, token] of [
      [a, onA],
      [b, onB],
    ] as const) {
      expect((await server.call('GET', '/api/me', token)).body.connection.connected).toBe(true);
      expect((await server.call('GET', '/api/requests', token)).status).toBe(200);
    }
  });
});

const databases = [{ name: 'PGlite' }, { name: 'PostgreSQL' }] as const;

describe.each(databases)('renewing an OAuth credential on $name', ({ name }) => {
  let server: TestServer;
  let pg: TestPostgres | undefined;
  let exchanges: Exchange[];
  let alex: string;

  beforeAll(async () => {
    pg = name === 'PostgreSQL' ? await startPostgres() : undefined;
    server = await startTestServer({ ...OAUTH_ENV, ...(pg ? { DATABASE_URL: pg.url } : {}) });
    alex = await server.signIn(ALEX.email);
    exchanges = watchTokenEndpoint();
  }, 60_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
    pg?.stop();
  });

  beforeEach(async () => {
    await server.call('DELETE', '/api/connection', alex);
    await server.call('PUT', '/api/sandbox/oauth', null, { accessTokenTtlSeconds: 3600 });
    await server.call('POST', '/api/sandbox/reset', null, {});
    await server.db.query('delete from decisions');
    server.aponoDecisions.length = 0;
    exchanges.length = 0;
  });

  afterEach(() => {
    exchanges.length = 0;
  });

  const revoke = (token: string) =>
    fetch(`${server.url}/sandbox/apono/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });

  it('an access token revoked before it expires: renewed once, and the read is answered', async () => {
    await connect(server, alex);
    const issued = exchanges.at(-1)!.body;
    expect((await revoke(issued.access_token!)).status).toBe(200);

    const answers = await Promise.all(
      Array.from({ length: 4 }, () => server.call('GET', '/api/requests', alex)),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(refreshes(exchanges).map((e) => e.status)).toEqual([200]);
    expect((await server.call('GET', '/api/requests/AR-1001', alex)).status).toBe(200);
    expect(refreshes(exchanges)).toHaveLength(1);
  });

  it('a decision after the access token was revoked: renewed on the read before it, sent once', async () => {
    await connect(server, alex);
    expect((await revoke(exchanges.at(-1)!.body.access_token!)).status).toBe(200);
    const decided = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'ok' });
    expect(decided.status).toBe(200);
    expect(decided.body.request.decision).toMatchObject({
      outcome: 'approved',
      decidedBy: { name: 'Alex Wilber' },
    });
    expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1001', action: 'approve' }]);
    expect(refreshes(exchanges)).toHaveLength(1);
  });

  it('every token revoked (admin route) before expiry: the refresh is refused, so not_connected', async () => {
    await connect(server, alex);
    const revoked = await server.call('POST', '/api/sandbox/oauth/revoke', null, { email: ALEX.email });
    expect(revoked.status).toBe(200);
    const answer = await server.call('GET', '/api/requests', alex);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('not_connected');
    expect(answer.body.error.message).toContain('sign in with Apono again');
    expect(refreshes(exchanges).map((e) => e.body.error)).toEqual(['invalid_grant']);
    expect((await server.call('GET', '/api/me', alex)).body.connection).toEqual({ connected: false });
    const decide = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'ok' });
    expect(decide.body.error.code).toBe('not_connected');
    expect(server.aponoDecisions).toEqual([]);
  });

  it('a token living less than the 30 s margin is used most of its life, then renewed once', async () => {
    await server.call('PUT', '/api/sandbox/oauth', null, { accessTokenTtlSeconds: 3 });
    const connected = Date.now();
    await connect(server, alex);
    for (let i = 0; i < 3; i++) expect((await server.call('GET', '/api/requests', alex)).status).toBe(200);
    expect(Date.now() - connected).toBeLessThan(2000); // the test itself was fast enough to mean something
    expect(refreshes(exchanges)).toEqual([]);

    await sleep(Math.max(0, connected + 2400 - Date.now())); // within the last quarter of its life
    for (let i = 0; i < 2; i++) expect((await server.call('GET', '/api/requests', alex)).status).toBe(200);
    expect(refreshes(exchanges).map((e) => e.status)).toEqual([200]);
  });

  it('a personal API token that Apono refuses stays apono_token_invalid (nothing to renew)', async () => {
    const token = await server.signIn('adelev@example.com');
    const connected = await server.call('PUT', '/api/connection', token, { token: 'apono-sandbox-adelev' });
    expect(connected.body.connection.method).toBe('token');
    // The token is withdrawn in Apono after it was saved: store one Apono no longer knows.
    const keyring = keyringFrom({ id: 'k1', base64: Buffer.alloc(32, 7).toString('base64') }, undefined);
    const [row] = await server.db.query<{ object_id: string }>(
      `select object_id from apono_connections where apono_email = 'adelev@example.com'`,
    );
    await createConnectionStore(server.db, keyring).save(
      { tenantId: ALEX.tenantId, objectId: row!.object_id },
      {
        method: 'token',
        aponoUser: { id: null, name: 'Adele Vance', email: 'adelev@example.com' },
        credential: { accessToken: 'apono-sandbox-withdrawn' },
      },
    );
    const answer = await server.call('GET', '/api/requests', token);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('apono_token_invalid');
    expect(refreshes(exchanges)).toEqual([]);
  });
});
