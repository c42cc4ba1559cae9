// What every answer carries, whatever the route: security headers, request IDs, JSON errors, and
// logs that never hold a token.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { redactPaths } from '../log.js';
import { startServer, type RunningServer } from '../server.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

describe('HTTP hygiene', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('lets only Teams and Microsoft 365 frame the app', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
    expect(ancestors).toContain('https://teams.microsoft.com');
    expect(ancestors).toContain('https://*.cloud.microsoft');
    expect(ancestors).not.toContain('*');
    expect(ancestors.every((a) => a === "'self'" || /^https:\/\/[\w*.-]+\.(com|microsoft|us)$/.test(a))).toBe(
      true,
    );
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('gives every answer a request ID, and keeps a well-formed one the caller sent', async () => {
    expect((await fetch(`${server.url}/healthz`)).headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    const mine = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-123');
    const forged = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(forged.headers.get('x-request-id')).not.toContain('script');
  });

  it('answers health and readiness', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({
      status: 'ready',
      database: 'pglite',
    });
  });

  it('answers unknown API routes with the JSON error shape', async () => {
    const res = await server.call('GET', '/api/nothing-here', await server.signIn('alexw@example.com'));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});

describe('logs', () => {
  it('never contain a sign-in token, an Apono token or a reason at info', async () => {
    const lines: string[] = [];
    let token: string;
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
    const server = await startServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: ':memory:', LOG_LEVEL: 'info' }),
      { log },
    );
    try {
      const signIn = await fetch(`${server.url}/api/sandbox/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":"alexw@example.com"}',
      });
      ({ token } = (await signIn.json()) as { token: string });
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      await fetch(`${server.url}/api/connection`, {
        method: 'PUT',
        headers: auth,
        body: JSON.stringify({ token: 'apono-sandbox-alexw' }),
      });
      await fetch(`${server.url}/api/requests/AR-1001/approve`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ reason: 'secret-reason-text' }),
      });
      await fetch(`${server.url}/api/requests/AR-1003/approve`, {
        method: 'POST',
        headers: { ...auth, authorization: 'Bearer forged.token.value' },
        body: '{}',
      });
    } finally {
      await server.close();
    }
    const all = lines.join('');
    expect(all).toContain('decision attempt'); // the audit line is there...
    expect(token.length).toBeGreaterThan(100);
    expect(all).not.toContain(token); // ...but no bearer token,
    expect(all).not.toContain(token.split('.')[0]!);
    expect(all).not.toContain('apono-sandbox-alexw'); // no Apono token,
    expect(all).not.toContain('secret-reason-text'); // no reason,
    expect(all).not.toContain('forged.token.value');
  });
});

describe('outside sandbox mode', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: ':memory:',
        LOG_LEVEL: 'silent',
        APP_MODE: 'teams',
        AAD_APP_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        AAD_APP_TENANT_ID: '66666666-7777-8888-9999-000000000000',
        BOT_ID: '11111111-2222-3333-4444-666666666666',
        BOT_PASSWORD: 'not-used-in-this-test',
        BOT_TENANT_ID: '66666666-7777-8888-9999-000000000000',
        APONO_BASE_URL: 'http://127.0.0.1:9',
      }),
    );
  });
  afterAll(() => server.close());

  it('has no sandbox sign-in, no sandbox users and no sandbox admin API', async () => {
    for (const [method, path] of [
      ['POST', '/api/sandbox/sign-in'],
      ['GET', '/api/sandbox/users'],
      ['POST', '/api/sandbox/reset'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{"email":"alexw@example.com"}' : undefined,
      });
      expect(res.status).toBe(401); // behind Teams SSO, and not there at all
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
    expect((await fetch(`${server.url}/sandbox/apono/api/client/v1/session`)).status).toBe(404);
  });
});
