// What Apono does not say, handled as issue "Real Apono" asks: both request ID forms, account
// settings, decisions made elsewhere, honest "why you", and a sandbox reset that resets this app too.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reseed, startTestServer, type TestServer } from '../test-support/server.js';
import { sendCreated } from '../test-support/webhook.js';
import type { Message } from '@apono-teams/domain/message.js';
import { inEnglish } from '@apono-teams/domain/read-catalogues.js';

const SECRET = 'real-apono-webhook-secret-0123456789';

const decideInApono = (server: TestServer, person: string, id: string, action: 'approve' | 'reject') =>
  fetch(`${server.url}/sandbox/apono/api/client/v1/access-requests/${id}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer apono-sandbox-${person}`, 'content-type': 'application/json' },
    body: JSON.stringify({ justification: 'decided in the portal' }),
  });

describe.each(['friendly', 'internal'] as const)('against the sandbox with %s request IDs', (mode) => {
  let server: TestServer;
  let alex: string;
  /** The client API's ID of a seeded request in this mode. */
  let idOf: (friendly: string) => string;

  beforeAll(async () => {
    server = await startTestServer({ SANDBOX_REQUEST_IDS: mode, APONO_WEBHOOK_SECRET: SECRET });
    server.sandbox?.sandbox.configureWebhook(null); // this suite delivers its own
    alex = await server.signIn('alexw@example.com');
    const { internalIdOf } = await import('@apono-teams/sandbox/sandbox.js');
    idOf = (friendly) => (mode === 'internal' ? internalIdOf(friendly) : friendly);
  }, 60_000);
  afterAll(() => server?.close());
  beforeEach(() => reseed(server));

  it('lists and decides under the ID the client API uses', async () => {
    const list = await server.call('GET', '/api/requests', alex);
    const ids = list.body.requests.map((r: { id: string }) => r.id);
    expect(ids).toContain(idOf('AR-1001'));
    if (mode === 'internal') expect(ids.every((id: string) => !id.startsWith('AR-'))).toBe(true);
    const res = await server.call('POST', `/api/requests/${idOf('AR-1001')}/approve`, alex, { reason: 'ok' });
    expect(res.status).toBe(200);
    expect(server.aponoDecisions).toEqual([{ requestId: idOf('AR-1001'), action: 'approve' }]);
  });

  it('a webhook naming both IDs is re-read by friendly_id, then data.id, and the pair is remembered', async () => {
    const changedEvent = new Promise<{ requestId: string }>((ok) => server.events.once('changed', ok));
    const status = await sendCreated(server.url, SECRET, {
      id: idOf('AR-1002') === 'AR-1002' ? 'not-the-client-api-id' : idOf('AR-1002'),
      friendlyId: 'AR-1002',
      flowName: 'Production databases',
    });
    expect(status).toBe(202);
    const changed = await changedEvent;
    expect(changed.requestId).toBe(idOf('AR-1002'));
    const byFriendly = await server.call('GET', '/api/requests/AR-1002', alex);
    expect(byFriendly.status).toBe(200);
    expect(byFriendly.body.request).toMatchObject({
      id: idOf('AR-1002'),
      displayId: 'AR-1002',
      accessFlow: 'Production databases',
    });
  });

  it('an ID Apono does not know under either form is 404', async () => {
    const res = await server.call('GET', '/api/requests/AR-9999', alex);
    expect(res.status).toBe(404);
  });
});

describe('against the sandbox, what Apono does not say', () => {
  let server: TestServer;
  let alex: string;

  beforeAll(async () => {
    server = await startTestServer();
    alex = await server.signIn('alexw@example.com');
  }, 60_000);
  afterAll(() => server?.close());
  beforeEach(() => reseed(server));

  it('says why you are the approver without claiming more than Apono shows', async () => {
    const list = await server.call('GET', '/api/requests', alex);
    const reasons = new Set(
      list.body.requests.flatMap((r: { viewer: { approverReasons: Message[] } }) =>
        r.viewer.approverReasons.map(inEnglish),
      ),
    );
    expect(reasons).toContain('You are named as an approver');
    expect([...reasons].some((r) => String(r).startsWith('Apono asks you as one of: group '))).toBe(true);
    for (const r of reasons) expect(String(r)).not.toMatch(/member of|on call|own the/);
  });

  it('a decision made in Apono names the entry and says nothing of a reason', async () => {
    expect((await decideInApono(server, 'adelev', 'AR-1001', 'reject')).status).toBe(200);
    const res = await server.call('GET', '/api/requests/AR-1001', alex);
    expect(res.body.request).toMatchObject({
      status: 'Rejected',
      decision: {
        outcome: 'rejected',
        source: 'apono',
        reason: null,
        decidedBy: { name: 'Adele Vance', kind: 'user' },
      },
      viewer: { canDecide: false, cannotDecide: 'not_pending' },
    });
  });

  it('with approver reasons turned off for the account, no reason is asked and none is sent', async () => {
    await server.call('POST', '/api/sandbox/settings', null, { disableApproverReason: true });
    const list = await server.call('GET', '/api/requests', alex);
    const required = list.body.requests.find((r: { id: string }) => r.id === 'AR-1003');
    expect(required).toMatchObject({ requireReason: false, reasonDisabled: true });
    const res = await server.call('POST', '/api/requests/AR-1003/approve', alex, { reason: 'typed anyway' });
    expect(res.status).toBe(200);
    expect(server.aponoDecisionBodies).toEqual([{ justification: null }]);
  });

  it('after a sandbox reset, approving again sends a decision and answers what Apono says now', async () => {
    const first = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'first world' });
    expect(first.status).toBe(200);
    expect(first.body.request.decision).toMatchObject({ source: 'app', reason: 'first world' });
    expect((await server.call('POST', '/api/sandbox/reset', null, {})).status).toBe(200);
    const fresh = await server.call('GET', '/api/requests/AR-1001', alex);
    expect(fresh.body.request).toMatchObject({
      status: 'Pending',
      decision: null,
      viewer: { canDecide: true },
    });
    const again = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'second world',
    });
    expect(again.status).toBe(200);
    expect(again.body.request.decision).toMatchObject({ source: 'app', reason: 'second world' });
    expect(server.aponoDecisions).toEqual([
      { requestId: 'AR-1001', action: 'approve' },
      { requestId: 'AR-1001', action: 'approve' },
    ]);
    const rows = await server.db.query<{ reason: string }>(`select reason from app_decisions order by id`);
    expect(rows.map((r) => r.reason)).toEqual(['second world']);
  });
});
