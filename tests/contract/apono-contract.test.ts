// The whole REST flow against a second, minimal Apono double whose answers are literal JSON fixtures
// written only from Apono's client API spec (tests/fixtures/apono-contract): empty metadata, real
// statuses, UUID IDs. It shares nothing with the sandbox, so the app is proven against what Apono
// sends, not against our own imitation of it.
import { message } from '@apono-teams/domain/message.js';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/src/test-support/server.js';
import { specErrors } from '../../sandbox/src/spec-check.js';

const dir = resolve(import.meta.dirname, '../fixtures/apono-contract');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- literal fixtures, checked against the spec below
const fixture = (name: string): any => JSON.parse(readFileSync(resolve(dir, name), 'utf8'));

const TOKEN = 'pat-contract-dana-8f1e2d3c4b5a69788796a5b4c3d2e1f0';
/** The same person in an account that turned approver reasons off (session settings). */
const TOKEN_REASONS_OFF = 'pat-contract-dana-reasons-off-0a1b2c3d4e5f';
const sessions: Record<string, string> = {
  [`Bearer ${TOKEN}`]: 'session.json',
  [`Bearer ${TOKEN_REASONS_OFF}`]: 'session-reasons-disabled.json',
};
const R1 = '5b1e7f3c-2d4a-4c8e-9f10-3a2b1c0d9e8f'; // Dana named as a user entry; reason required
const R2 = '9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f'; // group + manager entries; reason optional
const R3 = 'c4d5e6f7-0a1b-4c2d-9e3f-4a5b6c7d8e9f'; // Dana's own request, which Apono lists too
const WEBHOOK_SECRET = 'contract-webhook-secret-0123456789';

interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

