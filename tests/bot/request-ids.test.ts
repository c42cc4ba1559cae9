// Apono's client API may know a request by its internal ID while people know the friendly one from
// Apono's UI (SANDBOX_REQUEST_IDS=internal). Cards show the friendly ID once a webhook told it, and
// every action, stored copy and notice works through the ID Apono's API takes.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { cardProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer, waitUntil, type Person } from './support.js';

const bot = useBotServer({ SANDBOX_REQUEST_IDS: 'internal' });
const options = () => ({ serviceUrl: bot.connector.url });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const cardOf = (c: { body: Record<string, unknown> }) =>
  (c.body.attachments as Array<{ content: IAdaptiveCard }> | undefined)?.[0]?.content;
const actionData = (card: IAdaptiveCard | undefined) =>
  [...JSON.stringify(card).matchAll(/"data":\{"requestId":"([^"]+)"\}/g)].map((m) => m[1]);

describe('with Apono’s internal request IDs', () => {
  it('a new request reaches its approvers under the ID people know, and is decided under Apono’s', async () => {
    for (const who of [people.alex, people.adele, people.megan] as Person[])
      await post(bot.server, activities.message(who, 'help', options()));
    bot.connector.reset();
    const created = await request(bot.server.url)
      .post('/api/sandbox/requests')
      .send({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db', justification: 'Internal IDs' })
      .expect(201);
    const { friendly_id: friendly, internal_id: internal } = created.body as {
      friendly_id: string;
      internal_id: string;
    };

    const forAlex = () =>
      bot.connector
        .sent()
        .filter((c) => c.path === `/v3/conversations/a:personal-${people.alex.aadObjectId}/activities`);
    await waitUntil(bot.server, () => forAlex().length > 0);
    const card = cardOf(forAlex()[0]!);
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain(`Access request ${friendly}`);
    expect(JSON.stringify(card)).toContain(`"title":"Request ID","value":"${friendly}"`);
    const ids = actionData(card);
    expect(ids.length).toBeGreaterThan(0);
    expect(internal).toMatch(UUID);
    expect(new Set(ids)).toEqual(new Set([internal]));

    // The message extension finds it by the ID people know.
    const search = await post(bot.server, activities.search(people.alex, friendly, options()));
    const found = (
      search.body as {
        composeExtension: { attachments?: Array<{ preview?: { content: { title?: string } } }> };
      }
    ).composeExtension.attachments;
    expect(found?.map((r) => r.preview?.content.title)).toEqual([`${friendly} · Megan Bowen`]);

    // Approve from that card: the action carries Apono's ID; the answer and the notice show the friendly one.
    const copy = forAlex()[0]!.path;
    bot.connector.reset();
    const res = await post(
      bot.server,
      activities.cardAction(
        people.alex,
        'approve',
        { requestId: internal, reason: 'Fine' },
        { ...options(), replyToId: 'msg-internal' },
      ),
    );
    const answer = (res.body as { value: IAdaptiveCard }).value;
    expect(cardProblems(answer)).toEqual([]);
    expect(JSON.stringify(answer)).toContain(`Access request ${friendly}`);
    expect(JSON.stringify(answer)).toContain('Approved by Alex Wilber');
    await bot.server.bot.notifications.idle();
    const notice = bot.connector.sent().find((c) => String(c.body.summary).startsWith('Your access request'));
    expect(notice?.body.summary).toBe(
      `Your access request ${friendly} was **approved** by Alex Wilber. Reason: "Fine"`,
    );
    // Every copy is stored, and updated, under Apono's ID.
    const stored = await bot.server.db.query<{ request_id: string }>(
      'select distinct request_id from teams_cards where request_id in ($1, $2)',
      [internal, friendly],
    );
    expect(stored.map((r) => r.request_id)).toEqual([internal]);
    expect(bot.connector.updates().some((u) => copy.endsWith('/activities') && u.path.startsWith(copy))).toBe(
      true,
    );
  });

  it('unfurls an Apono link that carries Apono’s ID', async () => {
    const [{ request_id: id } = { request_id: '' }] = await bot.server.db.query<{ request_id: string }>(
      'select request_id from teams_cards limit 1',
    );
    expect(id).toMatch(UUID);
    const res = await post(
      bot.server,
      activities.queryLink(people.alex, `https://portal.apono.io/access-requests/${id}`, options()),
    );
    const result = (res.body as { composeExtension: { attachments?: Array<{ content: IAdaptiveCard }> } })
      .composeExtension.attachments?.[0];
    expect(cardProblems(result?.content, '1.3')).toEqual([]);
    expect(JSON.stringify(result?.content)).toMatch(/Access request AR-\d+/);
  });
});
