import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { alex, sandboxApp } from './testing.js';

const tasks = '/access-requests?scope=MyTasks&statuses=Pending&limit=1';

describe('injected faults', () => {
  it('answers client calls with the chosen status until the faults are cleared; admin calls are unaffected', async () => {
    const { as, admin } = sandboxApp();
    await admin().post('/api/sandbox/faults').send({ status: 503 }).expect(200);
    const res = await as(alex).get(tasks).expect(503);
    expect(res.body.message).toMatch(/unavailable/);
    await admin().post('/api/sandbox/reset').expect(200);
    await admin().post('/api/sandbox/faults').send({ failRate: 1, status: 429 }).expect(200);
    expect((await as(alex).get(tasks).expect(429)).headers['retry-after']).toBe('1');
    await admin().delete('/api/sandbox/faults').expect(200);
    await as(alex).get(tasks).expect(200);
  });

  it('fails only the chosen share of calls', async () => {
    const draws = [0.1, 0.9];
    const { as, sandbox } = sandboxApp({ random: () => draws.shift() ?? 0.9 });
    sandbox.setFaults({ failRate: 0.5, status: 500 });
    await as(alex).get(tasks).expect(500);
    await as(alex).get(tasks).expect(200);
  });

  it('adds latency', async () => {
    const { as, sandbox } = sandboxApp();
    sandbox.setFaults({ latencyMs: 150 });
    const started = Date.now();
    await as(alex).get(tasks).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('never answers in timeout mode, so the client gives up', async () => {
    const { app, base, sandbox } = sandboxApp();
    sandbox.setFaults({ timeout: true });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${base}${tasks}`;
      const call = fetch(url, {
        headers: { authorization: `Bearer ${sandbox.tokenFor(alex)}` },
        signal: AbortSignal.timeout(200),
      });
      await expect(call).rejects.toThrow(/abort|timeout/i);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('validates the faults body', async () => {
    const { admin } = sandboxApp();
    const res = await admin().post('/api/sandbox/faults').send({ failRate: 2, status: 418 }).expect(400);
    expect(res.body.message).toMatch(/failRate|status/);
  });
});
