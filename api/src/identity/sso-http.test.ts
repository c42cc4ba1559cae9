// Teams SSO end to end over HTTP, in teams mode: the server fetches Entra's key set (served here by a
// local HTTP server), and every bad token in the matrix is refused by the API itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startServer, type RunningServer } from '../server.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '11111111-1111-1111-1111-111111111111';
const CLIENT_ID = '5d8e5b7c-1f4a-4f7e-9a55-0b1c2d3e4f50';
const APP_ID_URI = `api://approvals.example.com/${CLIENT_ID}`;

let keys: Server;
let app: RunningServer;
let good: CryptoKey;
let other: CryptoKey;
let keyFetches = 0;

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: JWTPayload = {}): JWTPayload => ({
  iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  aud: APP_ID_URI,
  tid: TENANT,
  oid: 'b7d1c1a0-0000-4000-8000-000000000001',
  preferred_username: 'alex@contoso.example',
  name: 'Alex Wilber',
  scp: 'access_as_user',
  ver: '2.0',
  iat: now(),
  nbf: now(),
  exp: now() + 3600,
  ...over,
});
const sign = (payload: JWTPayload, key: CryptoKey = good, kid = 'entra-1') =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  good = pair.privateKey;
  other = (await generateKeyPair('RS256')).privateKey;
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'entra-1', alg: 'RS256', use: 'sig' }],
  });
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
      const res = await me(await sign(claims({ aud })));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        user: { name: 'Alex Wilber', email: 'alex@contoso.example', tenantId: TENANT },
        connection: { connected: false },
      });
    }
    expect(keyFetches).toBeGreaterThan(0);
  });

  const bad: Array<[string, () => Promise<string | undefined>]> = [
    ['missing', async () => undefined],
    ['not a JWT', async () => 'not-a-token'],
    ['expired', () => sign(claims({ exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 }))],
    ['not yet valid', () => sign(claims({ nbf: now() + 3600 }))],
    ['wrong audience', () => sign(claims({ aud: 'api://someone-else' }))],
    ['wrong issuer (v1 endpoint)', () => sign(claims({ iss: `https://sts.windows.net/${TENANT}/` }))],
    [
      'issuer of another tenant than tid',
      () => sign(claims({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })),
    ],
    [
      'tenant not allowed',
      () =>
        sign(claims({ tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })),
    ],
    ['missing scope', () => sign(claims({ scp: undefined }))],
    ['wrong scope', () => sign(claims({ scp: 'User.Read' }))],
    ['signed with another key', () => sign(claims(), other)],
    ['unknown key ID', () => sign(claims(), good, 'entra-2')],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await sign(claims())).split('.');
        return `${h}.${b64(claims({ oid: 'someone-else' }))}.${s}`;
      },
    ],
  ];

  it.each(bad)('refuses a token that is %s with 401 unauthenticated', async (_why, make) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});
