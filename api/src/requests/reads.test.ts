// Reading the pending list over HTTP: identical reads at once cost Apono one call, an unchanged list
// answers 304 to its ETag, answers are compressed, and a long list comes whole, with its count.
import { listPollMs } from '@apono-teams/domain/request-page.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAGE_CONCURRENCY } from '../apono/client.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startServer, type RunningServer } from '../server.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose calls to Apono's MyTasks list are counted, with how many were in flight at most. */
async function start() {
  const seen = { myTasks: 0, inFlight: 0, mostInFlight: 0 };
  server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: ':memory:', LOG_LEVEL: 'silent' }),
    {
      log: createLogger('silent'),
      aponoFetch: async (request) => {
        const url = new URL(request.url);
        const listing = url.pathname.endsWith('/access-requests') && !url.searchParams.has('request_ids');
        if (!listing) return fetch(request);
        seen.myTasks++;
        seen.mostInFlight = Math.max(seen.mostInFlight, ++seen.inFlight);
        try {
          return await fetch(request);
        } finally {
          seen.inFlight--;
        }
      },
    },
  );
  const url = server.url;
  const signIn = async (email: string) => {
    const res = await fetch(`${url}/api/sandbox/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  };
  const faults = (body: object) =>
    fetch(`${url}/api/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { url, seen, signIn, faults, sandbox: server.sandbox!.sandbox };
}

describe('reading the pending list', () => {
  it('eight identical reads by Alex at once make one call to Apono; Adele reading at the same time makes her own', async () => {
    const { url, seen, signIn, faults } = await start();
    const alex = await signIn('alexw@example.com');
    const adele = await signIn('adelev@example.com');
    await fetch(`${url}/api/requests`, { headers: alex });
    await fetch(`${url}/api/requests`, { headers: adele });
    await faults({ latencyMs: 300 });
    seen.myTasks = 0;
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () => fetch(`${url}/api/requests`, { headers: alex })),
      fetch(`${url}/api/requests`, { headers: adele }),
    ]);
    const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ total: number }>));
    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(200));
    expect(new Set(bodies.slice(0, 8).map((b) => JSON.stringify(b))).size).toBe(1);
    expect(seen.myTasks).toBe(2);
  });

  it('an unchanged list answers 304 to the ETag the tab holds, and a list that changed answers anew', async () => {
    const { url, signIn } = await start();
    const alex = await signIn('alexw@example.com');
    const first = await fetch(`${url}/api/requests`, { headers: alex });
    const etag = first.headers.get('etag')!;
    const listed = (await first.json()) as { requests: Array<{ id: string }>; total: number };
    expect(etag).toMatch(/^"[\w-]+"$/); // strong: no W/
    // fetch() adds Cache-Control: no-cache to a request with If-None-Match; the answer is still 304.
    const again = await fetch(`${url}/api/requests`, { headers: { ...alex, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    await fetch(`${url}/api/requests/${listed.requests[0]!.id}/approve`, {
      method: 'POST',
      headers: { ...alex, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Looks right' }),
    });
    const changed = await fetch(`${url}/api/requests`, { headers: { ...alex, 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { total: number }).total).toBe(listed.total - 1);
  });

  it('is compressed for a client that accepts gzip', async () => {
    const { url, signIn } = await start();
    const alex = await signIn('alexw@example.com');
    const res = await fetch(`${url}/api/requests`, { headers: { ...alex, 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(((await res.json()) as { total: number }).total).toBeGreaterThan(20);
  });

  it('with 5,100 more requests waiting, every one comes, with the count, its pages read a few at a time', async () => {
    const { url, seen, signIn, sandbox } = await start();
    const alex = await signIn('alexw@example.com');
    const before = (
      (await (await fetch(`${url}/api/requests`, { headers: alex })).json()) as { total: number }
    ).total;
    sandbox.configureWebhook(null); // 5,100 "RequestCreated" deliveries are another test's matter
    for (let i = 0; i < 5100; i++)
      sandbox.createRequest({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db' });
    seen.myTasks = 0;
    const res = await fetch(`${url}/api/requests`, { headers: alex });
    const body = (await res.json()) as { requests: Array<{ id: string }>; total: number };
    expect({ status: res.status, total: body.total }).toEqual({ status: 200, total: before + 5100 });
    expect(body.requests).toHaveLength(body.total);
    expect(new Set(body.requests.map((r) => r.id)).size).toBe(body.total);
    expect(seen.myTasks).toBe(Math.ceil(body.total / 100)); // past the 50 pages the client used to stop at
    expect(seen.mostInFlight).toBeGreaterThan(1);
    expect(seen.mostInFlight).toBeLessThanOrEqual(PAGE_CONCURRENCY);
  });
});

describe('the pages after the first', () => {
  type Page = { requests: Array<{ id: string }>; total: number; nextCursor: string | null; version: string };
  const page = async (url: string, auth: object, query: string) =>
    (await (await fetch(`${url}/api/requests?${query}`, { headers: { ...auth } })).json()) as Page;
  /** Every page of the view along its cursor, and the version each one carried. */
  async function walk(url: string, auth: object, limit: number) {
    const pages: Page[] = [await page(url, auth, `limit=${limit}`)];
    while (pages.at(-1)!.nextCursor)
      pages.push(
        await page(url, auth, `limit=${limit}&cursor=${encodeURIComponent(pages.at(-1)!.nextCursor!)}`),
      );
    return pages;
  }

  it('come from the list the first page read: walking 10 pages, or jumping by offset, asks Apono once', async () => {
    const { url, seen, signIn } = await start();
    const alex = await signIn('alexw@example.com');
    const whole = (await (await fetch(`${url}/api/requests`, { headers: alex })).json()) as Page;
    seen.myTasks = 0;
    const pages = await walk(url, alex, 3);
    expect(pages.length).toBeGreaterThanOrEqual(10);
    expect(pages.flatMap((p) => p.requests.map((r) => r.id))).toEqual(whole.requests.map((r) => r.id));
    expect(new Set(pages.map((p) => p.version)).size).toBe(1);
    expect((await page(url, alex, 'limit=5&offset=20')).requests.map((r) => r.id)).toEqual(
      whole.requests.slice(20, 25).map((r) => r.id),
    );
    expect(seen.myTasks).toBe(1); // the first page's read; 28 requests are one page of Apono's
  });

  it("are never another caller's: Adele's later page, read first, asks Apono for her own list", async () => {
    const { url, seen, signIn } = await start();
    const alex = await signIn('alexw@example.com');
    const adele = await signIn('adelev@example.com');
    const his = await walk(url, alex, 5);
    seen.myTasks = 0;
    const later = await page(url, adele, 'limit=2&offset=1');
    expect(seen.myTasks).toBe(1);
    const hers = (await (await fetch(`${url}/api/requests`, { headers: adele })).json()) as Page;
    expect(hers.total).not.toBe(his[0]!.total); // two different queues, or this proves nothing
    expect(later.total).toBe(hers.total);
    expect(later.requests.map((r) => r.id)).toEqual(hers.requests.slice(1, 3).map((r) => r.id));
  });

  it('ask Apono again once something changed: a decision made here, a webhook, or time past the poll', async () => {
    const { url, seen, signIn, sandbox } = await start();
    const alex = await signIn('alexw@example.com');
    const first = await page(url, alex, 'limit=5');
    const decided = first.requests[0]!.id;
    await fetch(`${url}/api/requests/${decided}/approve`, {
      method: 'POST',
      headers: { ...alex, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Looks right' }),
    });
    seen.myTasks = 0;
    const afterDecision = await page(url, alex, 'limit=50&offset=1');
    expect(seen.myTasks).toBe(1);
    expect(afterDecision.total).toBe(first.total - 1);
    expect(afterDecision.requests.map((r) => r.id)).not.toContain(decided);

    // Apono's webhook says a request was created (the embedded sandbox sends it to this server).
    const heard = new Promise((told) => server!.events.once('changed', told));
    sandbox.createRequest({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db' });
    await heard;
    seen.myTasks = 0;
    expect((await page(url, alex, 'limit=50&offset=1')).total).toBe(first.total);
    expect(seen.myTasks).toBe(1);

    // A poll's time later, the head read is too old to stand for a page.
    await page(url, alex, 'limit=50&offset=1');
    expect(seen.myTasks).toBe(1);
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + listPollMs);
    try {
      await page(url, alex, 'limit=50&offset=1');
    } finally {
      clock.mockRestore();
    }
    expect(seen.myTasks).toBe(2);
  });
});

describe("what the list knows beside Apono's answer", () => {
  it('is not read again after a read of one request that taught nothing new', async () => {
    const { url, signIn, sandbox } = await start();
    const alex = await signIn('alexw@example.com');
    // A request Apono's webhook told of: the app keeps its ID pair and flow name beside Apono's list.
    const heard = new Promise((told) => server!.events.once('changed', told));
    const created = sandbox.createRequest({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db' });
    await heard;
    const id = created.friendly_id;
    await fetch(`${url}/api/requests`, { headers: alex });
    expect((await fetch(`${url}/api/requests/${id}`, { headers: alex })).status).toBe(200);
    await fetch(`${url}/api/requests`, { headers: alex });
    const statements: string[] = [];
    const db = server!.db;
    const query = db.query.bind(db);
    db.query = ((sql: string, params?: unknown[]) => {
      statements.push(sql);
      return query(sql, params);
    }) as typeof db.query;
    expect((await fetch(`${url}/api/requests/${id}`, { headers: alex })).status).toBe(200);
    const during = statements.length;
    const listed = (await (await fetch(`${url}/api/requests`, { headers: alex })).json()) as {
      requests: Array<{ id: string; accessFlow: string | null }>;
    };
    expect(during).toBeGreaterThan(0); // the single read asks the database
    expect(statements.slice(during)).toEqual([]); // the list after it had nothing to ask again
    expect(listed.requests.find((r) => r.id === id)?.accessFlow).toEqual(expect.any(String));
  });
});
