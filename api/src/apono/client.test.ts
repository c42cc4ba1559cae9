// The typed Apono client against the sandbox's HTTP API (the same paths and shapes as api.apono.io).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AponoSandbox } from '@apono-teams/sandbox/sandbox.js';
import { createSandboxRouter } from '@apono-teams/sandbox/router.js';
import { AponoError, createAponoClient, PAGE_CONCURRENCY } from './client.js';

const alex = 'apono-sandbox-alexw';
let sandbox: AponoSandbox;
let server: Server;
let baseUrl: string;
const calls: string[] = [];

beforeAll(async () => {
  sandbox = new AponoSandbox();
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    calls.push(`${req.method} ${req.url}`);
    next();
  });
  app.use(createSandboxRouter(sandbox));
  server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

beforeEach(() => {
  sandbox.reset();
  sandbox.clearFaults();
  calls.length = 0;
});

describe('the typed Apono client', () => {
  it('reads the session of the token it is given', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000 });
    const session = await client.session(alex);
    expect(session.user).toMatchObject({ name: 'Alex Wilber', email: 'alexw@example.com' });
  });

  it('reads every page of pending tasks, sending scope, statuses, skip and limit', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000, pageSize: 5 });
    const all = await client.listRequests(alex, { scope: 'MyTasks', statuses: ['Pending'] });
    expect(all.length).toBeGreaterThanOrEqual(25);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(calls.length).toBe(Math.ceil(all.length / 5));
    expect(calls[0]).toBe('GET /api/client/v1/access-requests?scope=MyTasks&statuses=Pending&skip=0&limit=5');
    expect(calls).toContain(
      'GET /api/client/v1/access-requests?scope=MyTasks&statuses=Pending&skip=5&limit=5',
    );
  });

  it('reads a list of more than 50 pages to the end, at most PAGE_CONCURRENCY pages at a time', async () => {
    for (let i = 0; i < 300; i++)
      sandbox.createRequest({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db' });
    const flight = { now: 0, most: 0 };
    const client = createAponoClient({
      baseUrl,
      timeoutMs: 5000,
      pageSize: 5,
      fetch: async (request) => {
        flight.most = Math.max(flight.most, ++flight.now);
        try {
          return await fetch(request);
        } finally {
          flight.now--;
        }
      },
    });
    const all = await client.listRequests(alex, { scope: 'MyTasks', statuses: ['Pending'] });
    expect(all.length).toBeGreaterThan(300);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(calls.length).toBe(Math.ceil(all.length / 5));
    expect(calls.length).toBeGreaterThan(50);
    expect(flight.most).toBeGreaterThan(1);
    expect(flight.most).toBeLessThanOrEqual(PAGE_CONCURRENCY);
  });

  it('asks Apono once for identical reads of one person at once, and separately for another person', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000 });
    sandbox.setFaults({ latencyMs: 100 });
    const reads = await Promise.all([
      ...Array.from({ length: 5 }, () => client.getRequest(alex, 'AR-1001')),
      client.getRequest('apono-sandbox-adelev', 'AR-1001'),
    ]);
    expect(reads.map((r) => r.id)).toEqual(Array(6).fill('AR-1001'));
    expect(calls.filter((c) => c === 'GET /api/client/v1/access-requests/AR-1001')).toHaveLength(2);
  });

  it('never answers a read begun after a decision with one begun before it', async () => {
    let slow = true;
    const client = createAponoClient({
      baseUrl,
      timeoutMs: 2000,
      fetch: async (request) => {
        if (request.method === 'GET' && slow) await new Promise((r) => setTimeout(r, 300));
        return fetch(request);
      },
    });
    const before = client.getRequest(alex, 'AR-1001');
    await new Promise((r) => setTimeout(r, 20));
    await client.decide(alex, 'AR-1001', 'approve', 'looks right');
    slow = false;
    const after = await client.getRequest(alex, 'AR-1001');
    await before;
    expect(after.status.status).not.toBe('Pending');
    expect(calls.filter((c) => c === 'GET /api/client/v1/access-requests/AR-1001')).toHaveLength(2);
  });

  it('gets one request and every access-group unit across pages', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000, pageSize: 10 });
    const request = await client.getRequest(alex, 'AR-1019');
    const units = (await Promise.all(request.access_groups.map((g) => client.listUnits(alex, g.id)))).flat();
    expect(units.length).toBeGreaterThanOrEqual(40);
  });

  it('approves and rejects with the justification as Apono expects it', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000 });
    expect(typeof (await client.decide(alex, 'AR-1001', 'approve', 'looks right'))).toBe('string');
    expect((await client.getRequest(alex, 'AR-1001')).status.status).not.toBe('Pending');
    await client.decide(alex, 'AR-1007', 'reject', null);
    expect((await client.getRequest(alex, 'AR-1007')).status.status).toBe('Rejected');
  });

  it('tells apart a refused token, a missing request, a refused decision and Apono being down', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000 });
    const kind = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof AponoError ? e.kind : 'other'),
      );
    expect(await kind(client.session('wrong-token'))).toBe('unauthorized');
    expect(await kind(client.getRequest(alex, 'AR-9999'))).toBe('not_found');
    await client.decide(alex, 'AR-1001', 'approve', null);
    expect(await kind(client.decide(alex, 'AR-1001', 'approve', null))).toBe('rejected');
    sandbox.setFaults({ status: 503 });
    expect(await kind(client.session(alex))).toBe('unavailable');
    sandbox.setFaults({ status: 429 });
    expect(await kind(client.session(alex))).toBe('unavailable');
  });

  it('gives up after its timeout and says Apono did not answer', async () => {
    sandbox.setFaults({ timeout: true });
    const client = createAponoClient({ baseUrl, timeoutMs: 200 });
    const started = Date.now();
    const error = await client.session(alex).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AponoError);
    expect((error as AponoError).message).toMatch(/did not answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports an unreachable Apono as unavailable', async () => {
    const client = createAponoClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 });
    await expect(client.session(alex)).rejects.toMatchObject({ kind: 'unavailable' });
  });
});

describe('reads whose bytes did not change (issue 11, 1)', () => {
  const pending = { scope: 'MyTasks' as const, statuses: ['Pending'] };

  it('give back the very objects parsed before, frozen, while Apono still answers every read', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000 });
    const first = await client.listRequests(alex, pending);
    const second = await client.listRequests(alex, pending);
    expect(calls.length).toBe(2);
    expect(second.length).toBe(first.length);
    expect(second.every((r, i) => r === first[i])).toBe(true);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(Object.isFrozen(first[0]!.requestor)).toBe(true);
    const one = await client.getRequest(alex, 'AR-1001');
    expect(await client.getRequest(alex, 'AR-1001')).toBe(one);
  });

  it('parse anew when the bytes changed, and never hand one credential what another read', async () => {
    const client = createAponoClient({ baseUrl, timeoutMs: 2000 });
    const first = await client.listRequests(alex, pending);
    sandbox.createRequest({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db' });
    const second = await client.listRequests(alex, pending);
    expect(second.length).toBe(first.length + 1);
    expect(second.some((r) => first.includes(r))).toBe(false);
    // Megan reads the same path with her own credential: her own objects, never Alex's.
    const megans = await client.listRequests('apono-sandbox-meganb', pending);
    expect(megans.some((r) => second.includes(r))).toBe(false);
  });
});
