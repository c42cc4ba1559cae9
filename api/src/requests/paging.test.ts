// The pending list a page at a time (issue 11, 2): ?limit with &cursor or &offset, narrowed and
// sorted server-side, with the whole count at once and a clear 400 for every bad value.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';

interface Listed {
  requests: Array<{ id: string; createdAt: string; requester: { email: string } }>;
  total: number;
  matched: number;
  offset: number;
  nextCursor: string | null;
  version?: string;
  facets: { requesters: Array<{ email: string; name: string }>; integrations: string[] };
}

let server: TestServer;
let alex: string;
beforeAll(async () => {
  server = await startTestServer({ APP_MODE: 'sandbox' });
}, 60_000);
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.call('POST', '/api/sandbox/reset', null, {});
  alex = await server.signIn('alexw@example.com');
});

const list = async (query = '') => {
  const { status, body } = await server.call('GET', `/api/requests${query}`, alex);
  return { status, body: body as unknown as Listed };
};

/** Follow nextCursor from the first page to the last. */
async function walk(query: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const { body } = await list(`?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...body.requests.map((r) => r.id));
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

describe('paging the pending list', () => {
  it('gives a page with the whole count at once, and the pages followed by cursor are the whole list in order', async () => {
    const whole = await list();
    const first = await list('?limit=7');
    expect(first.status).toBe(200);
    expect(first.body.requests).toHaveLength(7);
    expect(first.body).toMatchObject({ total: whole.body.total, matched: whole.body.total, offset: 0 });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(await walk('limit=7')).toEqual(whole.body.requests.map((r) => r.id));
  });

  it('keeps its place under inserts: a request created after page 1 neither repeats nor shifts what follows', async () => {
    const first = await list('?limit=5&sort=newest');
    const whole = await list('?sort=newest');
    // Page 2 is read once Apono's webhook told of the new request: until then it comes from the list
    // page 1's view read (reads.test.ts, "the pages after the first").
    const heard = new Promise((told) => server.events.once('changed', told));
    const created = await server.call('POST', '/api/sandbox/requests', null, {
      requesterEmail: 'meganb@example.com',
      flowId: 'flow-prod-db',
    });
    expect(created.status).toBe(201);
    await heard;
    const second = await list(`?limit=5&sort=newest&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
    // The new request is the newest: it belongs before page 1, so page 2 is what it was before.
    expect(second.body.requests.map((r) => r.id)).toEqual(whole.body.requests.slice(5, 10).map((r) => r.id));
    expect(second.body.offset).toBe(6);
    expect(second.body.total).toBe(whole.body.total + 1);
  });

  it('jumps to a row by offset, and says where the page starts', async () => {
    const whole = await list();
    const page = await list('?limit=4&offset=10');
    expect(page.body.offset).toBe(10);
    expect(page.body.requests.map((r) => r.id)).toEqual(whole.body.requests.slice(10, 14).map((r) => r.id));
    const past = await list('?limit=4&offset=100000');
    expect(past.body).toMatchObject({ requests: [], offset: whole.body.total, nextCursor: null });
  });

  it('narrows by requester, integration and search over all requests, and offers every requester and integration', async () => {
    const whole = await list();
    const lynne = await list('?limit=2&requester=LYNNER@example.com');
    const all = whole.body.requests.filter((r) => r.requester.email === 'lynner@example.com');
    expect(all.length).toBeGreaterThan(0);
    expect(lynne.body).toMatchObject({ total: whole.body.total, matched: all.length });
    expect(lynne.body.requests.every((r) => r.requester.email === 'lynner@example.com')).toBe(true);
    expect(lynne.body.facets).toEqual(whole.body.facets);
    expect(lynne.body.facets.requesters.map((r) => r.email)).toContain('meganb@example.com');
    const integration = whole.body.facets.integrations[0]!;
    const narrowed = await list(`?integration=${encodeURIComponent(integration)}`);
    expect(narrowed.body.matched).toBeGreaterThan(0);
    expect(narrowed.body.matched).toBeLessThanOrEqual(whole.body.total);
    const found = await list(`?q=${encodeURIComponent(whole.body.requests[3]!.id)}`);
    expect(found.body.requests.map((r) => r.id)).toEqual([whole.body.requests[3]!.id]);
  });

  it('sorts newest first and highest risk first server-side, and a risk page follows its own cursor', async () => {
    const oldest = (await list()).body.requests.map((r) => r.id);
    expect((await list('?sort=newest')).body.requests.map((r) => r.id)).toEqual([...oldest].reverse());
    const risk = (await list('?sort=risk')).body.requests.map((r) => r.id);
    expect(new Set(risk)).toEqual(new Set(oldest));
    expect(await walk('limit=6&sort=risk')).toEqual(risk);
  });

  it('carries the version of the whole list: a change beyond the page changes the first page ETag', async () => {
    const first = await server.call('GET', '/api/requests?limit=3', alex);
    const etag = first.headers.get('etag')!;
    const unchanged = await fetch(`${server.url}/api/requests?limit=3`, {
      headers: { authorization: `Bearer ${alex}`, 'if-none-match': etag },
    });
    expect(unchanged.status).toBe(304);
    const whole = await list();
    const last = whole.body.requests.at(-1)!;
    await server.call('POST', `/api/requests/${encodeURIComponent(last.id)}/reject`, alex, { reason: 'No' });
    const changed = await fetch(`${server.url}/api/requests?limit=3`, {
      headers: { authorization: `Bearer ${alex}`, 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    const body = (await changed.json()) as Listed;
    expect(body.version).not.toBe((first.body as unknown as Listed).version);
    expect(body.requests.map((r) => r.id)).toEqual(whole.body.requests.slice(0, 3).map((r) => r.id));
  });

  const bad: Array<[string, RegExp]> = [
    ['?limit=0', /limit must be a whole number from 1 to 500/],
    ['?limit=501', /limit must be a whole number from 1 to 500/],
    ['?limit=ten', /limit must be a whole number/],
    ['?limit=1.5', /limit must be a whole number/],
    ['?limit=5&limit=6', /Give limit once/],
    ['?offset=-1&limit=5', /offset must be a whole number/],
    ['?sort=random', /sort must be one of oldest, newest, risk/],
    ['?cursor=abc', /A cursor pages a list: give limit with it/],
    ['?limit=5&cursor=not-a-cursor', /not one this API gave/],
    ['?limit=5&cursor=x&offset=3', /either cursor or offset/],
    [`?q=${'x'.repeat(201)}`, /longer than 200 characters/],
  ];
  for (const [query, message] of bad) {
    it(`refuses ${query.slice(0, 40)} with a 400 that says why`, async () => {
      const { status, body } = await server.call('GET', `/api/requests${query}`, alex);
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(message) } });
    });
  }

  it('refuses a cursor of another sort order', async () => {
    const { body } = await list('?limit=3&sort=newest');
    const { status, body: error } = await server.call(
      'GET',
      `/api/requests?limit=3&sort=risk&cursor=${encodeURIComponent(body.nextCursor!)}`,
      alex,
    );
    expect(status).toBe(400);
    expect(error).toMatchObject({
      error: { message: expect.stringMatching(/belongs to the "newest" order/) },
    });
  });
});
