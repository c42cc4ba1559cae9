// A card's Approve is answered as soon as Apono accepted it, from the read before it and the decision
// (issue 11, 3); the read after it corrects every copy when Apono has moved on. The sandbox grants
// access at once, so Apono already says Active where the answer says Granting: the copies show Active.
import { describe, expect, it } from 'vitest';
import { cardProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer } from './support.js';

const bot = useBotServer();
const text = (card: unknown) => JSON.stringify(card);

describe('the answer to a card decision and the copies after it', () => {
  it('answers with the outcome Apono accepted, then every copy shows what Apono says after it', async () => {
    // Alex's personal copy of AR-1001, and a read of it just before the click (the card's refresh).
    await post(bot.server, activities.message(people.alex, 'pending', { serviceUrl: bot.connector.url }));
    const refresh = activities.cardAction(
      people.alex,
      'refresh',
      { requestId: 'AR-1001' },
      { serviceUrl: bot.connector.url, replyToId: 'msg-answer-AR-1001' },
    );
    expect((await post(bot.server, refresh)).status).toBe(200);
    bot.connector.reset();

    const res = await post(
      bot.server,
      activities.cardAction(
        people.alex,
        'approve',
        { requestId: 'AR-1001', reason: 'Matches INC-2231' },
        { serviceUrl: bot.connector.url, replyToId: 'msg-answer-AR-1001' },
      ),
    );
    expect(res.status).toBe(200);
    const answer = (res.body as { value: unknown }).value;
    expect(cardProblems(answer)).toEqual([]);
    expect(text(answer)).toContain('Granting access');
    expect(text(answer)).toContain('Matches INC-2231');

    await bot.server.bot.notifications.idle();
    const updates = bot.connector.updates();
    expect(updates.map((u) => u.path.split('/').pop())).toContain('msg-answer-AR-1001');
    for (const update of updates) {
      const [attachment] = update.body.attachments as Array<{ content: unknown }>;
      expect(cardProblems(attachment?.content)).toEqual([]);
      expect(text(attachment?.content)).not.toContain('Granting access');
      expect(text(attachment?.content)).toContain('Active');
      expect(text(attachment?.content)).toContain('Matches INC-2231');
    }
  });
});
