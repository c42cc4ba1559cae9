// A reminder is one message updated in place (issue 10.4). When that message or its chat is gone for
// the bot, Teams refuses the update (isChatGone: 403/404, or the Agents Playground's 500
// ConversationNotFound) and a new reminder is posted, which the next update then targets. Any other
// refusal is not taken for "gone": no second message is posted, the failure is logged, and the
// reminder stays due, so the next run updates the same message.
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { activities, chatOf, capturedLog, people, post, useBotServer, waitUntil } from './support.js';

const SECRET = 'reminder-replaced-webhook-secret-123';
const logged = capturedLog();
const bot = useBotServer(
  { APONO_WEBHOOK_SECRET: SECRET, REMIND_AFTER: '1h', QUIET_HOURS: 'off' },
  { log: logged.log },
);
const alexChat = chatOf(people.alex);
const HOUR = 3_600_000;

/** Each run two hours after the one before: always due again (no quiet hours here). */
let clock = Date.now();
const run = () => bot.server.bot.reminders!.run(new Date((clock += 2 * HOUR)));
const reminderCalls = () =>
  bot.connector.calls.filter(
    (c) => c.path.startsWith(alexChat) && JSON.stringify(c.body).includes('Still waiting for your decision'),
  );
const keptReminder = async () =>
  (
    await bot.server.db.query<{ activity_id: string }>(
      'select activity_id from teams_reminders where aad_object_id = $1',
      [people.alex.aadObjectId],
    )
  )[0]?.activity_id;

beforeAll(async () => {
  await post(bot.server, activities.message(people.alex, 'help', { serviceUrl: bot.connector.url }));
  await request(bot.server.url)
    .post('/api/apono/webhook')
    .set('authorization', `Bearer ${SECRET}`)
    .send({
      event_type: 'AccessRequestCreated',
      event_time: String(Date.now() / 1000),
      data: { friendly_id: 'AR-1001', approvals: [{ approver: { email: 'alexw@example.com' } }] },
    })
    .expect(202);
  await waitUntil(bot.server, () => bot.connector.sent().some((c) => c.path === alexChat));
  // Alex's first reminder, the message later runs update.
  expect(await run()).toBe(1);
  expect(await keptReminder()).toBeTruthy();
});

describe('a reminder whose message cannot be updated', () => {
  it.each([
    { status: 404, code: 'NotFound', gone: 'the message is gone' },
    { status: 500, code: 'ConversationNotFound', gone: 'the chat is gone (Agents Playground)' },
  ])('is posted anew when $gone ($status $code), and the new one is kept', async ({ status, code }) => {
    const before = await keptReminder();
    bot.connector.answers.failNext.push({ status, code });

    expect(await run()).toBe(1);
    const [update, posted, ...more] = reminderCalls();
    expect(update).toMatchObject({ method: 'PUT', path: `${alexChat}/${before}`, status });
    expect(posted).toMatchObject({ method: 'POST', path: alexChat, status: 201 });
    expect(more).toEqual([]);
    expect(posted!.activityId).toBeTruthy();
    expect(await keptReminder()).toBe(posted!.activityId);

    // The next reminder updates the new message.
    bot.connector.reset();
    expect(await run()).toBe(1);
    expect(reminderCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      `PUT ${alexChat}/${posted!.activityId}`,
    ]);
  });

  it('is not replaced when Teams fails for another reason (500): logged, and updated in place next time', async () => {
    const before = await keptReminder();
    bot.connector.answers.failNext.push({ status: 500, code: 'InternalServerError' });
    const warned = () => logged.parsed().filter((l) => l.msg === 'could not send a reminder');
    const warnedBefore = warned().length;

    expect(await run()).toBe(0);
    expect(reminderCalls().map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `PUT ${alexChat}/${before} 500`,
    ]);
    expect(await keptReminder()).toBe(before);
    expect(warned()).toHaveLength(warnedBefore + 1);
    expect(warned().at(-1)!.err).toMatch(/500/);

    // Still due: the next run updates the same message, and posts none.
    bot.connector.reset();
    expect(await run()).toBe(1);
    expect(reminderCalls().map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `PUT ${alexChat}/${before} 200`,
    ]);
    expect(await keptReminder()).toBe(before);
  });
});
