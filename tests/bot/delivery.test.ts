// Delivery to Teams under Teams' own pushback (issue 10): a connector that answers 429 with
// Retry-After, then 502, still gets every card, once, after the wait it asked for; many cards to one
// chat go out at Teams' documented pace (7 a second, 8 in 2 s per conversation); a job that keeps
// failing is kept as a dead letter that an admin sees and can send again.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { PER_CONVERSATION } from '../../api/src/delivery/pace.js';
import { Client as ApiClient } from '@microsoft/teams.api';
import { createLogger } from '../../api/src/log.js';
import { createCopyUpdater } from '../../api/src/teams/copies.js';
import { createMessenger } from '../../api/src/teams/messenger.js';
import { activities, people, post, TENANT, useBotServer, waitUntil } from './support.js';

const SECRET = 'delivery-webhook-secret-123';
const bot = useBotServer({
  APONO_WEBHOOK_SECRET: SECRET,
  ADMIN_EMAILS: 'pattif@example.com',
  DELIVERY_RETRY_LIMIT: '1',
});
const alexChat = `/v3/conversations/a:personal-${people.alex.aadObjectId}/activities`;

const created = (id: string) =>
  request(bot.server.url)
    .post('/api/apono/webhook')
    .set('authorization', `Bearer ${SECRET}`)
    .send({
      event_type: 'AccessRequestCreated',
      event_time: `${Date.now() / 1000}`,
      data: { friendly_id: id, approvals: [{ approver: { email: 'alexw@example.com' } }] },
    })
    .expect(202);
const cardsTo = (id: string) =>
  bot.connector
    .sent()
    .filter(
      (c) =>
        c.path === alexChat && c.status === 201 && JSON.stringify(c.body).includes(`Access request ${id}`),
    );

describe('delivery to Teams', () => {
  it('waits as long as a 429 says, retries a 502, and delivers the card once', async () => {
    await post(bot.server, activities.message(people.alex, 'help', { serviceUrl: bot.connector.url }));
    bot.connector.reset();
    bot.connector.answers.failNext.push(
      { status: 429, headers: { 'Retry-After': '1' } },
      { status: 429, headers: { 'Retry-After': '1' } },
      { status: 502 },
    );
    await created('AR-1001');
    await waitUntil(bot.server, () => cardsTo('AR-1001').length > 0, 15_000);
    const attempts = bot.connector.sent().filter((c) => c.path === alexChat);
    expect(attempts.map((a) => a.status)).toEqual([429, 429, 502, 201]);
    // Each retry after a 429 came no sooner than its Retry-After.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(950);
    expect(cardsTo('AR-1001')).toHaveLength(1);
  });

  it('sends many cards to one chat no faster than Teams allows per conversation', async () => {
    bot.connector.reset();
    const ids = Array.from({ length: 11 }, (_, i) => `AR-10${String(i + 2).padStart(2, '0')}`);
    await Promise.all(ids.map((id) => created(id)));
    await waitUntil(
      bot.server,
      () => bot.connector.sent().filter((c) => c.path === alexChat).length >= 8,
      20_000,
    );
    const times = bot.connector
      .sent()
      .filter((c) => c.path === alexChat)
      .map((c) => c.at)
      .sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(8);
    for (const [count, ms] of PER_CONVERSATION)
      for (let i = 0; i + count < times.length; i++)
        expect(times[i + count]! - times[i]!, `${count + 1} posts within ${ms} ms`).toBeGreaterThanOrEqual(
          ms - 20,
        );
  });

  it('keeps a job that keeps failing as a dead letter, shows it to admins, and sends it again', async () => {
    // A delivery whose stored body cannot be read (as if written by a broken release).
    await bot.server.delivery.send('apono-signal', 'broken-1', { facts: null });
    bot.server.delivery.nudge('apono-signal');
    const admin = `Bearer ${(await request(bot.server.url).post('/api/sandbox/sign-in').send({ email: 'pattif@example.com' })).body.token as string}`;
    const report = async () =>
      (await request(bot.server.url).get('/api/admin/delivery').set('authorization', admin)).body as {
        dead: number;
        lastErrors: Array<{ queue: string; error: string }>;
      };
    await expect.poll(async () => (await report()).dead, { timeout: 20_000, interval: 500 }).toBe(1);
    expect((await report()).lastErrors.some((e) => e.queue === 'apono-signal' && e.error)).toBe(true);
    const alex = `Bearer ${(await request(bot.server.url).post('/api/sandbox/sign-in').send({ email: 'alexw@example.com' })).body.token as string}`;
    expect((await request(bot.server.url).get('/api/admin/delivery').set('authorization', alex)).status).toBe(
      403,
    );
    const retried = await request(bot.server.url)
      .post('/api/admin/delivery/retry')
      .set('authorization', admin);
    expect(retried.body).toEqual({ retried: 1 });
    expect((await report()).dead).toBe(0);
  });
});

describe('the sandbox reset', () => {
  it('forgets queued and dead deliveries together with the world they were about', async () => {
    await bot.server.delivery.send('apono-signal', 'broken-before-reset', { facts: null });
    expect(await bot.server.delivery.pending()).toBeGreaterThan(0);
    await request(bot.server.url).post('/api/sandbox/reset').expect(200);
    expect(await bot.server.delivery.pending()).toBe(0);
    expect((await bot.server.delivery.report()).dead).toBe(0);
  });
});

describe('card updates', () => {
  it('never let an older read of a request overwrite a newer one on the same copy', async () => {
    const copy = {
      requestId: 'AR-2000',
      conversationId: 'a:versions',
      activityId: 'msg-versions',
      serviceUrl: bot.connector.url,
      tenantId: TENANT,
      personal: true,
      ownerObjectId: people.alex.aadObjectId,
    };
    await bot.server.bot.store.saveCard(copy);
    const messenger = createMessenger({
      http: () => new ApiClient(bot.connector.url).http,
      botId: () => undefined,
    });
    const copies = createCopyUpdater({ store: bot.server.bot.store, messenger, log: createLogger('silent') });
    const card = (text: string) => ({
      type: 'AdaptiveCard' as const,
      version: '1.5' as const,
      body: [{ type: 'TextBlock' as const, text }],
    });
    bot.connector.reset();
    // Read at 2,000 (approved), then a slower job's read from 1,000 (still pending) arrives.
    await copies.put(copy, copy.requestId, card('Approved'), 2000);
    await copies.put(copy, copy.requestId, card('Pending'), 1000);
    await copies.put(copy, copy.requestId, card('Active'), 3000);
    expect(bot.connector.updates().map((u) => JSON.stringify(u.body).match(/"text":"(\w+)"/)?.[1])).toEqual([
      'Approved',
      'Active',
    ]);
  });
});
