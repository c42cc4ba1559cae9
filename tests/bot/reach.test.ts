// Approvers must be reachable (issue 13.2): Teams cannot message a person by email, so an approver
// Apono names whom the bot has never met is installed for through Microsoft Graph (when an admin
// allowed it), and the card goes to the chat that installation made. Whoever still cannot be reached
// is listed for admins at GET /api/admin/unreachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { CATALOG_APP_ID, startFakeGraph } from './fake-graph.js';
import { activities, people, post, TENANT, useBotServer, waitUntil } from './support.js';

const SECRET = 'reach-webhook-secret-123';
const TEAMS_APP_ID = '11111111-2222-3333-4444-555555555555';
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
beforeAll(async () => {
  graph = await startFakeGraph(TEAMS_APP_ID);
});
afterAll(() => graph?.close());

// The fake Graph's address is known only once it listens: the server reads it through a getter.
const env = {
  APONO_WEBHOOK_SECRET: SECRET,
  GRAPH_INSTALL: 'on',
  BOT_ID: 'bot-app-id',
  BOT_PASSWORD: 'bot-secret',
  BOT_TENANT_ID: TENANT,
  TEAMS_APP_ID,
  ADMIN_EMAILS: 'pattif@example.com',
};
Object.defineProperty(env, 'GRAPH_BASE_URL', { enumerable: true, get: () => graph.url });
Object.defineProperty(env, 'ENTRA_LOGIN_URL', { enumerable: true, get: () => graph.url });
const bot = useBotServer(env);

const created = (id: string, emails: string[]) =>
  request(bot.server.url)
    .post('/api/apono/webhook')
    .set('authorization', `Bearer ${SECRET}`)
    .send({
      event_type: 'AccessRequestCreated',
      event_time: String(Date.now() / 1000),
      data: { friendly_id: id, approvals: emails.map((email) => ({ approver: { email } })) },
    });

async function signIn(email: string) {
  const res = await request(bot.server.url).post('/api/sandbox/sign-in').send({ email });
  return `Bearer ${res.body.token as string}`;
}

describe('an approver the bot has never met', () => {
  it('is installed for through Graph, and the card reaches the chat that installation made', async () => {
    // Someone else in the tenant talked to the bot: the tenant's Bot Connector address is known.
    await post(bot.server, activities.message(people.patti, 'help', { serviceUrl: bot.connector.url }));
    // Apono names Alex by his UPN, which is not the email the bot would know him by.
    const upn = 'alex.wilber@contoso.example';
    const chat = `19:chat-${upn}@unq.gbl.spaces`;
    bot.connector.answers.members = [
      {
        id: '29:alex',
        name: 'Alex Wilber',
        aadObjectId: people.alex.aadObjectId,
        email: 'alexw@example.com',
        userPrincipalName: upn,
      },
    ];
    bot.connector.reset();
    expect((await created('AR-1001', [upn])).status).toBe(202);
    const toChat = () =>
      bot.connector.sent().filter((c) => c.path === `/v3/conversations/${chat}/activities`);
    await waitUntil(bot.server, () => toChat().length > 0);

    expect(toChat()).toHaveLength(1);
    expect(JSON.stringify(toChat()[0]!.body)).toContain('Access request AR-1001');
    const asked = graph.calls.map((c) => `${c.method} ${c.url}`);
    expect(asked).toEqual([
      `POST /${TENANT}/oauth2/v2.0/token`,
      `GET /v1.0/appCatalogs/teamsApps?$filter=externalId eq '${TEAMS_APP_ID}'`,
      `POST /v1.0/users/${upn}/teamwork/installedApps`,
      `GET /v1.0/users/${upn}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '${CATALOG_APP_ID}'`,
      `GET /v1.0/users/${upn}/teamwork/installedApps/installation-${upn}/chat`,
    ]);
    expect(graph.calls[2]!.body).toEqual({
      'teamsApp@odata.bind': `${graph.url}/v1.0/appCatalogs/teamsApps/${CATALOG_APP_ID}`,
    });
    expect(graph.calls.slice(1).every((c) => c.auth === 'Bearer graph-app-token')).toBe(true);
    // Known from now on, by UPN as well as by email, with the chat the installation made.
    const rows = await bot.server.db.query('select * from teams_users where aad_object_id = $1', [
      people.alex.aadObjectId,
    ]);
    expect(rows[0]).toMatchObject({
      upn,
      email: 'alexw@example.com',
      conversation_id: chat,
      user_id: '29:alex',
    });
  });

  it('is reported to admins when Graph cannot install for them, and only admins may look', async () => {
    graph.refuse.set('gone@contoso.example', 404);
    graph.refuse.set('blocked@contoso.example', 403);
    expect((await created('AR-1002', ['gone@contoso.example', 'blocked@contoso.example'])).status).toBe(202);
    await waitUntil(bot.server, () => false, 1500);

    const admin = await request(bot.server.url)
      .get('/api/admin/unreachable')
      .set('authorization', await signIn('pattif@example.com'));
    expect(admin.status).toBe(200);
    const byEmail = Object.fromEntries(
      (admin.body.people as Array<{ email: string; reason: string; requestId: string }>).map((p) => [
        p.email,
        p,
      ]),
    );
    expect(byEmail['gone@contoso.example']).toMatchObject({
      reason: 'graph_install_failed: 404 NotFound',
      requestId: 'AR-1002',
    });
    expect(byEmail['blocked@contoso.example']?.reason).toBe('graph_install_failed: 403 Forbidden');
    expect(admin.body.count).toBeGreaterThanOrEqual(2);

    const approver = await request(bot.server.url)
      .get('/api/admin/unreachable')
      .set('authorization', await signIn('alexw@example.com'));
    expect(approver.status).toBe(403);
    expect(approver.body.error.code).toBe('not_an_admin');
    expect((await request(bot.server.url).get('/api/admin/unreachable')).status).toBe(401);
  });

  it('is counted again on the next request, and leaves the list once a card reaches them', async () => {
    expect((await created('AR-1003', ['gone@contoso.example'])).status).toBe(202);
    await waitUntil(bot.server, () => false, 1000);
    const [row] = await bot.server.db.query(
      "select * from teams_unreachable where email = 'gone@contoso.example'",
    );
    expect(row).toMatchObject({ attempts: 2, request_id: 'AR-1003' });

    // Alex is listed (as if an earlier send had failed); a card that reaches him takes him off.
    await bot.server.db.query(
      "insert into teams_unreachable (email, reason, request_id) values ('alexw@example.com', 'no_chat', 'AR-1001')",
    );
    expect((await created('AR-1004', ['alexw@example.com'])).status).toBe(202);
    await waitUntil(bot.server, () =>
      bot.connector.sent().some((c) => JSON.stringify(c.body).includes('AR-1004')),
    );
    const left = await bot.server.db.query(
      "select * from teams_unreachable where email = 'alexw@example.com'",
    );
    expect(left).toEqual([]);
  });
});