/** Apono as its spec describes it, from fixtures; remembers every call it receives. */
async function startAponoDouble() {
  const received: Received[] = [];
  const decided = new Map<string, 'approve' | 'reject'>();
  const requestFile: Record<string, { base: string; approve?: string; reject?: string }> = {
    [R1]: { base: 'request-1.json', approve: 'request-1-approved.json' },
    [R2]: { base: 'request-2.json', reject: 'request-2-rejected.json' },
    [R3]: { base: 'request-3.json' },
  };
  const current = (id: string) => {
    const files = requestFile[id]!;
    const action = decided.get(id);
    return fixture((action && files[action]) || files.base);
  };
  const readBody = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? JSON.parse(text) : null;
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://apono.test');
    const body = req.method === 'POST' ? await readBody(req) : null;
    received.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
    });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const session = sessions[req.headers.authorization ?? ''];
    if (!session) return send(401, { message: 'Unauthorized' });
    const p = url.pathname.replace(/^\/api\/client\/v1/, '');
    if (p === '/session' && req.method === 'GET') return send(200, fixture(session));
    if (p === '/access-requests' && req.method === 'GET') {
      const scope = url.searchParams.get('scope');
      if (scope === 'MyHistoricTasks') return send(200, fixture('history.json'));
      if (scope !== 'MyTasks')
        return send(200, { data: [], pagination: { limit: 100, offset: 0, total: 0 } });
      const ids = url.searchParams.getAll('request_ids').flatMap((v) => v.split(','));
      const page = fixture('my-tasks.json');
      page.data = page.data.filter(
        (r: { id: string }) => !decided.has(r.id) && (!ids.length || ids.includes(r.id)),
      );
      page.pagination.total = page.data.length;
      return send(200, page);
    }
    const one = /^\/access-requests\/([^/]+)(?:\/(approve|reject))?$/.exec(p);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      if (!requestFile[id]) return send(404, { message: `Access request ${id} not found` });
      if (!one[2]) return send(200, current(id));
      if (id === R3) return send(403, { message: 'Requesters cannot approve their own access requests' });
      if (decided.has(id)) return send(400, { message: 'Access request is not pending' });
      decided.set(id, one[2] as 'approve' | 'reject');
      return send(200, fixture(one[2] === 'approve' ? 'approved.json' : 'rejected.json'));
    }
    const units = /^\/access-groups\/([^/]+)\/units$/.exec(p);
    if (units && units[1] === fixture('request-1.json').access_groups[0].id)
      return send(200, fixture('units-1.json'));
    return send(404, { message: 'Not found' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    decisions: () => received.filter((r) => r.method === 'POST'),
    reset() {
      decided.clear();
      received.length = 0;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe('the fixtures are what the spec says Apono sends', () => {
  it.each([
    ['session.json', '/api/client/v1/session', 'get'],
    ['session-reasons-disabled.json', '/api/client/v1/session', 'get'],
    ['my-tasks.json', '/api/client/v1/access-requests', 'get'],
    ['history.json', '/api/client/v1/access-requests', 'get'],
    ['request-1.json', '/api/client/v1/access-requests/{id}', 'get'],
    ['request-1-approved.json', '/api/client/v1/access-requests/{id}', 'get'],
    ['request-2.json', '/api/client/v1/access-requests/{id}', 'get'],
    ['request-2-rejected.json', '/api/client/v1/access-requests/{id}', 'get'],
    ['request-3.json', '/api/client/v1/access-requests/{id}', 'get'],
    ['units-1.json', '/api/client/v1/access-groups/{id}/units', 'get'],
    ['approved.json', '/api/client/v1/access-requests/{id}/approve', 'post'],
    ['rejected.json', '/api/client/v1/access-requests/{id}/reject', 'post'],
  ])('%s', (file, path, method) => {
    expect(specErrors(path, method, fixture(file))).toEqual([]);
  });

  it('carry no metadata keys', () => {
    const text = ['my-tasks.json', 'history.json', 'request-1-approved.json']
      .map((f) => JSON.stringify(fixture(f)))
      .join('');
    expect(text.match(/"metadata":\{[^}]/g)).toBeNull();
  });
});

describe('the REST flow against an Apono double built only from the spec', () => {
  let apono: Awaited<ReturnType<typeof startAponoDouble>>;
  let app: TestServer;
  let token: string;

  beforeAll(async () => {
    apono = await startAponoDouble();
    app = await startTestServer({
      APONO_BASE_URL: apono.url,
      APONO_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // The fixtures' Apono user is Dana; she signs in to Teams here as a sandbox user.
      APONO_ACCOUNT_MAP: 'alexw@example.com=dana@contoso.example',
    });
    token = await app.signIn('alexw@example.com');
  });
  afterAll(async () => {
    await app?.close();
    await apono?.close();
  });
  beforeEach(async () => {
    apono.reset();
    await app.db.query('delete from decisions');
    await app.db.query('delete from app_decisions');
    await app.db.query('delete from apono_requests');
    const connected = await app.call('PUT', '/api/connection', token, { token: TOKEN });
    expect(connected.status).toBe(200);
  });

  const pendingIds = async () => {
    const res = await app.call('GET', '/api/requests', token);
    expect(res.status).toBe(200);
    return (res.body.requests as Array<{ id: string }>).map((r) => r.id);
  };

  it('lists what MyTasks returns, minus the caller’s own request, oldest first, with honest reasons', async () => {
    const res = await app.call('GET', '/api/requests', token);
    expect(res.status).toBe(200);
    const [first, second] = res.body.requests;
    expect(res.body.requests).toHaveLength(2);
    expect(first).toMatchObject({
      id: R1,
      displayId: R1,
      status: 'Pending',
      statusLabel: 'Pending',
      requireReason: true,
      requester: { name: 'Megan Bowen' },
      justification: 'Investigating INC-2231: slow checkout queries',
      durationSeconds: 3600,
      viewer: { canDecide: true, approverReasons: [message('why.named')] },
    });
    expect(second).toMatchObject({
      id: R2,
      requireReason: false,
      viewer: {
        canDecide: true,
        approverReasons: [
          message('why.oneOf', {
            entries: [message('approver.group', { name: 'SRE Leads' }), message('approver.manager')],
          }),
        ],
      },
    });
    const list = apono.received.find((r) => r.path.endsWith('/access-requests'))!;
    expect(list.query.get('scope')).toBe('MyTasks');
    expect(list.query.getAll('statuses')).toEqual(['Pending']);
  });

  it('shows one request with every unit, and 404 for one Apono does not know', async () => {
    const res = await app.call('GET', `/api/requests/${R1}`, token);
    expect(res.status).toBe(200);
    expect(res.body.request.accessUnits.map((u: { resource: string }) => u.resource)).toEqual([
      'orders',
      'payments',
    ]);
    expect(res.body.request.viewer.canDecide).toBe(true);
    const missing = await app.call('GET', '/api/requests/AR-9999', token);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('enforces the reason rule before Apono is called', async () => {
    const none = await app.call('POST', `/api/requests/${R1}/approve`, token, {});
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('reason_required');
    const long = await app.call('POST', `/api/requests/${R1}/approve`, token, { reason: 'x'.repeat(124) });
    expect(long.body.error.code).toBe('reason_too_long');
    expect(apono.decisions()).toEqual([]);
  });

  it('approves as the approver with the reason as justification, and the list follows Apono', async () => {
    const res = await app.call('POST', `/api/requests/${R1}/approve`, token, {
      reason: 'Checked with the on-call lead',
    });
    expect(res.status).toBe(200);
    expect(res.body.request).toMatchObject({
      id: R1,
      status: 'Granting',
      state: 'granting',
      decision: {
        outcome: 'approved',
        source: 'app',
        reason: 'Checked with the on-call lead',
        decidedBy: { name: 'Dana Scully', email: 'dana@contoso.example' },
      },
    });
    expect(apono.decisions()).toEqual([
      expect.objectContaining({
        path: `/api/client/v1/access-requests/${R1}/approve`,
        authorization: `Bearer ${TOKEN}`,
        body: { justification: 'Checked with the on-call lead' },
      }),
    ]);
    expect(await pendingIds()).toEqual([R2]);
  });

  it('rejects with no reason where the flow does not require one (justification null)', async () => {
    const res = await app.call('POST', `/api/requests/${R2}/reject`, token, {});
    expect(res.status).toBe(200);
    expect(res.body.request).toMatchObject({
      status: 'Rejected',
      decision: { outcome: 'rejected', reason: null },
    });
    expect(apono.decisions().map((d) => d.body)).toEqual([{ justification: null }]);
    expect(await pendingIds()).toEqual([R1]);
  });

  it('maps Apono refusing a self-approval to self_approval, by re-reading', async () => {
    const res = await app.call('POST', `/api/requests/${R3}/approve`, token, {});
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('self_approval');
  });

  it('answers a decision made elsewhere with who Apono shows, and says the reason is not shared', async () => {
    // Someone approves R1 in Apono's portal: Apono now shows it Granting, and the list drops it.
    await fetch(`${apono.url}/api/client/v1/access-requests/${R1}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"justification":null}',
    });
    const res = await app.call('POST', `/api/requests/${R1}/reject`, token, { reason: 'too broad' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('already_decided');
    expect(res.body.error.details.decision).toMatchObject({
      outcome: 'approved',
      source: 'apono',
      reason: null,
    });
    const history = await app.call('GET', '/api/requests/history', token);
    const r1 = history.body.requests.find((r: { id: string }) => r.id === R1);
    expect(r1.decision).toMatchObject({ source: 'apono', decidedBy: { name: 'Dana Scully', kind: 'user' } });
  });

  it('honours disable_approver_reason: no reason required, justification null', async () => {
    await app.call('PUT', '/api/connection', token, { token: TOKEN_REASONS_OFF });
    const list = await app.call('GET', '/api/requests', token);
    expect(list.body.requests[0]).toMatchObject({ id: R1, requireReason: false, reasonDisabled: true });
    const res = await app.call('POST', `/api/requests/${R1}/approve`, token, { reason: 'ignored' });
    expect(res.status).toBe(200);
    expect(apono.decisions().map((d) => d.body)).toEqual([{ justification: null }]);
  });

  it('takes a webhook with both IDs, finds the one the client API uses, and shows the friendly one', async () => {
    const delivery = {
      event_type: 'AccessRequestCreated',
      event_time: '1796263265.851898000',
      data: {
        id: R1,
        friendly_id: 'AR-2001',
        access_flow: { id: 'flow-1', name: 'Production databases' },
        approvals: [
          {
            name: 'Dana Scully',
            type: 'user',
            status: 'Pending',
            approver: { id: 'u', name: 'Dana Scully', email: 'dana@contoso.example' },
          },
        ],
      },
    };
    const res = await fetch(`${app.url}/api/apono/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_SECRET}` },
      body: JSON.stringify(delivery),
    });
    expect(res.status).toBe(202);
    await expect
      .poll(async () => app.call('GET', '/api/requests/AR-2001', token).then((r) => r.status))
      .toBe(200);
    const byFriendly = await app.call('GET', '/api/requests/AR-2001', token);
    expect(byFriendly.body.request).toMatchObject({
      id: R1,
      displayId: 'AR-2001',
      accessFlow: 'Production databases',
    });
    // Tried AR-2001 first (404), then Apono's own ID.
    const gets = apono.received.filter((r) => r.method === 'GET' && /access-requests\/[^/]+$/.test(r.path));
    expect(gets.map((r) => r.path.split('/').pop())).toContain('AR-2001');
    expect(gets.map((r) => r.path.split('/').pop())).toContain(R1);
  });
});
