// A new request whose webhook names no approvers (Apono admins write the body) still reaches the
// people who may decide it, once each; and the remembered copies of finished requests are pruned.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { createTeamsStore, MAX_FALLBACK_APPROVERS } from '../../api/src/teams/store.js';
import { cardProblems } from './adaptive-card-schema.js';
import {
  activities,
  people,
  post,
  startBotServer,
  TENANT,
  useBotServer,
  waitUntil,
  type Person,
} from './support.js';

const SECRET = 'test-webhook-secret';
const bot = useBotServer({ APONO_WEBHOOK_SECRET: SECRET });

const options = () => ({ serviceUrl: bot.connector.url });
const chatOf = (who: Person) => `/v3/conversations/a:personal-${who.aadObjectId}/activities`;
const newRequestCards = (who: Person, id: string) =>
  bot.connector
    .sent()
    .filter((c) => c.path === chatOf(who) && JSON.stringify(c.body).includes(`Access request ${id}`));

/** Apono's webhook, as an admin may have written it: the event and the request ID, nothing else. */
const webhook = (body: object) =>
  request(bot.server.url).post('/api/apono/webhook').set('Authorization', `Bearer ${SECRET}`).send(body);

async function createRequest(justification: string): Promise<string> {
  const created = await request(bot.server.url)
    .post('/api/sandbox/requests')
    .send({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db', justification })
    .expect(201);
  return (created.body as { id: string }).id;
}

/** Four people have a chat with the bot: two approvers of the flow, its requester, and Patti. */
async function meet(): Promise<void> {
  for (const who of [people.alex, people.adele, people.megan, people.patti])
    expect((await post(bot.server, activities.message(who, 'help', options()))).status).toBe(200);
}

async function announce(id: string): Promise<void> {
  await webhook({ event_type: 'RequestCreated', data: { id } }).expect(202);
  await waitUntil(
    bot.server,
    () => newRequestCards(people.alex, id).length > 0 && newRequestCards(people.adele, id).length > 0,
  );
}

async function decide(who: Person, verb: 'approve' | 'reject', id: string) {
  const res = await post(
    bot.server,
    activities.cardAction(
      who,
      verb,
      { requestId: id, reason: 'Checked' },
      { ...options(), replyToId: `m-${id}` },
    ),
  );
  expect(res.body).toMatchObject({ statusCode: 200 });
  await bot.server.bot.notifications.idle();
}

const finalAt = async (id: string) =>
  (
    await bot.server.db.query<{ final_at: Date | null }>(
      'select final_at from teams_cards where request_id = $1',
      [id],
    )
  ).map((r) => r.final_at);

describe('a new request whose webhook names no approvers', () => {
  it('is read as each person with a chat, and reaches only those who may decide it, once each', async () => {
    await meet();
    // Apono's own webhook is the admin-written one below; the sandbox's richer one is off.
    bot.server.sandbox!.configureWebhook(null);
    bot.connector.reset();

    const id = await createRequest('Minimal webhook body');
    expect(id).toBe('AR-1041');
    await announce(id);

    for (const approver of [people.alex, people.adele]) {
      const [message, ...more] = newRequestCards(approver, id);
      expect(more).toEqual([]);
      expect(message?.body.summary).toBe('New access request from Megan Bowen waits for your decision.');
      // One message: the lead-in is the card's first line, never `text` beside it (which the
      // Playground's connector would post as a second message, answering with no ID).
      expect(message?.body.text).toBeUndefined();
      const [attachment] = message?.body.attachments as Array<{ content: IAdaptiveCard }>;
      expect(attachment?.content.body?.[0]).toEqual({
        type: 'TextBlock',
        text: 'New access request from Megan Bowen waits for your decision.',
        wrap: true,
      });
      expect(cardProblems(attachment?.content)).toEqual([]);
      expect(JSON.stringify(attachment?.content)).toContain('"verb":"approve"');
    }
    expect(newRequestCards(people.megan, id)).toEqual([]);
    expect(newRequestCards(people.patti, id)).toEqual([]);
    const copies = await bot.server.db.query<{ owner_object_id: string }>(
      'select owner_object_id from teams_cards where request_id = $1 order by owner_object_id',
      [id],
    );
    expect(copies.map((c) => c.owner_object_id)).toEqual([people.alex.aadObjectId, people.adele.aadObjectId]);

    // Apono delivers again, the same body and a different one for the same event: nobody gets a second card.
    await webhook({ event_type: 'RequestCreated', data: { id } }).expect(200, { status: 'duplicate' });
    await webhook({ event_type: 'RequestCreated', data: { id }, note: 'retry' }).expect(202);
    await Promise.all([
      webhook({ event_type: 'RequestCreated', data: { id }, note: 'a' }),
      webhook({ event_type: 'RequestCreated', data: { id }, note: 'b' }),
    ]);
    await new Promise((r) => setTimeout(r, 200));
    await bot.server.bot.notifications.idle();
    expect(newRequestCards(people.alex, id)).toHaveLength(1);
    expect(newRequestCards(people.adele, id)).toHaveLength(1);
  });

  it('is still delivered once, and nothing breaks, when the connector answers without a message ID', async () => {
    await meet();
    bot.server.sandbox!.configureWebhook(null);
    bot.connector.reset();
    bot.connector.answers.withoutId = true;
    try {
      const id = await createRequest('No ID from the connector');
      await announce(id);
      await bot.server.bot.notifications.idle();
      expect(newRequestCards(people.alex, id)).toHaveLength(1);
      expect(await bot.server.db.query('select 1 from teams_cards where request_id = $1', [id])).toEqual([]);
      // The notice stays recorded: a second delivery of the event sends no second card.
      await webhook({ event_type: 'RequestCreated', data: { id }, note: 'again' }).expect(202);
      await new Promise((r) => setTimeout(r, 200));
      await bot.server.bot.notifications.idle();
      expect(newRequestCards(people.alex, id)).toHaveLength(1);
    } finally {
      bot.connector.answers.withoutId = false;
    }
  });

  it('opens the 1:1 chat again when Teams says the stored one is gone, and keeps the new one', async () => {
    await meet();
    bot.server.sandbox!.configureWebhook(null);
    bot.connector.reset();
    const old = `a:personal-${people.alex.aadObjectId}`;
    bot.connector.answers.gone.add(old);
    try {
      const id = await createRequest('The old chat is gone');
      await webhook({ event_type: 'RequestCreated', data: { id } }).expect(202);
      const toAlex = () =>
        bot.connector
          .sent()
          .filter(
            (c) => c.path !== chatOf(people.alex) && JSON.stringify(c.body).includes(`Access request ${id}`),
          )
          .filter((c) => !c.path.includes(people.adele.aadObjectId));
      await waitUntil(bot.server, () => toAlex().length > 0);
      // Tried the old chat once, opened a new one through the connector, and posted there.
      expect(
        bot.connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations'),
      ).toHaveLength(1);
      const [card] = toAlex();
      const fresh = /\/v3\/conversations\/([^/]+)\/activities/.exec(card!.path)![1]!;
      expect(fresh).not.toBe(old);
      const [user] = await bot.server.db.query<{ conversation_id: string }>(
        'select conversation_id from teams_users where aad_object_id = $1',
        [people.alex.aadObjectId],
      );
      expect(user?.conversation_id).toBe(fresh);
      const copies = await bot.server.db.query<{ conversation_id: string }>(
        'select conversation_id from teams_cards where request_id = $1 and owner_object_id = $2',
        [id, people.alex.aadObjectId],
      );
      expect(copies.map((c) => c.conversation_id)).toEqual([fresh]);
    } finally {
      bot.connector.answers.gone.clear();
    }
  });

  it('asks at most 200 known people, the most recently seen first', async () => {
    const store = createTeamsStore(bot.server.db);
    for (let i = 0; i < 205; i++)
      await store.saveUser({
        tenantId: TENANT,
        aadObjectId: `bulk-${i}`,
        conversationId: `a:bulk-${i}`,
        serviceUrl: bot.connector.url,
      });
    await store.saveUser({ tenantId: TENANT, aadObjectId: 'no-chat', email: 'nochat@example.com' });
    const reachable = await store.reachableUsers();
    expect(reachable).toHaveLength(MAX_FALLBACK_APPROVERS);
    expect(reachable.map((u) => u.aadObjectId)).not.toContain('no-chat');
    await bot.server.db.query(
      "delete from teams_users where aad_object_id like 'bulk-%' or aad_object_id = 'no-chat'",
    );
  });
});

describe('a webhook event this app has never seen', () => {
  it('for a pending request still brings it to its approvers, once each', async () => {
    await meet();
    bot.server.sandbox!.configureWebhook(null);
    bot.connector.reset();
    const id = await createRequest('Announced under an event name nobody published');
    // The docs' payload form: event_type, event_time "{seconds}.{nanos}", data.id and data.friendly_id.
    await webhook({
      event_type: 'AccessRequestSomethingNew',
      event_time: '1796263265.851000000',
      data: { id, friendly_id: id },
    }).expect(202);
    await waitUntil(
      bot.server,
      () => newRequestCards(people.alex, id).length > 0 && newRequestCards(people.adele, id).length > 0,
    );
    expect(newRequestCards(people.alex, id)).toHaveLength(1);
    expect(newRequestCards(people.adele, id)).toHaveLength(1);
    expect(newRequestCards(people.megan, id)).toEqual([]);
  });

  it('for a request decided in Apono updates every copy and tells the requester, without a reason', async () => {
    await meet();
    bot.server.sandbox!.configureWebhook(null);
    const id = await createRequest('Decided where we cannot see');
    await announce(id);
    const copies = await bot.server.db.query<{ activity_id: string }>(
      'select activity_id from teams_cards where request_id = $1',
      [id],
    );
    bot.connector.reset();
    // Adele rejects in Apono itself; the only word we get is an event type we do not know.
    await request(bot.server.url)
      .post(`/sandbox/apono/api/client/v1/access-requests/${id}/reject`)
      .set('Authorization', 'Bearer apono-sandbox-adelev')
      .send({ justification: 'Not this week' })
      .expect(200);
    await webhook({ event_type: 'AccessRequestReviewed', data: { id } }).expect(202);
    await waitUntil(bot.server, () => bot.connector.updates().length >= copies.length);

    expect(bot.connector.updates().map((u) => u.path.split('/').pop())).toEqual(
      expect.arrayContaining(copies.map((c) => c.activity_id)),
    );
    for (const update of bot.connector.updates()) {
      const card = JSON.stringify(update.body);
      expect(
        cardProblems((update.body.attachments as Array<{ content: IAdaptiveCard }>)[0]?.content),
      ).toEqual([]);
      expect(card).toMatch(/Rejected in Apono by (Adele Vance|adelev@example\.com)/);
      expect(card).toContain('Apono does not share the reason');
      expect(card).not.toContain('Not this week');
      expect(card).not.toContain('"verb":"approve"');
    }
    const notices = bot.connector
      .sent()
      .filter((c) => String(c.body.summary).startsWith('Your access request'));
    expect(notices).toHaveLength(1);
    expect(String(notices[0]?.body.summary)).toMatch(
      new RegExp(
        `^Your access request ${id} was \\*\\*rejected\\*\\* in Apono by (Adele Vance|adelev@example\\.com)\\. Apono does not share the reason for decisions made outside this app\\.$`,
      ),
    );
    expect(notices[0]?.path).toBe(chatOf(people.megan));

    // Apono tells again, under another name: the requester is not told twice.
    bot.connector.reset();
    await webhook({ event_type: 'RequestRejected', data: { id } }).expect(202);
    await new Promise((r) => setTimeout(r, 200));
    await bot.server.bot.notifications.idle();
    expect(
      bot.connector.sent().filter((c) => String(c.body.summary).startsWith('Your access request')),
    ).toEqual([]);
  });
});

describe('remembered cards', () => {
  it('start to age when their request is decided, and are forgotten 30 days later', async () => {
    await meet();
    bot.server.sandbox!.configureWebhook(null);
    const first = await createRequest('First, decided long ago');
    await announce(first);
    expect((await finalAt(first)).length).toBe(2);
    expect(await finalAt(first)).toEqual([null, null]);
    await decide(people.alex, 'approve', first);
    // Every copy: the two new-request cards, the one acted on, and the requester's notice.
    const marked = await finalAt(first);
    expect(marked).toHaveLength(4);
    for (const at of marked) expect(at).not.toBeNull();

    // Pretend that was 31 days ago; the next request to end prunes it, and keeps its own copies.
    await bot.server.db.query(
      "update teams_cards set final_at = now() - interval '31 days' where request_id = $1",
      [first],
    );
    const second = await createRequest('Second, decided now');
    await announce(second);
    await decide(people.adele, 'reject', second);
    expect(await finalAt(first)).toEqual([]);
    expect(
      await bot.server.db.query('select 1 from teams_request_approvers where request_id = $1', [first]),
    ).toEqual([]);
    expect(await finalAt(second)).toHaveLength(4);

    // A copy shared after the decision ages with the request.
    const store = createTeamsStore(bot.server.db);
    await store.saveCard({
      requestId: second,
      conversationId: '19:general@thread.tacv2',
      activityId: 'shared-later',
      serviceUrl: bot.connector.url,
      tenantId: TENANT,
      personal: false,
      ownerObjectId: people.alex.aadObjectId,
    });
    for (const at of await finalAt(second)) expect(at).not.toBeNull();
  });

  it('of requests final for more than 30 days are swept when the server starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apono-teams-prune-'));
    try {
      const before = await startBotServer({ DATA_DIR: dir });
      const card = (requestId: string, activityId: string) => ({
        requestId,
        conversationId: 'a:someone',
        activityId,
        serviceUrl: 'http://127.0.0.1:1',
        tenantId: TENANT,
        personal: true,
        ownerObjectId: people.alex.aadObjectId,
      });
      const store = createTeamsStore(before.db);
      await store.saveCard(card('AR-OLD', 'old'));
      await store.saveCard(card('AR-RECENT', 'recent'));
      await store.saveCard(card('AR-PENDING', 'pending'));
      await before.db.query(
        "update teams_cards set final_at = now() - interval '40 days' where request_id = 'AR-OLD'",
      );
      await before.db.query(
        "update teams_cards set final_at = now() - interval '10 days' where request_id = 'AR-RECENT'",
      );
      await before.close();

      const after = await startBotServer({ DATA_DIR: dir });
      const left = await after.db.query<{ request_id: string }>(
        'select request_id from teams_cards order by request_id',
      );
      await after.close();
      expect(left.map((r) => r.request_id)).toEqual(['AR-PENDING', 'AR-RECENT']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Two servers on a new database on disk: creating it (initdb) takes seconds on a busy machine.
  }, 60_000);
});
