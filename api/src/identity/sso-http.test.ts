// Teams SSO end to end over HTTP, in teams mode: the server fetches Entra's key set (served here by a
// local HTTP server), and every bad token in the matrix is refused by the API itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startServer, type RunningServer } from '../server.js';
import { BAD_TOKENS, createTokenForge, type TokenForge } from '../test-support/token-forge.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '5d8e5b7c-1f4a-4f7e-9a55-0b1c2d3e4f50';
const APP_ID_URI = `api://approvals.example.com/${CLIENT_ID}`;

let keys: Server;
let app: RunningServer;
let forge: TokenForge;
let keyFetches = 0;

beforeAll(async () => {
  forge = await createTokenForge({
    tenant: TENANT,
    audience: APP_ID_URI,
    issuerFor: (tid) => `https://login.microsoftonline.com/${tid}/v2.0`,
    user: { oid: 'b7d1c1a0-0000-4000-8000-000000000001', email: 'alex@contoso.example', name: 'Alex Wilber' },
    kid: 'entra-1',
  });
  const jwks = JSON.stringify(forge.jwks);
  keys = createServer((_req, res) => {
    keyFetches++;
    res.setHeader('content-type', 'application/json');
    res.end(jwks);
  }).listen(0, '127.0.0.1');
  await new Promise((ok) => keys.once('listening', ok));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    APP_MODE: 'teams',
    AAD_APP_CLIENT_ID: CLIENT_ID,
    AAD_APP_TENANT_ID: TENANT,
    AAD_APP_ID_URI: APP_ID_URI,
    BOT_ID: '00000000-0000-4000-8000-0000000000b0',
    BOT_PASSWORD: 'unused-here',
    BOT_TENANT_ID: TENANT,
    SANDBOX_APONO: 'true',
    // Alex signs in to Teams as alex@contoso.example; his Apono account is alexw@example.com.
    APONO_ACCOUNT_MAP: 'alex@contoso.example=alexw@example.com',
  });
  app = await startServer(config, {
    log: createLogger('silent'),
    entraJwksUrl: `http://127.0.0.1:${(keys.address() as AddressInfo).port}/common/discovery/v2.0/keys`,
  });
});

afterAll(async () => {
  await app?.close();
  keys?.close();
});

const me = (token: string | undefined) =>
  fetch(`${app.url}/api/me`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

describe('Teams SSO over HTTP', () => {
  it('accepts an Entra v2 token for the API (by client ID or App ID URI) and names the caller', async () => {
    for (const aud of [APP_ID_URI, CLIENT_ID]) {
      const res = await me(await forge.sign(forge.claims({ aud })));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        user: { name: 'Alex Wilber', email: 'alex@contoso.example', tenantId: TENANT },
        connection: { connected: false },
      });
    }
    expect(keyFetches).toBeGreaterThan(0);
  });

  it.each(BAD_TOKENS)('refuses a token that is %s with 401 unauthenticated', async (kind) => {
    const res = await me(await forge.badToken(kind));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});

describe('connecting an Apono account in teams mode', () => {
  const connect = async (apono: string, claims: Record<string, string> = {}) =>
    fetch(`${app.url}/api/connection`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await forge.sign(forge.claims(claims))}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ token: apono }),
    });

  it('takes the caller’s own account through the admin’s mapping, and refuses anyone else’s', async () => {
    const own = await connect('apono-sandbox-alexw');
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ connection: { aponoUser: { email: 'alexw@example.com' } } });
    const other = await connect('apono-sandbox-adelev');
    expect(other.status).toBe(403);
    const body = (await other.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('apono_account_mismatch');
    expect(body.error.message).toContain('signed in to Teams as alex@contoso.example');
    // Still connected as himself.
    expect(await (await me(await forge.sign(forge.claims()))).json()).toMatchObject({
      connection: { aponoUser: { email: 'alexw@example.com' } },
    });
  });

  it('matches the UPN or email claim as well as preferred_username', async () => {
    const viaUpn = await connect('apono-sandbox-meganb', {
      oid: 'b7d1c1a0-0000-4000-8000-000000000002',
      preferred_username: 'megan@contoso.onmicrosoft.com',
      upn: 'meganb@example.com',
    });
    expect(viaUpn.status).toBe(200);
  });
});
