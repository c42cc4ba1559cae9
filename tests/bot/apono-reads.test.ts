// What a new request's delivery costs Apono: the request is read as the approver once, and the card
// they get is drawn from that read, not from a second one made moments later in the same job.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { sendCreated } from '../../api/src/test-support/webhook.js';
import { activities, people, post, useBotServer, waitUntil } from './support.js';

const SECRET = 'apono-reads-webhook-secret';
const calls: string[] = [];
const bot = useBotServer(
  { APONO_WEBHOOK_SECRET: SECRET },
  {
    aponoFetch: async (req) => {
      const url = new URL(req.url);
      calls.push(`${req.method} ${url.pathname.replace(/^.*\/api\/client\/v1/, '')}${url.search}`);
      return fetch(req);
    },
  },
);
const alexChat = `/v3/conversations/a:personal-${people.alex.aadObjectId}/activities`;

describe("a new request's delivery", () => {
  it('reads the request as its approver once, and sends the card from that read', async () => {
    await post(bot.server, activities.message(people.alex, 'help', { serviceUrl: bot.connector.url }));
    bot.server.sandbox!.configureWebhook(null); // this test sends the delivery itself
    const created = await request(bot.server.url)
      .post('/api/sandbox/requests')
      .send({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db', justification: 'Fix INC-7' })
      .expect(201);
    const id = (created.body as { friendly_id: string }).friendly_id;
    await bot.server.bot.notifications.idle();
    bot.connector.reset();
    calls.length = 0;
    const body = created.body as { internal_id: string };
    expect(
      await sendCreated(bot.server.url, SECRET, { id: body.internal_id, friendlyId: id, flowName: 'DB' }),
    ).toBe(202);
    const cards = () =>
      bot.connector
        .sent()
        .filter((c) => c.path === alexChat && JSON.stringify(c.body).includes(`Access request ${id}`));
    await waitUntil(bot.server, () => cards().length > 0);
    expect(cards()).toHaveLength(1);
    expect(JSON.stringify(cards()[0]!.body)).toContain('Fix INC-7');
    // Whether Alex may decide it is asked of Apono once (his MyTasks narrowed to this request).
    expect(calls.filter((c) => c.includes(`request_ids=${id}`))).toHaveLength(1);
  });
});
