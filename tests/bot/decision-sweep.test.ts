// An instance that dies after Apono accepted a decision made through the app, and before it saw the
// answer, leaves the decision written down as "sent" (app_decisions) and every card stale. The sweep
// (a job every minute) reads such a request again as the person who decided; Apono shows their
// decision, so every copy is updated and the requester is told, with the reason typed in Teams.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { activities, people, post, useBotServer, waitUntil } from './support.js';

const bot = useBotServer();
const alexChat = `/v3/conversations/a:personal-${people.alex.aadObjectId}/activities`;

describe('a decision Apono accepted that no instance saw answered', () => {
  it('is found by the sweep: every card shows it and the requester hears the reason', async () => {
    await post(bot.server, activities.message(people.alex, 'pending', { serviceUrl: bot.connector.url }));
    await waitUntil(bot.server, () => bot.connector.sent().some((c) => c.path === alexChat));
    // One of the requests Alex was just shown, oldest first.
    const [copy] = await bot.server.db.query<{ activity_id: string; request_id: string }>(
      'select activity_id, request_id from teams_cards order by slot limit 1',
    );
    expect(copy).toBeDefined();
    const id = copy!.request_id;
    // What the dead instance left: its record of the attempt (written before the call to Apono), and
    // Apono holding the approval (made with Alex's own Apono token, as the app would have).
    await bot.server.db.query(
      `insert into app_decisions (request_id, tenant_id, object_id, name, email, outcome, reason, state, decided_at)
       values ($3, $1, $2, 'Alex Wilber', 'alexw@example.com', 'approved', 'Checked INC-77', 'sent', now() - interval '5 minutes')`,
      ['00000000-0000-0000-0000-0000000000001', people.alex.aadObjectId, id],
    );
    const apono = await fetch(`${bot.server.url}/sandbox/apono/api/client/v1/access-requests/${id}/approve`, {
      method: 'POST',
      headers: { authorization: 'Bearer apono-sandbox-alexw', 'content-type': 'application/json' },
      body: JSON.stringify({ justification: 'Checked INC-77' }),
    });
    expect(apono.status).toBeLessThan(300);
    bot.connector.reset();

    // A minute's sweep that runs too early (still in flight elsewhere) leaves it alone.
    expect(await bot.server.bot.sweep.run(new Date(Date.now() - 10 * 60_000))).toBe(0);
    expect(await bot.server.bot.sweep.run()).toBe(1);
    await bot.server.bot.notifications.idle();

    const updated = bot.connector.updates().filter((u) => u.path.endsWith(`/${copy!.activity_id}`));
    expect(updated.length).toBeGreaterThan(0);
    expect(JSON.stringify(updated.at(-1)!.body)).toContain('Approved by Alex Wilber');
    const told = bot.connector
      .sent()
      .find((c) => String(c.body.summary).startsWith(`Your access request ${id}`));
    expect(told?.body.summary).toBe(
      `Your access request ${id} was **approved** by Alex Wilber. Reason: "Checked INC-77"`,
    );
    const [row] = await bot.server.db.query<{ state: string }>(
      'select state from app_decisions where request_id = $1',
      [id],
    );
    expect(row?.state).toBe('accepted');
    // Once only.
    expect(await bot.server.bot.sweep.run()).toBe(0);
  });

  it('drops an attempt that never reached Apono, and tells nobody anything', async () => {
    await bot.server.db.query(
      `insert into app_decisions (request_id, tenant_id, object_id, name, email, outcome, reason, state, decided_at)
       values ('AR-1007', $1, $2, 'Alex Wilber', 'alexw@example.com', 'approved', null, 'sent', now() - interval '5 minutes')`,
      ['00000000-0000-0000-0000-0000000000001', people.alex.aadObjectId],
    );
    bot.connector.reset();
    expect(await bot.server.bot.sweep.run()).toBe(0);
    expect(await bot.server.db.query("select 1 from app_decisions where request_id = 'AR-1007'")).toEqual([]);
    expect(bot.connector.sent()).toEqual([]);
    expect((await request(bot.server.url).get('/healthz')).status).toBe(200);
  });
});

describe("a decision's own check job", () => {
  it('tells the cards and the requester of a decision recorded as accepted whose cards were never queued', async () => {
    await post(bot.server, activities.message(people.alex, 'pending', { serviceUrl: bot.connector.url }));
    await waitUntil(bot.server, () => bot.connector.sent().some((c) => c.path === alexChat));
    const [copy] = await bot.server.db.query<{ activity_id: string; request_id: string }>(
      `select activity_id, request_id from teams_cards c
        where not exists (select 1 from app_decisions d where d.request_id = c.request_id)
        order by slot limit 1`,
    );
    const id = copy!.request_id;
    // Apono accepted, the app recorded it, and the process died before it queued the cards' job.
    const apono = await fetch(`${bot.server.url}/sandbox/apono/api/client/v1/access-requests/${id}/approve`, {
      method: 'POST',
      headers: { authorization: 'Bearer apono-sandbox-alexw', 'content-type': 'application/json' },
      body: JSON.stringify({ justification: 'Checked INC-78' }),
    });
    expect(apono.status).toBeLessThan(300);
    const [attempt] = await bot.server.db.query<{ id: string }>(
      `insert into app_decisions (request_id, tenant_id, object_id, name, email, outcome, reason, state)
       values ($3, $1, $2, 'Alex Wilber', 'alexw@example.com', 'approved', 'Checked INC-78', 'accepted')
       returning id::text as id`,
      ['00000000-0000-0000-0000-0000000000001', people.alex.aadObjectId, id],
    );
    bot.connector.reset();
    await bot.server.bot.sweep.check(Number(attempt!.id));
    await bot.server.bot.notifications.idle();
    const updated = bot.connector.updates().filter((u) => u.path.endsWith(`/${copy!.activity_id}`));
    expect(JSON.stringify(updated.at(-1)?.body)).toContain('Approved by Alex Wilber');
    expect(
      bot.connector.sent().find((c) => String(c.body.summary).startsWith(`Your access request ${id}`))?.body
        .summary,
    ).toBe(`Your access request ${id} was **approved** by Alex Wilber. Reason: "Checked INC-78"`);
  });

  it('does nothing more for a decision whose cards were queued, nor for one Apono refused', async () => {
    const [attempt] = await bot.server.db.query<{ id: string }>(
      `insert into app_decisions (request_id, tenant_id, object_id, name, email, outcome, reason, state)
       values ('AR-1008', $1, $2, 'Alex Wilber', 'alexw@example.com', 'approved', null, 'accepted')
       returning id::text as id`,
      ['00000000-0000-0000-0000-0000000000001', people.alex.aadObjectId],
    );
    // The live path queued its job (under the key it uses; the body is not read by the check).
    await bot.server.delivery.send('app-decided', 'AR-1008|approved', { queuedBy: 'the live path' });
    bot.connector.reset();
    await bot.server.bot.sweep.check(Number(attempt!.id));
    // Dropped: no row any more.
    await bot.server.bot.sweep.check(987_654);
    expect(bot.connector.calls).toEqual([]);
  });
});
