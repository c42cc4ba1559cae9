// The decision API at HTTP level against the real server, the embedded Apono sandbox and a real
// database: PGlite, and the same suite against a PostgreSQL server.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTranslator } from '@apono-teams/domain/i18n.js';
import { formatters } from '@apono-teams/domain/locale.js';
import { renderMessage } from '@apono-teams/domain/message.js';
import { readCatalogues } from '@apono-teams/domain/read-catalogues.js';
import { runChores } from '../store/housekeeping.js';
import { decisionChore } from './idempotency.js';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { reseed, startTestServer, type TestServer } from '../test-support/server.js';

const databases = [{ name: 'PGlite' }, { name: 'PostgreSQL' }] as const;

describe.each(databases)('decisions on $name', ({ name }) => {
  let server: TestServer;
  let pg: TestPostgres | undefined;
  let alex: string;
  let adele: string;

  beforeAll(async () => {
    pg = name === 'PostgreSQL' ? await startPostgres() : undefined;
    server = await startTestServer(pg ? { DATABASE_URL: pg.url } : {});
    alex = await server.signIn('alexw@example.com');
    adele = await server.signIn('adelev@example.com');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    pg?.stop();
  });

  beforeEach(() => reseed(server));

  it('lists every request pending the approver, oldest first, never their own', async () => {
    const { status, body } = await server.call('GET', '/api/requests', alex);
    expect(status).toBe(200);
    expect(body.requests.length).toBeGreaterThanOrEqual(25);
    const created = body.requests.map((r: { createdAt: string }) => r.createdAt);
    expect(created).toEqual([...created].sort());
    expect(
      body.requests.every(
        (r: { state: string; status: string; viewer: { canDecide: boolean } }) =>
          r.state === 'waiting' && r.status === 'Pending' && r.viewer.canDecide,
      ),
    ).toBe(true);
    const isaiah = await server.call('GET', '/api/requests', await server.signIn('isaiah@example.com'));
    expect(isaiah.body.requests.map((r: { id: string }) => r.id)).not.toContain('AR-1018');
  });

  it('shows one request with every resource and permission', async () => {
    const { status, body } = await server.call('GET', '/api/requests/AR-1019', alex);
    expect(status).toBe(200);
    expect(body.request.accessUnitsComplete).toBe(true);
    expect(body.request.accessUnits.length).toBeGreaterThanOrEqual(40);
  });

  it('an approver approves with a reason; Apono receives it once, as the approver', async () => {
    const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: '  Looks right  ',
    });
    expect(status).toBe(200);
    expect(['Granting', 'Active']).toContain(body.request.status);
    expect(body.request.decision).toMatchObject({
      outcome: 'approved',
      decidedBy: { name: 'Alex Wilber' },
      reason: 'Looks right',
    });
    expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1001', action: 'approve' }]);
    const history = await server.call('GET', '/api/requests/history', alex);
    expect(history.body.requests.map((r: { id: string }) => r.id)).toContain('AR-1001');
  });

  it('an approver rejects without a reason when the flow requires one: 400 reason_required, nothing sent', async () => {
    const { status, body } = await server.call('POST', '/api/requests/AR-1003/reject', alex, {
      reason: '   ',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('reason_required');
    expect(body.error.message).toMatch(/requires a reason/);
    expect(server.aponoDecisions).toEqual([]);
  });

  it('refuses 124 characters and accepts 123', async () => {
    const long = await server.call('POST', '/api/requests/AR-1003/reject', alex, { reason: 'x'.repeat(124) });
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('reason_too_long');
    const ok = await server.call('POST', '/api/requests/AR-1003/reject', alex, { reason: 'x'.repeat(123) });
    expect(ok.status).toBe(200);
    expect(ok.body.request.decision).toMatchObject({ outcome: 'rejected', reason: 'x'.repeat(123) });
  });

  it('refuses a caller who is not signed in, and one who is not connected to Apono', async () => {
    expect((await server.call('GET', '/api/requests')).body.error.code).toBe('unauthenticated');
    const megan = await server.signIn('meganb@example.com');
    expect((await server.call('DELETE', '/api/connection', megan)).status).toBe(204);
    // A sandbox user who disconnected on purpose stays disconnected.
    const me = await server.call('GET', '/api/me', megan);
    expect(me.body.connection).toEqual({ connected: false });
    const list = await server.call('GET', '/api/requests', megan);
    expect(list.status).toBe(401);
    expect(list.body.error.code).toBe('not_connected');
    const decide = await server.call('POST', '/api/requests/AR-1001/approve', megan, { reason: 'x' });
    expect(decide.body.error.code).toBe('not_connected');
    const bad = await server.call('PUT', '/api/connection', megan, { token: 'not-a-real-apono-token' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('apono_token_invalid');
    const good = await server.call('PUT', '/api/connection', megan, { token: 'apono-sandbox-meganb' });
    expect(good.body.connection).toMatchObject({
      connected: true,
      method: 'token',
      aponoUser: { email: 'meganb@example.com' },
    });
    expect((await server.call('GET', '/api/requests', megan)).status).toBe(200);
    // At rest the token is sealed (AES-256-GCM) under the current key's ID, never stored as text.
    const rows = await server.db.query<{ method: string; key_id: string; secret: string }>(
      `select method, key_id, secret from apono_connections where apono_email = 'meganb@example.com'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ method: 'token', key_id: 'k1' });
    expect(rows[0]!.secret).not.toContain('apono-sandbox-meganb');
    expect(Buffer.from(rows[0]!.secret, 'base64').toString('latin1')).not.toContain('apono-sandbox-meganb');
  });

  it('refuses a pasted token of another Apono user, and keeps the connection the caller had', async () => {
    const adele = await server.signIn('adelev@example.com');
    const before = await server.call('GET', '/api/me', adele);
    const pasted = await server.call('PUT', '/api/connection', adele, { token: 'apono-sandbox-alexw' });
    expect(pasted.status).toBe(403);
    expect(pasted.body.error.code).toBe('apono_account_mismatch');
    expect(pasted.body.error.message).toMatch(
      /^This Apono account is Alex Wilber's \(alexw@example\.com\), but you are signed in to Teams as adelev@example\.com\. Connect your own Apono account/,
    );
    expect(pasted.body.error.message).toContain('APONO_ACCOUNT_MAP');
    expect(before.body.connection.aponoUser.email).toBe('adelev@example.com');
    expect((await server.call('GET', '/api/me', adele)).body.connection).toEqual(before.body.connection);
    // Nothing of Alex's was stored for anyone but Alex.
    const rows = await server.db.query<{ n: number }>(
      `select count(*)::int as n from apono_connections where apono_email = 'alexw@example.com'`,
    );
    expect(rows[0]!.n).toBeLessThanOrEqual(1);
  });

  it('an approver whose tier has not been reached: Apono refuses, and the re-read says why (403)', async () => {
    const { status, body } = await server.call('POST', '/api/requests/AR-1032/approve', alex, {
      reason: 'ok',
    });
    expect(status).toBe(403);
    expect(body.error.code).toBe('not_an_approver');
    expect(body.error.message).toMatch(/not been escalated to your approver tier/);
    // Apono is the authority on tiers: it was asked once and said no.
    expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1032', action: 'approve' }]);
    const after = await server.call('GET', '/api/requests/AR-1032', alex);
    expect(after.body.request).toMatchObject({ status: 'Pending', decision: null });
  });

  it('answers 404 to someone who may not see the request, as Apono does', async () => {
    const patti = await server.signIn('pattif@example.com');
    const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', patti, {
      reason: 'ok',
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('refuses self-approval with 403 self_approval', async () => {
    const isaiah = await server.signIn('isaiah@example.com');
    const { status, body } = await server.call('POST', '/api/requests/AR-1018/approve', isaiah, {
      reason: 'mine',
    });
    expect(status).toBe(403);
    expect(body.error.code).toBe('self_approval');
  });

  it('answers 404 for an unknown request', async () => {
    const { status, body } = await server.call('POST', '/api/requests/AR-9999/approve', alex, {
      reason: 'x',
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('a request already decided answers 409 naming who decided and how', async () => {
    await server.call('POST', '/api/requests/AR-1001/reject', adele, { reason: 'Not during the freeze' });
    const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'ok',
    });
    expect(status).toBe(409);
    expect(body.error.code).toBe('already_decided');
    expect(body.error.message).toMatch(/rejected by Adele Vance/);
    expect(body.error.details.decision).toMatchObject({
      outcome: 'rejected',
      decidedBy: { name: 'Adele Vance' },
      reason: 'Not during the freeze',
    });
  });

  it('two approvers racing on an AnyOf request: one 200, one 409, both told who decided', async () => {
    const [a, b] = await Promise.all([
      server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'alex' }),
      server.call('POST', '/api/requests/AR-1001/reject', adele, { reason: 'adele' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a.status === 200 ? a : b;
    const loser = a.status === 200 ? b : a;
    const winnerName = a.status === 200 ? 'Alex Wilber' : 'Adele Vance';
    expect(winner.body.request.decision.decidedBy.name).toBe(winnerName);
    expect(loser.body.error.code).toBe('already_decided');
    expect(loser.body.error.details.decision.decidedBy.name).toBe(winnerName);
  });

  it('20 identical approvals at once from one approver make exactly one Apono decision', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        server.call('POST', '/api/requests/AR-1007/approve', alex, { reason: 'double click' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1007', action: 'approve' }]);
    expect(new Set(results.map((r) => r.body.request.decision.outcome))).toEqual(new Set(['approved']));
  });

  it('Apono down: 503 apono_unavailable with Retry-After, and the decision was not made', async () => {
    await server.call('POST', '/api/sandbox/faults', null, { status: 503, failRate: 1 });
    const { status, body, headers } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'ok',
    });
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('30');
    expect(body.error).toMatchObject({ code: 'apono_unavailable', details: { decided: false } });
    await server.call('DELETE', '/api/sandbox/faults');
    const after = await server.call('GET', '/api/requests/AR-1001', alex);
    expect(after.body.request.status).toBe('Pending');
  });

  it('Apono down for a while: the breaker opens, a decision is not sent, and Retry-After says when to try', async () => {
    await server.call('GET', '/api/requests', alex); // connected while Apono answers
    await server.call('POST', '/api/sandbox/faults', null, { status: 503, failRate: 1 });
    for (let i = 0; i < 5; i++) expect((await server.call('GET', '/api/requests', alex)).status).toBe(503);
    // Still down: without the breaker the decision would reach Apono (and fail there); it is held back.
    const sent = server.aponoDecisions.length;
    const { status, body, headers } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'ok',
    });
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'apono_unavailable', details: { decided: false } });
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(server.aponoDecisions).toHaveLength(sent);
    // The sandbox's "Apono is back" closes the breaker at once, and the decision goes through.
    await server.call('DELETE', '/api/sandbox/faults');
    expect((await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'ok' })).status).toBe(
      200,
    );
    expect(server.aponoDecisions).toHaveLength(sent + 1);
  });

  it('Apono applied the decision but the answer was lost: re-read, no blind retry, 200', async () => {
    server.afterAponoDecision = () => new Response('gateway timeout', { status: 504 });
    const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'ok',
    });
    expect(status).toBe(200);
    expect(body.request.decision).toMatchObject({ outcome: 'approved', decidedBy: { name: 'Alex Wilber' } });
    expect(server.aponoDecisions).toHaveLength(1);
  });

  it('Apono times out: 503, and the caller is told the decision was not made', async () => {
    const slow = await startTestServer({ APONO_TIMEOUT_MS: '300', ...(pg ? { DATABASE_URL: pg.url } : {}) });
    try {
      const token = await slow.signIn('alexw@example.com');
      await slow.call('GET', '/api/me', token); // connected before Apono stops answering
      await slow.call('POST', '/api/sandbox/faults', null, { timeout: true });
      const { status, body } = await slow.call('POST', '/api/requests/AR-1003/approve', token, {
        reason: 'ok',
      });
      expect(status).toBe(503);
      expect(body.error).toMatchObject({ code: 'apono_unavailable', details: { decided: false } });
    } finally {
      await slow.call('DELETE', '/api/sandbox/faults');
      await slow.close();
    }
  });

  it('Apono fails on the decision itself and the re-read cannot confirm: 503 with decided unknown', async () => {
    server.afterAponoDecision = async () => {
      await server.call('POST', '/api/sandbox/faults', null, { status: 503, failRate: 1 });
      return new Response('{"message":"overloaded"}', { status: 503 });
    };
    const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'ok',
    });
    expect(status).toBe(503);
    expect(body.error.details.decided).toBeNull();
    expect(body.error.message).toMatch(/could not confirm/);
  });

  it('rate-limits decisions per user', async () => {
    const limited = await startTestServer({
      DECISIONS_PER_MINUTE: '2',
      ...(pg ? { DATABASE_URL: pg.url } : {}),
    });
    try {
      const token = await limited.signIn('alexw@example.com');
      await limited.call('POST', '/api/requests/AR-1001/approve', token, { reason: 'a' });
      await limited.call('POST', '/api/requests/AR-1007/approve', token, { reason: 'b' });
      // Twins of one click share its answer and its place in the limit.
      const twins = await Promise.all(
        [1, 2, 3].map(() => limited.call('POST', '/api/requests/AR-1007/approve', token, { reason: 'b' })),
      );
      expect(twins.map((t) => t.status)).toEqual([200, 200, 200]);
      const third = await limited.call('POST', '/api/requests/AR-1009/approve', token, { reason: 'c' });
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe('rate_limited');
      expect(third.body.error.message).toBe(
        `Too many decisions in a short time. Wait ${third.headers.get('retry-after')} seconds and try again.`,
      );
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      // The same sentence travels as a catalogue message, for the tab and the cards to say in their
      // reader's language (issue 14.2).
      const count = Number(third.headers.get('retry-after'));
      expect(third.body.error.details.message).toEqual({
        key: 'errorCase.tooManyDecisions',
        params: { count },
      });
      const german = createTranslator({ de: readCatalogues().de }).getFixedT('de');
      expect(renderMessage(third.body.error.details.message, german, formatters('de-DE', 'UTC'))).toBe(
        `Zu viele Entscheidungen in kurzer Zeit. Warten Sie ${count} Sekunden und versuchen Sie es erneut.`,
      );
    } finally {
      await limited.close();
    }
  });

  it('forgets finished decision claims after a day, keeping recent and unfinished ones', async () => {
    await server.db.query(
      `insert into decisions (idempotency_key, tenant_id, object_id, request_id, action, state, updated_at) values
        ('old-done', 't', 'o', 'AR-1', 'approve', 'done', now() - interval '2 days'),
        ('old-failed', 't', 'o', 'AR-1', 'reject', 'failed', now() - interval '2 days'),
        ('recent-done', 't', 'o', 'AR-2', 'approve', 'done', now() - interval '1 hour'),
        ('old-pending', 't', 'o', 'AR-3', 'approve', 'pending', now() - interval '2 days')`,
    );
    await runChores(server.db, server.log, [decisionChore]);
    const keys = await server.db.query<{ idempotency_key: string }>(
      'select idempotency_key from decisions order by 1',
    );
    expect(keys.map((k) => k.idempotency_key)).toEqual(['old-pending', 'recent-done']);
  });

  it('stores every attempt in the audit trail', async () => {
    await server.call('POST', '/api/requests/AR-1003/reject', alex, { reason: '' });
    await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'fine' });
    const rows = await server.db.query<{
      request_id: string;
      outcome: string;
      error_code: string | null;
      reason: string | null;
      latency_ms: number;
    }>(
      `select request_id, outcome, error_code, reason, latency_ms from decision_audit where request_id in ('AR-1003', 'AR-1001') order by id desc limit 2`,
    );
    expect(rows.map((r) => [r.request_id, r.outcome, r.error_code, r.reason])).toEqual([
      ['AR-1001', 'success', null, 'fine'],
      ['AR-1003', 'failure', 'reason_required', ''],
    ]);
  });

  it('refuses IDs that would address another Apono endpoint, without calling Apono', async () => {
    // Raw HTTP: fetch would itself fold "%2E" path segments away before they reach the server.
    const raw = (method: string, path: string) =>
      new Promise<{ status: number; code: string }>((done, fail) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path,
            method,
            headers: { authorization: `Bearer ${alex}`, 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => done({ status: res.statusCode ?? 0, code: JSON.parse(text).error?.code }));
          },
        );
        req.on('error', fail);
        req.end(method === 'POST' ? '{"reason":"x"}' : undefined);
      });
    const seen: string[] = [];
    for (const id of ['%2E', '%2E%2E', '.hidden', 'AR-1%2Fapprove']) {
      const read = await raw('GET', `/api/requests/${id}`);
      const decide = await raw('POST', `/api/requests/${id}/approve`);
      seen.push(`${read.status}/${read.code} ${decide.status}/${decide.code}`);
    }
    expect(seen).toEqual(Array(4).fill('404/not_found 404/not_found'));
    expect(server.aponoDecisions).toEqual([]);
  });

  it('refuses a body that is not JSON instead of reading it as "no reason"', async () => {
    const res = await fetch(`${server.url}/api/requests/AR-1001/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alex}`, 'content-type': 'text/plain' },
      body: '{"reason":"sent as text"}',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    expect(server.aponoDecisions).toEqual([]);
    const extra = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'ok',
      reasn: 'typo',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/reasn/);
  });

  it('rejects bad bodies with a sentence', async () => {
    const bad = await server.call('POST', '/api/requests/AR-1001/approve', alex, '{not json');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    const big = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'x'.repeat(40_000),
    });
    expect(big.status).toBe(413);
  });
});
