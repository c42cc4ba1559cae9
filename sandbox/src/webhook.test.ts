import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { internalIdOf } from './sandbox.js';
import { seededRequestIds as ids } from './seed.js';
import { adele, alex, fixedNow, megan, sandboxApp } from './testing.js';
import { eventTimeOf } from './webhook.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: { event_type: string; event_time: string; data: Record<string, unknown> };
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
  it('posts AccessRequestCreated with the documented payload and the bearer header', async () => {
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
    expect(event!.body).toEqual({
      event_type: 'AccessRequestCreated',
      event_time: `${fixedNow.getTime() / 1000}.000000000`,
      data: {
        id: internalIdOf(created.body.friendly_id),
        friendly_id: 'AR-1041',
        requester: { id: 'user-megan', name: 'Megan Bowen', email: megan },
        grantee: { id: 'user-megan', source_id: megan, name: 'Megan Bowen', type: 'user' },
        justification: 'Need it',
        creation_date: fixedNow.getTime() / 1000,
        revocation_date: null,
        access_flow: { id: 'flow-prod-db', name: 'Production databases' },
        access_bundle: null,
        access_duration_in_seconds: 1800,
        access_groups: [
          {
            integration: { id: 'int-pg-prod', type: 'postgresql', name: 'prod-postgres' },
            resource_types: [
              { id: 'postgresql-database', name: 'Database', display_path: 'PostgreSQL/Database' },
            ],
            access_units: [
              {
                resource: {
                  id: 'res-pg-prod-orders',
                  name: 'orders',
                  path: 'prod-postgres/orders',
                  type: { id: 'postgresql-database', name: 'Database' },
                },
                permission: { id: 'perm-READ_ONLY', name: 'READ_ONLY' },
              },
            ],
          },
        ],
        approvals_logical_relation: 'AnyOf',
        approvals: [
          {
            name: 'Alex Wilber',
            type: 'user',
            status: 'Pending',
            approver: { id: 'user-alex', name: 'Alex Wilber', email: alex },
          },
          {
            name: 'Adele Vance',
            type: 'user',
            status: 'Pending',
            approver: { id: 'user-adele', name: 'Adele Vance', email: adele },
          },
        ],
        custom_fields: {},
      },
    });
  });

  it('writes event_time as "{seconds}.{nanos}" with nine digits of nanos', () => {
    expect(eventTimeOf(1796263265851)).toBe('1796263265.851000000');
    expect(eventTimeOf(1796263265007)).toBe('1796263265.007000000');
    expect(eventTimeOf(1796263265000)).toBe('1796263265.000000000');
  });

  it('posts Approved then Granted after an approval, Expired on expiry, Rejected and Failed; both IDs each time', async () => {
    const hook = await receiver();
    const { sandbox, as, admin } = sandboxApp({ webhook: { url: hook.url, bearerSecret: 's' } });
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    await admin().post(`/api/sandbox/requests/${ids.plain}/expire`).expect(200);
    await as(alex).post(`/access-requests/${ids.hostileMarkdown}/reject`).expect(200);
    await as(alex)
      .post(`/access-requests/${ids.longJustification}/approve`, { justification: 'ok' })
      .expect(200);
    await admin().post(`/api/sandbox/requests/${ids.longJustification}/fail`).expect(200);
    await sandbox.webhooks.idle();
    expect(hook.received.map((r) => `${r.body.event_type} ${r.body.data.friendly_id as string}`)).toEqual([
      `AccessRequestApproved ${ids.plain}`,
      `AccessRequestGranted ${ids.plain}`,
      `AccessRequestExpired ${ids.plain}`,
      `AccessRequestRejected ${ids.hostileMarkdown}`,
      `AccessRequestApproved ${ids.longJustification}`,
      `AccessRequestGranted ${ids.longJustification}`,
      `AccessRequestFailed ${ids.longJustification}`,
    ]);
    for (const { body } of hook.received) {
      expect(body.data.id).toBe(internalIdOf(body.data.friendly_id as string));
      expect(body.data).not.toHaveProperty('status');
      expect(JSON.stringify(body)).not.toMatch(/reason/i);
      expect(body.event_time).toMatch(/^\d+\.\d{9}$/);
    }
    await admin().post(`/api/sandbox/requests/${ids.plain}/expire`).expect(400);
  });

  it('names who decided a group entry, and the user of a user entry', async () => {
    const hook = await receiver();
    const { sandbox, as } = sandboxApp({ webhook: { url: hook.url, bearerSecret: 's' } });
    await as(alex).post(`/access-requests/${ids.requiresReason}/reject`, { justification: 'No' }).expect(200);
    await as(adele).post(`/access-requests/${ids.plain}/approve`).expect(200);
    await sandbox.webhooks.idle();
    const approvals = hook.received.map((r) => r.body.data.approvals);
    expect(approvals[0]).toEqual([
      {
        name: 'SRE Leads',
        type: 'group',
        status: 'Rejected',
        approver: { id: 'user-alex', name: 'Alex Wilber', email: alex },
      },
    ]);
    expect(approvals[1]).toEqual([
      {
        name: 'Alex Wilber',
        type: 'user',
        status: 'Pending',
        approver: { id: 'user-alex', name: 'Alex Wilber', email: alex },
      },
      {
        name: 'Adele Vance',
        type: 'user',
        status: 'Approved',
        approver: { id: 'user-adele', name: 'Adele Vance', email: adele },
      },
    ]);
  });

  it('sends an undecided group entry with no approver, and both IDs in internal ID mode', async () => {
    const hook = await receiver();
    const { sandbox, admin } = sandboxApp({
      webhook: { url: hook.url, bearerSecret: 's' },
      requestIds: 'internal',
    });
    const created = await admin()
      .post('/api/sandbox/requests')
      .send({ requesterEmail: megan, flowId: 'flow-aws-admin' })
      .expect(201);
    expect(created.body.id).toBe(internalIdOf('AR-1041'));
    await sandbox.webhooks.idle();
    expect(hook.received[0]!.body.data).toMatchObject({
      id: internalIdOf('AR-1041'),
      friendly_id: 'AR-1041',
      approvals: [{ name: 'SRE Leads', type: 'group', status: 'Pending', approver: null }],
    });
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
