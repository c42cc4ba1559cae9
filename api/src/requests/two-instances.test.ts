// Two instances of one deployment on one PostgreSQL database and one Apono, as in Azure with two
// replicas: instance A serves the embedded sandbox Apono, instance B calls it over HTTP. Clicks land
// on either instance; Apono must hear each decision once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { reseed, startTestServer, type TestServer } from '../test-support/server.js';

let pg: TestPostgres;
let a: TestServer;
let b: TestServer;
const tokens: Record<'a' | 'b', string> = { a: '', b: '' };

beforeAll(async () => {
  pg = await startPostgres();
  const shared = { DATABASE_URL: pg.url, APONO_WEBHOOK_SECRET: 'two-instances-webhook-secret' };
  // (Instances starting together on an empty database: api/src/store/migrations-race.test.ts.)
  a = await startTestServer(shared);
  b = await startTestServer({ ...shared, APONO_BASE_URL: `${a.url}/sandbox/apono` });
  tokens.a = await a.signIn('alexw@example.com');
  tokens.b = await b.signIn('alexw@example.com');
}, 90_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  pg?.stop();
});

beforeEach(async () => {
  await reseed(a);
  b.aponoDecisions.length = 0;
});

const sent = () => [...a.aponoDecisions, ...b.aponoDecisions];

describe('two instances on one PostgreSQL database', () => {
  it('both see the same pending list', async () => {
    const [fromA, fromB] = await Promise.all([
      a.call('GET', '/api/requests', tokens.a),
      b.call('GET', '/api/requests', tokens.b),
    ]);
    expect(fromA.status).toBe(200);
    expect(fromB.status).toBe(200);
    const ids = (r: typeof fromA) => (r.body.requests as Array<{ id: string }>).map((x) => x.id);
    expect(ids(fromB)).toEqual(ids(fromA));
    expect(ids(fromA).length).toBeGreaterThan(0);
  });

  it('20 identical approvals at once, split across both, make exactly one Apono decision', async () => {
    await a.call('POST', '/api/sandbox/faults', null, { latencyMs: 200 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? b : a).call('POST', '/api/requests/AR-1001/approve', i % 2 ? tokens.b : tokens.a, {
          reason: 'both instances',
        }),
      ),
    );
    await a.call('DELETE', '/api/sandbox/faults');
    expect(sent()).toEqual([{ requestId: 'AR-1001', action: 'approve' }]);
    // Every click is answered: the decision, or "still being sent" (409, refresh shortly); never a 5xx.
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    expect(answers.filter((x) => x.status === 200).length).toBeGreaterThan(0);
    for (const answer of answers.filter((x) => x.status === 409))
      expect(answer.body.error.message).toMatch(/still being sent/);
    // Asked again afterwards on either instance: Apono is re-read, and the answer is the decision.
    const again = await b.call('POST', '/api/requests/AR-1001/approve', tokens.b, {
      reason: 'both instances',
    });
    expect(again.status).toBe(200);
    expect(again.body.request.decision).toMatchObject({ outcome: 'approved' });
    expect(sent()).toHaveLength(1);
  });

  it('approve on one and reject on the other at once: Apono decides, one wins, nothing is lost', async () => {
    await a.call('POST', '/api/sandbox/faults', null, { latencyMs: 200 });
    const [approve, reject] = await Promise.all([
      a.call('POST', '/api/requests/AR-1003/approve', tokens.a, { reason: 'yes' }),
      b.call('POST', '/api/requests/AR-1003/reject', tokens.b, { reason: 'no' }),
    ]);
    await a.call('DELETE', '/api/sandbox/faults');
    expect([approve.status, reject.status].sort()).toEqual([200, 409]);
    const after = await b.call('GET', '/api/requests/AR-1003', tokens.b);
    const winner = approve.status === 200 ? 'approved' : 'rejected';
    expect(after.body.request.decision).toMatchObject({ outcome: winner });
  });
});
