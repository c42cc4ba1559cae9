// Decisions under concurrency at HTTP level, on PGlite and PostgreSQL: the same approver clicking
// both buttons, another approver deciding while Apono stumbles, and an instance that died mid-claim.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { LEASE_SECONDS } from './idempotency.js';
import { reseed, startTestServer, type TestServer } from '../test-support/server.js';

const databases = [{ name: 'PGlite' }, { name: 'PostgreSQL' }] as const;
const TENANT = '00000000-0000-0000-0000-0000000000001';
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe.each(databases)('decisions under concurrency on $name', ({ name }) => {
  let server: TestServer;
  let pg: TestPostgres | undefined;
  let alex: string;

  beforeAll(async () => {
    pg = name === 'PostgreSQL' ? await startPostgres() : undefined;
    // A short Apono timeout, so a twin gives up waiting for a claim within the test.
    server = await startTestServer({ APONO_TIMEOUT_MS: '1500', ...(pg ? { DATABASE_URL: pg.url } : {}) });
    alex = await server.signIn('alexw@example.com');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    pg?.stop();
  });

  beforeEach(() => reseed(server));

  /** A decision made in Apono directly (the portal, Slack), not through this app. */
  const decideInApono = (person: string, id: string, action: 'approve' | 'reject', reason: string) =>
    fetch(`${server.url}/sandbox/apono/api/client/v1/access-requests/${id}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer apono-sandbox-${person}`, 'content-type': 'application/json' },
      body: JSON.stringify({ justification: reason }),
    });

  /** Both decisions read the request before either reaches Apono: Apono decides which one wins. */
  async function bothButtons(id: string) {
    await server.call('POST', '/api/sandbox/faults', null, { latencyMs: 300 });
    const [approve, reject] = await Promise.all([
      server.call('POST', `/api/requests/${id}/approve`, alex, { reason: 'yes' }),
      sleep(30).then(() => server.call('POST', `/api/requests/${id}/reject`, alex, { reason: 'no' })),
    ]);
    await server.call('DELETE', '/api/sandbox/faults');
    return { approve, reject };
  }

  it('the same approver approves then rejects at once (AnyOf): one wins, the other is told it was theirs', async () => {
    const { approve, reject } = await bothButtons('AR-1001');
    expect([approve.status, reject.status].sort()).toEqual([200, 409]);
    const [won, lost] = approve.status === 200 ? [approve, reject] : [reject, approve];
    const outcome = won.body.request.decision.outcome as string;
    expect(lost.body.error.code).toBe('already_decided');
    expect(lost.body.error.message).toBe(
      `You already ${outcome} this request (reason: "${outcome === 'approved' ? 'yes' : 'no'}"). A decision cannot be changed; nothing more is needed from you.`,
    );
    expect(server.aponoDecisions).toHaveLength(2); // both were sent; Apono refused the second
  });

  it('the same approver approves then rejects at once (AllOf): the second is told it waits for others', async () => {
    const { approve, reject } = await bothButtons('AR-1013');
    expect([approve.status, reject.status].sort()).toEqual([200, 409]);
    const [won, lost] = approve.status === 200 ? [approve, reject] : [reject, approve];
    expect(lost.body.error.code).toBe('already_decided');
    // Both clicks share one read of the request, so either may reach Apono first. An approval leaves
    // the AllOf request waiting for the others; a rejection ends it.
    if (won === approve) {
      expect(won.body.request.status).toBe('Pending');
      expect(lost.body.error.message).toBe(
        'You already approved this request; it is waiting for other approvers. A decision cannot be changed; nothing more is needed from you.',
      );
    } else
      expect(lost.body.error.message).toBe(
        'You already rejected this request (reason: "no"). A decision cannot be changed; nothing more is needed from you.',
      );
  });

  it('Apono stumbles on the decision while another approver decides: 409 naming them, never a false success', async () => {
    await server.call('POST', '/api/sandbox/faults', null, { latencyMs: 500 });
    server.afterAponoDecision = () => new Response('{"message":"overloaded"}', { status: 503 });
    const [mine] = await Promise.all([
      server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'fine' }),
      // Lands in Apono after Alex's read of the request, before his decision.
      sleep(200).then(() => decideInApono('adelev', 'AR-1001', 'reject', 'Not during the freeze')),
    ]);
    await server.call('DELETE', '/api/sandbox/faults');
    expect(mine.status).toBe(409);
    expect(mine.body.error.code).toBe('already_decided');
    expect(mine.body.error.message).toMatch(/^This request was already rejected by Adele Vance/);
    expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1001', action: 'approve' }]);
  });

  describe('an instance that died mid-claim', () => {
    async function claimLeftBehind(id: string, action: string, secondsAgo: number) {
      const [row] = await server.db.query<{ object_id: string }>(
        `select object_id from apono_connections where apono_email = 'alexw@example.com'`,
      );
      const key = createHash('sha256')
        .update(JSON.stringify([TENANT, row!.object_id, id, action]))
        .digest('hex');
      await server.db.query(
        `insert into decisions (idempotency_key, tenant_id, object_id, request_id, action, state, updated_at)
         values ($1, $2, $3, $4, $5, 'pending', now() - make_interval(secs => $6))`,
        [key, TENANT, row!.object_id, id, action, secondsAgo],
      );
      return key;
    }

    beforeEach(async () => {
      await server.call('GET', '/api/me', alex); // connected
    });

    it('a claim whose lease is live: the twin is told within about a second to check back, Apono not called', async () => {
      await claimLeftBehind('AR-1001', 'approve', 3);
      const started = Date.now();
      const retry = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'ok' });
      expect(Date.now() - started).toBeLessThan(4000);
      expect(retry.status).toBe(409);
      expect(retry.body.error.code).toBe('decision_in_progress');
      const wait = Number(retry.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(LEASE_SECONDS);
      expect(retry.body.error.message).toContain(`Refresh in ${wait} second`);
      expect(server.aponoDecisions).toEqual([]);
    });

    it('a claim whose lease ran out (its instance died) is taken over at once and the decision is sent once', async () => {
      await claimLeftBehind('AR-1001', 'approve', LEASE_SECONDS + 5);
      const retry = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'ok' });
      expect(retry.status).toBe(200);
      expect(retry.body.request.decision).toMatchObject({
        outcome: 'approved',
        decidedBy: { name: 'Alex Wilber' },
      });
      expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1001', action: 'approve' }]);
    });

    it('a repeat after the decision finished re-reads Apono instead of replaying a stored answer', async () => {
      const first = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'ok' });
      expect(first.status).toBe(200);
      await server.db.query(`update decisions set result = '{"stale":true}' where request_id = 'AR-1001'`);
      const again = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'ok' });
      expect(again.status).toBe(200);
      expect(again.body.request).toMatchObject({
        id: 'AR-1001',
        decision: { outcome: 'approved', source: 'app' },
      });
      expect(again.body.request.stale).toBeUndefined();
      expect(server.aponoDecisions).toHaveLength(1);
    });

    it('taken over after Apono had recorded it: 200 with what Apono holds, nothing sent again', async () => {
      // The instance that died had written its attempt, sent it, and Apono recorded it.
      await server.db.query(
        `insert into app_decisions (request_id, tenant_id, object_id, name, email, outcome, reason, state)
         values ('AR-1001', $1, '00000000-0000-0000-0000-0000000000020', 'Alex Wilber', 'alexw@example.com', 'approved', 'before the crash', 'sent')`,
        [TENANT],
      );
      expect((await decideInApono('alexw', 'AR-1001', 'approve', 'before the crash')).status).toBe(200);
      await claimLeftBehind('AR-1001', 'approve', LEASE_SECONDS + 5);
      const retry = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason: 'again' });
      expect(retry.status).toBe(200);
      expect(retry.body.request.decision).toMatchObject({
        outcome: 'approved',
        reason: 'before the crash',
        source: 'app',
      });
      expect(server.aponoDecisions).toEqual([]);
      // The opposite decision is still refused, naming the approver's own decision.
      const reject = await server.call('POST', '/api/requests/AR-1001/reject', alex, { reason: 'no' });
      expect(reject.status).toBe(409);
      expect(reject.body.error.message).toMatch(/^You already approved this request/);
    });
  });
});
