import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRequestIds as ids } from './seed.js';
import { alex, megan, sandboxApp } from './testing.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: { event_type: string; event_time: number; data: Record<string, unknown> };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections(); // a hung receiver keeps its socket
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A local receiver; `failFirst` answers the first call with 500 to exercise the retry. */
async function receiver(options: { failFirst?: boolean; hang?: boolean } = {}) {
  const received: Received[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      calls++;
      if (options.hang) return;
      if (options.failFirst && calls === 1) return void res.writeHead(500).end();
      received.push({ headers: req.headers, body: JSON.parse(text) as Received['body'] });
      res.writeHead(204).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/apono/webhook`;
  return { url, received, calls: () => calls };
}

describe('the outgoing Request Webhook', () => {
  it('posts RequestCreated with the documented payload and the bearer header', async () => {
    const hook = await receiver();
    const { sandbox, admin } = sandboxApp({ webhook: { url: hook.url, bearerSecret: 's3cret' } });
    const created = await admin()
      .post('/api/sandbox/requests')
      .send({ requesterEmail: megan, resources: ['orders'], justification: 'Need it', durationSeconds: 1800 })
      .expect(201);
    await sandbox.webhooks.idle();
    expect(hook.received).toHaveLength(1);
    const [event] = hook.received;
    expect(event!.headers.authorization).toBe('Bearer s3cret');
    expect(event!.body).toMatchObject({
      event_type: 'RequestCreated',
      data: {
        id: created.body.id,
        requester: { name: 'Megan Bowen', email: megan },
        justification: 'Need it',
        access_flow: { id: 'flow-prod-db', name: 'Production databases' },
        access_duration_in_seconds: 1800,
        approvals_logical_relation: 'AnyOf',
      },
    });
  });

  it('posts RequestApproved then RequestGranted after an approval, and RequestExpired on expiry', async () => {
    const hook = await receiver();
    const { sandbox, as, admin } = sandboxApp({ webhook: { url: hook.url, bearerSecret: 's' } });
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    await admin().post(`/api/sandbox/requests/${ids.plain}/expire`).expect(200);
    await as(alex).post(`/access-requests/${ids.hostileMarkdown}/reject`).expect(200);
    await sandbox.webhooks.idle();
    expect(hook.received.map((r) => `${r.body.event_type} ${r.body.data.id as string}`)).toEqual([
      `RequestApproved ${ids.plain}`,
      `RequestGranted ${ids.plain}`,
      `RequestExpired ${ids.plain}`,
      `RequestRejected ${ids.hostileMarkdown}`,
    ]);
    await admin().post(`/api/sandbox/requests/${ids.plain}/expire`).expect(400);
  });

  it('retries once when the receiver fails', async () => {
    const hook = await receiver({ failFirst: true });
    const { sandbox, as } = sandboxApp({ webhook: { url: hook.url, bearerSecret: 's' } });
    await as(alex).post(`/access-requests/${ids.hostileMarkdown}/reject`).expect(200);
    await sandbox.webhooks.idle();
    expect(hook.calls()).toBe(2);
    expect(sandbox.webhooks.deliveries.at(-1)).toMatchObject({ ok: true, attempts: 2, status: 204 });
  });

  it('never holds up a decision when the receiver hangs', async () => {
    const hook = await receiver({ hang: true });
    const { sandbox, as } = sandboxApp({
      webhook: { url: hook.url, bearerSecret: 's' },
      webhookTimeoutMs: 300,
    });
    const started = Date.now();
    await as(alex).post(`/access-requests/${ids.hostileMarkdown}/reject`).expect(200);
    expect(Date.now() - started).toBeLessThan(250);
    await sandbox.webhooks.idle();
    expect(sandbox.webhooks.deliveries.at(-1)).toMatchObject({ ok: false, attempts: 2 });
  });
});
