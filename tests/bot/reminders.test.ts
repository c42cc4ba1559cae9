// Reminders (issue 10.4) on a controlled clock: `bot.reminders.run(at)` is handed the time. A request
// pending an hour after Alex got its card is named in his one reminder message, at most once an hour,
// never in his quiet hours in his own time zone (Tokyo here, from his activity's localTimezone), the
// message updated in place, and nothing once he has decided.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { activities, people, post, useBotServer, waitUntil } from './support.js';

const SECRET = 'reminders-webhook-secret-123';
const bot = useBotServer({ APONO_WEBHOOK_SECRET: SECRET, REMIND_AFTER: '1h', QUIET_HOURS: '20:00-08:00' });
const alexChat = `/v3/conversations/a:personal-${people.alex.aadObjectId}/activities`;
const HOUR = 3_600_000;

/** The first time at or after `from` when it is `hour`:00 in Tokyo (UTC+9, no daylight saving). */
function tokyoAt(from: number, hour: number): Date {
  const utcHour = (hour - 9 + 24) % 24;
  const day = new Date(from);
  day.setUTCHours(utcHour, 0, 0, 0);
  while (day.getTime() < from) day.setTime(day.getTime() + 24 * HOUR);
  return day;
}

const reminders = () =>
  bot.connector.calls.filter(
    (c) => c.path.startsWith(alexChat) && JSON.stringify(c.body).includes('Still waiting for your decision'),
  );

describe('reminders', () => {
  it('name what still waits, once a period, outside quiet hours, in one message updated in place', async () => {
    await post(bot.server, {
      ...activities.message(people.alex, 'help', { serviceUrl: bot.connector.url }),
      localTimezone: 'Asia/Tokyo',
    });
    await request(bot.server.url)
      .post('/api/apono/webhook')
      .set('authorization', `Bearer ${SECRET}`)
      .send({
        event_type: 'AccessRequestCreated',
        event_time: '1796263265.2',
        data: { friendly_id: 'AR-1001', approvals: [{ approver: { email: 'alexw@example.com' } }] },
      })
      .expect(202);
    await waitUntil(bot.server, () => bot.connector.sent().some((c) => c.path === alexChat));
    const run = (at: Date) => bot.server.bot.reminders!.run(at);
    bot.connector.reset();

    // Within the period: nothing yet.
    expect(await run(new Date(Date.now() + 30 * 60_000))).toBe(0);
    // Due, but it is 23:00 in Tokyo: quiet hours.
    const night = tokyoAt(Date.now() + 2 * HOUR, 23);
    expect(await run(night)).toBe(0);
    // 10:00 in Tokyo: reminded, in a new message naming the request and how long it has waited.
    const morning = tokyoAt(night.getTime(), 10);
    expect(await run(morning)).toBe(1);
    expect(reminders().map((c) => c.method)).toEqual(['POST']);
    expect(JSON.stringify(reminders()[0]!.body)).toMatch(/AR-1001\*\* from Megan Bowen, waiting \d+ (h|d)/);
    // Half an hour later: not again.
    expect(await run(new Date(morning.getTime() + 30 * 60_000))).toBe(0);
    // Two hours later: again, by updating the same message.
    expect(await run(new Date(morning.getTime() + 2 * HOUR))).toBe(1);
    const [, second] = reminders();
    expect(second!.method).toBe('PUT');
    const [kept] = await bot.server.db.query<{ activity_id: string }>(
      'select activity_id from teams_reminders where aad_object_id = $1',
      [people.alex.aadObjectId],
    );
    expect(second!.path).toBe(`${alexChat}/${kept!.activity_id}`);
    expect(reminders()).toHaveLength(2);

    // Alex decides: nothing to remind him of any more.
    const token = (
      await request(bot.server.url).post('/api/sandbox/sign-in').send({ email: 'alexw@example.com' })
    ).body.token as string;
    await request(bot.server.url)
      .post('/api/requests/AR-1001/approve')
      .set('authorization', `Bearer ${token}`)
      .send({ reason: 'ok' })
      .expect(200);
    await bot.server.bot.notifications.idle();
    expect(await run(new Date(morning.getTime() + 5 * HOUR))).toBe(0);
  });
});
