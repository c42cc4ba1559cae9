// A decision made just after the approver read the request (the tab's list, a card) starts from that
// read: the decision is the first Apono call. The reason rule still holds before Apono hears of it,
// and what changed since is told from a fresh read.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startServer, type RunningServer } from '../server.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start() {
  const aponoCalls: string[] = [];
  server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: ':memory:', LOG_LEVEL: 'silent' }),
    {
      log: createLogger('silent'),
      aponoFetch: (request) => {
        const url = new URL(request.url);
        aponoCalls.push(`${request.method} ${url.pathname.replace(/^.*\/api\/client\/v1/, '')}`);
        return fetch(request);
      },
    },
  );
  const url = server.url;
  const { token } = (await (
    await fetch(`${url}/api/sandbox/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alexw@example.com' }),
    })
  ).json()) as { token: string };
  const alex = { authorization: `Bearer ${token}` };
  const decide = (id: string, action: string, reason: string | null) =>
    fetch(`${url}/api/requests/${id}/${action}`, {
      method: 'POST',
      headers: { ...alex, 'content-type': 'application/json' },
      body: JSON.stringify({ reason }),
    });
  return { url, alex, decide, aponoCalls, sandbox: server.sandbox!.sandbox };
}

describe('deciding right after reading the list', () => {
  it('sends the approval as the first Apono call after the list was read', async () => {
    const { url, alex, decide, aponoCalls } = await start();
    await fetch(`${url}/api/requests`, { headers: alex });
    aponoCalls.length = 0;
    const res = await decide('AR-1001', 'approve', 'Looks right');
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { request: { decision: { outcome: string } } }).request.decision.outcome,
    ).toBe('approved');
    expect(aponoCalls[0]).toBe('POST /access-requests/AR-1001/approve');
  });

  it('still refuses a rejection without a reason where the flow requires one, and Apono hears nothing', async () => {
    const { url, alex, decide, aponoCalls } = await start();
    await fetch(`${url}/api/requests`, { headers: alex });
    aponoCalls.length = 0;
    const res = await decide('AR-1003', 'reject', null);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('reason_required');
    expect(aponoCalls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('tells who decided when Adele decided in Apono after Alex read the list', async () => {
    const { url, alex, decide, sandbox } = await start();
    await fetch(`${url}/api/requests`, { headers: alex });
    const adele = sandbox.users.find((u) => u.email === 'adelev@example.com')!;
    sandbox.reject(adele, 'AR-1001', 'Not during the freeze');
    const res = await decide('AR-1001', 'approve', 'Looks right');
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('already_decided');
    expect(body.error.message).toMatch(/rejected by Adele Vance/);
  });

  it('reads afresh when the request changed since the last read', async () => {
    const { url, alex, decide, aponoCalls } = await start();
    await fetch(`${url}/api/requests`, { headers: alex });
    await decide('AR-1001', 'approve', 'Looks right');
    aponoCalls.length = 0;
    // AR-1001 changed (this decision), so a second click starts from Apono, and is told it is done.
    const again = await decide('AR-1001', 'reject', 'Changed my mind');
    expect(again.status).toBe(409);
    expect(aponoCalls[0]).not.toMatch(/^POST/);
  });
});
