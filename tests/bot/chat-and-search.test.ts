// Protocol tests: Teams activity JSON posted to /api/messages of a real server in sandbox mode, with
// the bot's outbound Bot Connector calls captured by a fake connector on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { cardProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer } from './support.js';

const bot = useBotServer();

type Attachment = {
  contentType: string;
  content: IAdaptiveCard & Record<string, unknown>;
  preview?: Attachment;
};
const cardsSent = () =>
  bot.connector
    .sent()
    .flatMap((c) => (c.body.attachments as Attachment[] | undefined) ?? [])
    .map((a) => a.content);
const textOf = (card: unknown) => JSON.stringify(card);
const options = () => ({ serviceUrl: bot.connector.url });
/** A sandbox session for the tab's API, to decide outside the chat. */
async function signIn(email: string): Promise<string> {
  const res = await fetch(`${bot.server.url}/api/sandbox/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  return ((await res.json()) as { token: string }).token;
}

describe('the personal chat', () => {
  it('greets on install, explains what it does, and remembers the conversation', async () => {
    const res = await post(bot.server, activities.botInstalled(people.adele, options()));
    expect(res.status).toBe(200);
    const [greeting] = bot.connector.sent();
    expect(greeting?.path).toBe(`/v3/conversations/a:personal-${people.adele.aadObjectId}/activities`);
    expect(greeting?.body.summary).toBe('Hello! I am Apono Approvals.');
    const [card] = cardsSent();
    expect(cardProblems(card)).toEqual([]);
    expect(textOf(card)).toContain('Type **pending**');
    const rows = await bot.server.db.query(
      'select conversation_id, service_url from teams_users where aad_object_id = $1',
      [people.adele.aadObjectId],
    );
    expect(rows).toEqual([
      { conversation_id: `a:personal-${people.adele.aadObjectId}`, service_url: bot.connector.url },
    ]);

    // Teams also sends installationUpdate for the same install: no second greeting.
    expect((await post(bot.server, activities.appInstalled(people.adele, options()))).status).toBe(200);
    expect(bot.connector.sent()).toHaveLength(1);
  });

  it('"pending" lists the oldest requests waiting for the approver in one message, one actionable card each', async () => {
    const res = await post(bot.server, activities.message(people.alex, 'pending', options()));
    expect(res.status).toBe(200);
    // One send, not eleven: Teams allows 7 messages a second in a conversation.
    const messages = bot.connector.sent();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(String(message?.body.text)).toMatch(
      /^\d+ requests are waiting for your decision\. Here are the 10/,
    );
    expect(message?.body.attachmentLayout).toBe('list');
    // Within the size Teams recommends for a whole message (80 KB, counted in UTF-16).
    expect(JSON.stringify(message?.body).length * 2).toBeLessThan(80 * 1024);
    const cards = cardsSent();
    expect(cards).toHaveLength(10);
    for (const card of cards) {
      expect(cardProblems(card)).toEqual([]);
      expect(textOf(card)).toContain('"verb":"approve"');
      expect(card.refresh?.userIds).toContain(people.alex.id);
    }
    const stored = await bot.server.db.query<{ slot: number }>(
      'select slot from teams_cards where owner_object_id = $1 and slot is not null order by slot',
      [people.alex.aadObjectId],
    );
    expect(stored.map((r) => r.slot)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps each card of that message true: a decision made elsewhere re-sends the message with only that card changed', async () => {
    await post(bot.server, activities.message(people.adele, 'pending', options()));
    const [message] = bot.connector.sent();
    const sent = (message?.body.attachments as Attachment[]).map((a) => a.content);
    const idOf = (card: unknown) => /Access request (AR-\d+)/.exec(textOf(card))?.[1];
    const target = idOf(sent[1]);
    expect(target).toBeDefined();
    const [copy] = await bot.server.db.query<{ activity_id: string }>(
      'select activity_id from teams_cards where request_id = $1 and slot = 1 and owner_object_id = $2',
      [target, people.adele.aadObjectId],
    );
    bot.connector.reset();

    const token = await signIn('adelev@example.com');
    const decided = await fetch(`${bot.server.url}/api/requests/${target}/reject`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ reason: 'Not this week' }),
    });
    expect(decided.status).toBe(200);
    await bot.server.bot.notifications.idle();

    const puts = bot.connector.updates().filter((u) => u.path.endsWith(`/activities/${copy!.activity_id}`));
    // The app's own decision event, then the sandbox's webhook for it: each re-sends the same message.
    expect(puts.length).toBeGreaterThanOrEqual(1);
    for (const put of puts) expect((put.body.attachments as Attachment[]).length).toBe(sent.length);
    const body = puts.at(-1)!.body;
    expect(body.attachmentLayout).toBe('list');
    expect(body.text).toBe(message?.body.text);
    const now = (body.attachments as Attachment[]).map((a) => a.content);
    expect(now.map(idOf)).toEqual(sent.map(idOf));
    expect(textOf(now[1])).toContain('Rejected by Adele Vance');
    expect(textOf(now[1])).not.toContain('"verb":"approve"');
    for (const i of [0, 2, 3]) expect(now[i]).toEqual(sent[i]);
  });

  it('two decisions at once on one message: the last update shows both', async () => {
    await post(bot.server, activities.message(people.adele, 'pending', options()));
    const [message] = bot.connector.sent();
    const sent = (message?.body.attachments as Attachment[]).map((a) => a.content);
    const idOf = (card: unknown) => /Access request (AR-\d+)/.exec(textOf(card))?.[1];
    const [first, , third] = sent.map(idOf);
    const token = await signIn('adelev@example.com');
    bot.connector.reset();
    const reject = (id: string | undefined) =>
      fetch(`${bot.server.url}/api/requests/${id}/reject`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'Both at once' }),
      });
    const answers = await Promise.all([reject(first), reject(third)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await bot.server.bot.notifications.idle();
    const [{ activity_id: activityId } = { activity_id: '' }] = await bot.server.db.query<{
      activity_id: string;
    }>(
      'select activity_id from teams_cards where request_id = $1 and slot = 0 and owner_object_id = $2 order by id desc limit 1',
      [first, people.adele.aadObjectId],
    );
    const last = bot.connector
      .updates()
      .filter((u) => u.path.endsWith(`/activities/${activityId}`))
      .at(-1);
    const now = (last?.body.attachments as Attachment[]).map((a) => a.content);
    expect(textOf(now[0])).toContain('Rejected by Adele Vance');
    expect(textOf(now[2])).toContain('Rejected by Adele Vance');
    expect(textOf(now[1])).toContain('"verb":"approve"');
  });

  it('never lists someone’s pending requests in a channel', async () => {
    await post(
      bot.server,
      activities.message(people.alex, '<at>Apono Approvals</at> pending', {
        ...options(),
        conversationType: 'channel',
        conversationId: '19:general@thread.tacv2',
      }),
    );
    expect(bot.connector.sent().map((c) => c.body.text)).toEqual([
      'I list the requests waiting for you only in our 1:1 chat. Open a chat with Apono Approvals and type "pending"; to share one request here, use the message extension.',
    ]);
  });

  it('tells someone with nothing to decide that nothing is waiting', async () => {
    await post(bot.server, activities.message(people.patti, 'pending', options()));
    expect(bot.connector.sent().map((c) => c.body.text)).toEqual([
      'Nothing is waiting for your decision. New requests will reach you here.',
    ]);
  });

  it('answers "help" and anything else with the help card', async () => {
    for (const text of ['help', 'what can you do?']) {
      bot.connector.reset();
      await post(bot.server, activities.message(people.alex, text, options()));
      const [card] = cardsSent();
      expect(cardProblems(card)).toEqual([]);
      expect(textOf(card)).toContain('Apono Approvals');
      expect(textOf(card)).toContain('connect your Apono account');
    }
  });
});

describe('the message extension search', () => {
  type SearchResult = { composeExtension: { type: string; text?: string; attachments?: Attachment[] } };
  const search = async (query: string | null, who = people.alex) =>
    (await post(bot.server, activities.search(who, query, options()))).body as SearchResult;

  it('lists the newest pending requests on the first run, each a card with a thumbnail preview', async () => {
    const { composeExtension } = await search(null);
    expect(composeExtension.type).toBe('result');
    const results = composeExtension.attachments ?? [];
    expect(results.length).toBeGreaterThan(5);
    expect(results.length).toBeLessThanOrEqual(25);
    for (const result of results) {
      expect(result.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(cardProblems(result.content)).toEqual([]);
      expect(result.preview?.contentType).toBe('application/vnd.microsoft.card.thumbnail');
      expect(String(result.preview?.content.title)).toMatch(/^AR-\d+ · /);
      // What is inserted in a channel is read-only for everyone, and refreshes for the approver.
      expect(textOf(result.content)).toContain('"title":"Approve or reject"');
      expect(result.content.refresh?.userIds).toContain(people.alex.id);
    }
    // Newest first: how long each has waited ("now", "12 min", "3 hr", "2 days", Intl's units) never decreases.
    const unit: Record<string, number> = { min: 1, hr: 60, day: 1440, days: 1440 };
    const waited = results.map((r) => {
      const m = /waited (\d+) (min|hr|days?)$/.exec(String(r.preview?.content.text));
      return m ? Number(m[1]) * unit[m[2]!]! : 0;
    });
    expect(waited.some((minutes) => minutes > 0)).toBe(true);
    expect(waited).toEqual([...waited].sort((a, b) => a - b));
  });

  it('finds a request by ID, by requester and by resource', async () => {
    const byId = (await search('AR-1001')).composeExtension.attachments ?? [];
    expect(byId.map((r) => r.preview?.content.title)).toEqual(['AR-1001 · Megan Bowen']);
    const byRequester = (await search('lynne')).composeExtension.attachments ?? [];
    expect(byRequester.length).toBeGreaterThan(0);
    for (const r of byRequester) expect(String(r.preview?.content.title)).toContain('Lynne Robbins');
    const byResource = (await search('warehouse')).composeExtension.attachments ?? [];
    expect(byResource.map((r) => r.preview?.content.title?.toString().split(' ')[0])).toContain('AR-1019');
  });

  it('says so when nothing matches', async () => {
    const { composeExtension } = await search('no-such-thing-anywhere');
    expect(composeExtension).toEqual({
      type: 'message',
      text: 'Nothing waiting for you matches "no-such-thing-anywhere".',
    });
  });
});

describe('link unfurling', () => {
  type LinkResult = {
    composeExtension: { type: string; attachments?: Attachment[]; text?: string };
    cacheInfo?: { cacheType?: string };
  };
  const unfurl = async (url: string) =>
    (await post(bot.server, activities.queryLink(people.alex, url, options()))).body as LinkResult;

  it('turns an Apono link that carries a request ID into the request card', async () => {
    // Apono documents no per-request address, so any Apono link with an ID in it is read.
    for (const url of [
      'https://portal.apono.io/access-requests/AR-1002',
      'https://portal.apono.io/requests?requestId=AR-1002',
      'https://app.apono.io/access-requests/AR-1002',
      'https://portal.apono.io/tasks?request_id=AR-1002',
    ]) {
      const { composeExtension } = await unfurl(url);
      const [result] = composeExtension.attachments ?? [];
      // Link unfurling renders Adaptive Cards 1.3 and earlier only: no Universal Actions there, a
      // link to decide in the Approvals tab instead (Microsoft Learn, "Link unfurling").
      expect(cardProblems(result?.content, '1.3')).toEqual([]);
      expect(textOf(result?.content)).toContain('Access request AR-1002');
      expect(textOf(result?.content)).toContain(
        '"title":"Decide in Approvals","url":"https://teams.microsoft.com/l/entity/11111111-2222-3333-4444-555555555555/approvals?context=',
      );
      expect(result?.preview?.content.title).toBe('AR-1002 · Lynne Robbins');
      // What a card opens in Apono is the portal's My Tasks page.
      expect(textOf(result?.content)).toContain('"url":"https://portal.apono.io/tasks"');
    }
  });

  it('tells Teams not to cache any unfurl, so a decided request never unfurls as pending', async () => {
    for (const url of [
      'https://portal.apono.io/access-requests/AR-1002',
      'https://portal.apono.io/access-requests/AR-9999',
      'https://portal.apono.io/tasks',
    ])
      expect((await unfurl(url)).cacheInfo, url).toEqual({ cacheType: 'no-cache' });
  });

  it('keeps the seeded hostile and oversized requests safe and under 28 KB', async () => {
    for (const id of ['AR-1002', 'AR-1004', 'AR-1008', 'AR-1011', 'AR-1019', 'AR-1027']) {
      const { composeExtension } = await unfurl(`https://portal.apono.io/access-requests/${id}`);
      const card = composeExtension.attachments?.[0]?.content;
      expect(cardProblems(card, '1.3'), id).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(card)), id).toBeLessThan(28 * 1024);
      const body = JSON.stringify(card?.body);
      // Only escaped forms survive: \<script, {\{, $\{, \]\(.
      expect(body, id).not.toMatch(/(?<!\\)<(script|img)|\{\{|\$\{|\]\(/i);
    }
  });

  it('leaves other links, and Apono links without a request, alone', async () => {
    for (const url of [
      'https://example.com/access-requests/AR-1002',
      'https://apono.io.example.com/access-requests/AR-1002',
      'https://portal.apono.io/tasks',
    ]) {
      const { composeExtension } = await unfurl(url);
      expect(composeExtension, url).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    }
  });
});
