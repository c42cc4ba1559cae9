// Apono's Request Webhook at HTTP level: authentication, admin-written bodies, de-duplication.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestChanged } from '../requests/events.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { runChores } from '../store/housekeeping.js';
import {
  MAX_WEBHOOK_APPROVERS,
  normalizeEvent,
  parseEventTime,
  readSignal,
  webhookChore,
} from './apono-webhook.js';

const SECRET = 'test-webhook-secret-0123456789';

describe('the Apono Request Webhook', () => {
  let server: TestServer;
  const changes: RequestChanged[] = [];

  beforeAll(async () => {
    server = await startTestServer({ APONO_WEBHOOK_SECRET: SECRET });
    server.sandbox?.sandbox.configureWebhook(null); // only this test's deliveries
    server.events.on('changed', (c) => changes.push(c));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    changes.length = 0;
  });

  const deliver = (body: unknown, secret: string | null = SECRET) =>
    fetch(`${server.url}/api/apono/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret !== null ? { authorization: `Bearer ${secret}` } : {}),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('accepts the documented payload and signals the change with its hints', async () => {
    const example = {
      event_type: 'AccessRequestApproved',
      event_time: 1796263265.851898,
      data: {
        id: '3f1c2a9e-6b7d-4e1f-9a0b-1c2d3e4f5a6b',
        friendly_id: 'AR-1001',
        requester: { id: 'user-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
        approvals: [
          { name: 'Alex Wilber', type: 'user', status: 'Approved', approver: { email: 'AlexW@example.com' } },
        ],
      },
    };
    const res = await deliver(example);
    expect(res.status).toBe(202);
    await expect.poll(() => changes.length).toBe(1);
    expect(changes).toEqual([
      {
        requestId: 'AR-1001',
        source: 'RequestApproved',
        requesterEmail: 'meganb@example.com',
        approverEmails: ['alexw@example.com'],
      },
    ]);
  });

  it('handles a repeated delivery once', async () => {
    const body = { event_type: 'RequestRejected', event_time: 1796263300, data: { id: 'AR-1002' } };
    expect((await deliver(body)).status).toBe(202);
    const again = await deliver(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    await server.bot.notifications.idle();
    expect(changes).toHaveLength(1);
    // The same event at another time is a new event.
    expect((await deliver({ ...body, event_time: 1796263400 })).status).toBe(202);
    await expect.poll(() => changes.length).toBe(2);
    await server.bot.notifications.idle();
    expect(changes).toHaveLength(2);
  });

  it('refuses a missing or wrong secret, and signals nothing', async () => {
    for (const secret of [null, 'wrong-secret', `${SECRET}x`]) {
      const res = await deliver({ event_type: 'RequestCreated', data: { id: 'AR-1003' } }, secret);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /APONO_WEBHOOK_SECRET/,
      );
    }
    await server.bot.notifications.idle();
    expect(changes).toEqual([]);
  });

  it('explains a body with no usable request ID', async () => {
    for (const body of [
      { event_type: 'RequestCreated' },
      { event_type: 'RequestCreated', data: { id: 'AR 1; drop table' } },
      { event_type: 'RequestCreated', data: { friendly_id: '..', id: '.' } },
      'not json',
    ]) {
      const res = await deliver(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'bad_request',
        message:
          typeof body === 'string' ? expect.any(String) : expect.stringMatching(/friendly_id or data\.id/),
      });
    }
    await server.bot.notifications.idle();
    expect(changes).toEqual([]);
  });

  it('accepts an event type never seen before, and still signals a re-read', async () => {
    for (const event_type of ['AccessRequestEscalated', 'SomethingElse', undefined]) {
      const res = await deliver({
        event_type,
        event_time: '1796263500.000000001',
        data: { friendly_id: 'AR-1004' },
      });
      expect(res.status).toBe(202);
    }
    await expect.poll(() => changes.length).toBe(3);
    expect(changes.map((c) => [c.requestId, c.source])).toEqual([
      ['AR-1004', 'AccessRequestEscalated'],
      ['AR-1004', 'SomethingElse'],
      ['AR-1004', 'unknown'],
    ]);
  });

  it('forgets de-duplication keys older than a week', async () => {
    await server.db.query(
      `insert into webhook_events (dedupe_key, event_type, request_id, received_at) values ('old', 'RequestCreated', 'AR-1', now() - interval '8 days'), ('new', 'RequestCreated', 'AR-2', now() - interval '6 days')`,
    );
    await runChores(server.db, server.log, [webhookChore]);
    const keys = (
      await server.db.query<{ dedupe_key: string }>(
        `select dedupe_key from webhook_events where dedupe_key in ('old', 'new')`,
      )
    ).map((r) => r.dedupe_key);
    expect(keys).toEqual(['new']);
  });
});

describe('reading an admin-written webhook body', () => {
  it('knows both spellings of each trigger and nothing else', () => {
    expect(normalizeEvent('AccessRequestCreated')).toBe('RequestCreated');
    expect(normalizeEvent('RequestExpired')).toBe('RequestExpired');
    expect(normalizeEvent('RequestDeleted')).toBeNull();
  });

  it('needs only a request ID: friendly_id, id, or both', () => {
    expect(readSignal({ event: 'RequestGranted', request_id: 'AR-7' })).toMatchObject({
      event: 'RequestGranted',
      known: true,
      friendlyId: null,
      internalId: 'AR-7',
      approverEmails: [],
    });
    expect(
      readSignal({ data: { friendly_id: 'AR-7', id: '3f1c2a9e-6b7d-4e1f-9a0b-1c2d3e4f5a6b' } }),
    ).toMatchObject({
      event: 'unknown',
      known: false,
      friendlyId: 'AR-7',
      internalId: '3f1c2a9e-6b7d-4e1f-9a0b-1c2d3e4f5a6b',
    });
    expect(readSignal({ event_type: 'RequestGranted' })).toBeNull();
  });

  it("reads event_time in Apono's {seconds}.{nanos} form, as a number, or ISO", () => {
    expect(parseEventTime('1796263265.851898000')).toBe(new Date(1796263265851).toISOString());
    expect(parseEventTime(1796263265.851898)).toBe(new Date(1796263265851).toISOString());
    expect(parseEventTime('1796263265')).toBe(new Date(1796263265000).toISOString());
    expect(parseEventTime('2026-12-01T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
    for (const bad of ['soon', '', null, '1.2.3', {}]) expect(parseEventTime(bad)).toBeNull();
  });

  it(`reads at most ${MAX_WEBHOOK_APPROVERS} approver entries from one delivery, and says how many it left`, () => {
    const approvals = Array.from({ length: 4000 }, (_, i) => ({
      name: `Approver ${i}`,
      type: 'user',
      approver: { email: `a${i}@example.com` },
    }));
    const signal = readSignal({ data: { friendly_id: 'AR-1042', approvals } });
    expect(signal?.approverEmails).toHaveLength(MAX_WEBHOOK_APPROVERS);
    expect(signal?.approverEmails[0]).toBe('a0@example.com');
    expect(signal?.facts.approvers).toHaveLength(MAX_WEBHOOK_APPROVERS);
    expect(signal?.approversCut).toBe(4000 - MAX_WEBHOOK_APPROVERS);
    expect(
      readSignal({ data: { friendly_id: 'AR-1042', approvals: approvals.slice(0, 3) } })?.approversCut,
    ).toBe(0);
  });

  it('keeps which approver entry named whom, and the flow name', () => {
    const signal = readSignal({
      event_type: 'AccessRequestApproved',
      event_time: '1796263265.000000000',
      data: {
        friendly_id: 'AR-1042',
        access_flow: { id: 'f', name: 'Production databases' },
        approvals: [
          {
            name: 'SRE Leads',
            type: 'group',
            status: 'Approved',
            approver: { name: 'Adele Vance', email: 'AdeleV@example.com' },
          },
          { name: 'Manager', type: 'manager', status: 'Pending', approver: null },
        ],
      },
    });
    expect(signal?.facts).toEqual({
      friendlyId: 'AR-1042',
      internalId: null,
      accessFlow: 'Production databases',
      approvers: [
        {
          entry: 'SRE Leads',
          kind: 'group',
          status: 'Approved',
          person: { name: 'Adele Vance', email: 'adelev@example.com' },
          at: new Date(1796263265000).toISOString(),
        },
        {
          entry: 'Manager',
          kind: 'manager',
          status: 'Pending',
          person: { name: null, email: null },
          at: new Date(1796263265000).toISOString(),
        },
      ],
    });
  });
});
