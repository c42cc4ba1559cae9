// Channel routing (issue 10.3): an admin routes the new requests of an access flow to a channel the
// bot is in; the bot posts its own card there (only for that flow), keeps it true, and approvers act
// in the channel. Only admins (ADMIN_EMAILS) may see or change routing.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { activities, people, post, useBotServer, waitUntil } from './support.js';

const SECRET = 'routing-webhook-secret-123';
const bot = useBotServer({ APONO_WEBHOOK_SECRET: SECRET, ADMIN_EMAILS: 'pattif@example.com' });
const CHANNEL = '19:approvals-channel@thread.tacv2';

async function tokenOf(email: string) {
  const res = await request(bot.server.url).post('/api/sandbox/sign-in').send({ email });
  return `Bearer ${res.body.token as string}`;
}
const created = (id: string, flow: string) =>
  request(bot.server.url)
    .post('/api/apono/webhook')
    .set('authorization', `Bearer ${SECRET}`)
    .send({
      event_type: 'AccessRequestCreated',
      event_time: `${Date.now() / 1000}`,
      data: {
        friendly_id: id,
        access_flow: { id: `flow-${flow}`, name: flow },
        approvals: [{ approver: { email: 'alexw@example.com' } }],
      },
    })
    .expect(202);
const inChannel = () =>
  bot.connector.sent().filter((c) => c.path === `/v3/conversations/${CHANNEL}/activities`);

describe('routing new requests to a channel', () => {
  it('is offered only to admins, with the channels the bot was added to', async () => {
    // The bot is added to a team: Teams names the team and the channel in channelData.
    const joined = {
      ...activities.botInstalled(people.adele, {
        serviceUrl: bot.connector.url,
        conversationType: 'channel',
        conversationId: CHANNEL,
      }),
      channelData: {
        tenant: { id: '00000000-0000-0000-0000-0000000000001' },
        team: { id: CHANNEL, name: 'Platform' },
        channel: { id: CHANNEL, name: 'Approvals' },
      },
    };
    expect((await post(bot.server, joined)).status).toBe(200);
    const patti = await tokenOf('pattif@example.com');
    const alex = await tokenOf('alexw@example.com');
    expect((await request(bot.server.url).get('/api/me').set('authorization', patti)).body.admin).toBe(true);
    expect((await request(bot.server.url).get('/api/me').set('authorization', alex)).body.admin).toBe(false);

    const listed = await request(bot.server.url).get('/api/admin/routes').set('authorization', patti);
    expect(listed.body).toEqual({
      routes: [],
      channels: [{ conversationId: CHANNEL, teamName: 'Platform', channelName: 'Approvals' }],
    });
    const route = { match: 'flow', value: 'Production databases', conversationId: CHANNEL };
    expect((await request(bot.server.url).get('/api/admin/routes').set('authorization', alex)).status).toBe(
      403,
    );
    const refused = await request(bot.server.url)
      .post('/api/admin/routes')
      .set('authorization', alex)
      .send(route);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_an_admin');
    // A channel the bot is not in cannot be chosen.
    const nowhere = await request(bot.server.url)
      .post('/api/admin/routes')
      .set('authorization', patti)
      .send({ ...route, conversationId: '19:elsewhere@thread.tacv2' });
    expect(nowhere.status).toBe(400);
    const added = await request(bot.server.url)
      .post('/api/admin/routes')
      .set('authorization', patti)
      .send(route);
    expect(added.status).toBe(201);
    expect(added.body.route).toMatchObject({ ...route, createdBy: 'pattif@example.com' });
    expect(
      (await request(bot.server.url).post('/api/admin/routes').set('authorization', patti).send(route))
        .status,
    ).toBe(400);
  });

  it('posts new requests of that flow only, and approvers decide them there', async () => {
    await post(bot.server, activities.message(people.alex, 'help', { serviceUrl: bot.connector.url }));
    bot.connector.reset();
    await created('AR-1003', 'Developer sandboxes');
    await created('AR-1004', 'Production databases');
    await waitUntil(bot.server, () => inChannel().length > 0);
    expect(inChannel()).toHaveLength(1);
    expect(JSON.stringify(inChannel()[0]!.body)).toContain('Access request AR-1004');
    expect(inChannel()[0]!.body.summary).toBe(
      'New access request from Lynne Robbins, routed to this channel.',
    );

    // Alex approves on the channel's card: the bot's copy there shows the outcome.
    const [copy] = await bot.server.db.query<{ activity_id: string }>(
      'select activity_id from teams_cards where conversation_id = $1 and request_id = $2',
      [CHANNEL, 'AR-1004'],
    );
    bot.connector.reset();
    const answer = await post(
      bot.server,
      activities.cardAction(
        people.alex,
        'approve',
        { requestId: 'AR-1004', reason: 'ok' },
        {
          serviceUrl: bot.connector.url,
          conversationType: 'channel',
          conversationId: CHANNEL,
          replyToId: copy!.activity_id,
        },
      ),
    );
    expect(JSON.stringify(answer.body)).toContain('Approved by Alex Wilber');
    await bot.server.bot.notifications.idle();
    const updated = bot.connector
      .updates()
      .filter((u) => u.path.endsWith(`/activities/${copy!.activity_id}`));
    expect(updated.length).toBeGreaterThan(0);
    expect(JSON.stringify(updated.at(-1)!.body)).toContain('Approved by Alex Wilber');
    // Delivered once, however often Apono repeats itself.
    await created('AR-1004', 'Production databases');
    await bot.server.bot.notifications.idle();
    expect(inChannel()).toHaveLength(0);
  });

  it('lets an admin remove a route', async () => {
    const patti = await tokenOf('pattif@example.com');
    const { routes } = (await request(bot.server.url).get('/api/admin/routes').set('authorization', patti))
      .body as {
      routes: Array<{ id: number }>;
    };
    expect(
      (await request(bot.server.url).delete(`/api/admin/routes/${routes[0]!.id}`).set('authorization', patti))
        .status,
    ).toBe(204);
    expect(
      (await request(bot.server.url).delete(`/api/admin/routes/${routes[0]!.id}`).set('authorization', patti))
        .status,
    ).toBe(404);
  });
});
