// Bidirectional controls someone typed into Apono (U+202E draws "invoice‹RLO›gnp.exe" as
// "invoiceexe.png") never reach Teams: not the new-request card, not the message extension's result
// or its preview, not the card after a decision, not the requester's notice.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { hasBidiControls } from '@apono-teams/domain/display-text.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { cardProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer, waitUntil, type Person } from './support.js';

const bot = useBotServer();
const RLO = '\u202E';
const options = () => ({ serviceUrl: bot.connector.url });
const chatOf = (who: Person) => `/v3/conversations/a:personal-${who.aadObjectId}/activities`;
const text = (value: unknown) => JSON.stringify(value);

type Attachment = {
  contentType: string;
  content: IAdaptiveCard & Record<string, unknown>;
  preview?: Attachment;
};
type SearchAnswer = { composeExtension: { type: string; text?: string; attachments?: Attachment[] } };

async function search(query: string): Promise<SearchAnswer['composeExtension']> {
  const res = await post(bot.server, activities.search(people.alex, query, options()));
  return (res.body as SearchAnswer).composeExtension;
}

describe('a justification with a right-to-left override', () => {
  it('reaches the approver’s card, the search result and the requester’s notice in the order it was typed', async () => {
    for (const who of [people.alex, people.megan])
      expect((await post(bot.server, activities.message(who, 'help', options()))).status).toBe(200);
    bot.connector.reset();

    const created = await request(bot.server.url)
      .post('/api/sandbox/requests')
      .send({
        requesterEmail: 'meganb@example.com',
        flowId: 'flow-prod-db',
        justification: `invoice${RLO}gnp.exe`,
      })
      .expect(201);
    const id = (created.body as { id: string }).id;

    // The new-request card in Alex's chat.
    const forAlex = () => bot.connector.sent().filter((c) => c.path === chatOf(people.alex));
    await waitUntil(bot.server, () => forAlex().some((c) => text(c.body).includes(`Access request ${id}`)));
    const message = forAlex().find((c) => text(c.body).includes(`Access request ${id}`))!;
    const [attachment] = message.body.attachments as Attachment[];
    expect(cardProblems(attachment?.content)).toEqual([]);
    expect(text(attachment?.content)).toContain('invoicegnp.exe');
    expect(hasBidiControls(text(message.body))).toBe(false);

    // The message extension finds it by what is drawn, and its card and preview carry no control.
    const found = await search('invoicegnp.exe');
    expect(found.type).toBe('result');
    const [result, ...others] = found.attachments ?? [];
    expect(others).toEqual([]);
    expect(text(result?.content)).toContain(`Access request ${id}`);
    expect(text(result?.content)).toContain('invoicegnp.exe');
    expect(result?.preview?.content.title).toBe(`${id} · Megan Bowen`);
    expect(hasBidiControls(text(found))).toBe(false);
    // What Alex typed into the search comes back in the sentence without its control.
    const nothing = await search(`zzz${RLO}txt.exe`);
    expect(nothing).toEqual({ type: 'message', text: 'Nothing waiting for you matches "zzztxt.exe".' });

    // Alex approves with a reason that has its own override: his answer, the updated copies and
    // Megan's notice all read in logical order.
    bot.connector.reset();
    const res = await post(
      bot.server,
      activities.cardAction(
        people.alex,
        'approve',
        { requestId: id, reason: `ok${RLO}fdp.exe` },
        { ...options(), replyToId: `msg-${id}` },
      ),
    );
    const answer = res.body as { statusCode: number; value: IAdaptiveCard };
    expect(answer.statusCode).toBe(200);
    expect(text(answer.value)).toContain('"title":"Reason","value":"okfdp.exe"');
    expect(hasBidiControls(text(answer.value))).toBe(false);
    await bot.server.bot.notifications.idle();
    const notice = bot.connector
      .sent()
      .find((c) => String(c.body.summary).startsWith(`Your access request ${id}`));
    expect(notice?.path).toBe(chatOf(people.megan));
    expect(notice?.body.summary).toBe(
      `Your access request ${id} was **approved** by Alex Wilber. Reason: "okfdp.exe"`,
    );
    expect(bot.connector.updates().length).toBeGreaterThan(0);
    expect(hasBidiControls(text(bot.connector.calls))).toBe(false);
  });

  it('the seeded hostile request AR-1027 unfurls without its controls', async () => {
    const res = await post(
      bot.server,
      activities.queryLink(people.alex, 'https://portal.apono.io/access-requests/AR-1027', options()),
    );
    const answer = res.body as SearchAnswer;
    const [result] = answer.composeExtension.attachments ?? [];
    expect(text(result?.content)).toContain('gnp.exe');
    expect(hasBidiControls(text(answer))).toBe(false);
  });
});
