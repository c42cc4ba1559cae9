// Proactive installation when Entra refuses the app's credentials (a rotated or expired client
// secret): Graph's token endpoint answers 401 invalid_client, so no approver can be installed for.
// Each approver the bot has never met is listed for admins with why, the approvers it knows still get
// their cards, nothing is sent to Graph without a token, and no secret reaches the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startFakeGraph } from './fake-graph.js';
import { activities, capturedLog, people, post, TENANT, useBotServer, waitUntil } from './support.js';

const SECRET = 'token-refused-webhook-secret-123';
const TEAMS_APP_ID = '11111111-2222-3333-4444-555555555555';
/** What the Entra app's secret is now; the server still has the one it replaced. */
const CURRENT_SECRET = 'current-client-secret-Q8~abc';
const STALE_SECRET = 'stale-client-secret-Z3~xyz';
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
beforeAll(async () => {
  graph = await startFakeGraph(TEAMS_APP_ID);
  graph.entra.clientSecret = CURRENT_SECRET;
});
afterAll(() => graph?.close());

const env = {
  APONO_WEBHOOK_SECRET: SECRET,
  GRAPH_INSTALL: 'on',
  BOT_ID: 'bot-app-id',
  BOT_PASSWORD: STALE_SECRET,
  BOT_TENANT_ID: TENANT,
  TEAMS_APP_ID,
  ADMIN_EMAILS: 'pattif@example.com',
};
Object.defineProperty(env, 'GRAPH_BASE_URL', { enumerable: true, get: () => graph.url });
Object.defineProperty(env, 'ENTRA_LOGIN_URL', { enumerable: true, get: () => graph.url });
const logged = capturedLog();
const bot = useBotServer(env, { log: logged.log });

describe('proactive installation with credentials Entra refuses', () => {
  it('lists each stranger as token_refused, still sends the known approver their card, and logs no secret', async () => {
    await post(bot.server, activities.message(people.patti, 'help', { serviceUrl: bot.connector.url }));
    await post(bot.server, activities.message(people.alex, 'help', { serviceUrl: bot.connector.url }));
    bot.connector.reset();
    const strangers = ['dana@contoso.example', 'eve@contoso.example'];
    const hook = await request(bot.server.url)
      .post('/api/apono/webhook')
      .set('authorization', `Bearer ${SECRET}`)
      .send({
        event_type: 'AccessRequestCreated',
        event_time: String(Date.now() / 1000),
        data: {
          friendly_id: 'AR-1001',
          approvals: ['alexw@example.com', ...strangers].map((email) => ({ approver: { email } })),
        },
      });
    expect(hook.status).toBe(202);
    const alexCard = () =>
      bot.connector
        .sent()
        .filter((c) => c.path === `/v3/conversations/a:personal-${people.alex.aadObjectId}/activities`);
    await waitUntil(bot.server, () => alexCard().length > 0);

    // Alex, whom the bot knows, has his card.
    expect(alexCard()).toHaveLength(1);
    expect(JSON.stringify(alexCard()[0]!.body)).toContain('Access request AR-1001');
    // Graph was asked for a token with the stale secret, and for nothing else without one.
    expect(graph.calls.length).toBeGreaterThan(0);
    expect(graph.calls.every((c) => c.method === 'POST' && c.url === `/${TENANT}/oauth2/v2.0/token`)).toBe(
      true,
    );
    expect(graph.calls.map((c) => (c.body as { client_secret?: string }).client_secret)).toContain(
      STALE_SECRET,
    );
    expect(graph.installed.size).toBe(0);

    // The admin sees both strangers, with the request and why.
    const token = (
      await request(bot.server.url).post('/api/sandbox/sign-in').send({ email: 'pattif@example.com' })
    ).body.token as string;
    const admin = await request(bot.server.url)
      .get('/api/admin/unreachable')
      .set('authorization', `Bearer ${token}`);
    expect(admin.status).toBe(200);
    const listed = admin.body.people as Array<{ email: string; reason: string; requestId: string }>;
    expect(listed.map((p) => p.email).sort()).toEqual(strangers);
    for (const p of listed)
      expect(p).toMatchObject({ reason: 'graph_install_failed: 401 token_refused', requestId: 'AR-1001' });

    // The log says, for each, that an approver of AR-1001 cannot be reached and why; no secret in any line.
    const warned = logged.parsed().filter((l) => l.msg === 'an approver cannot be reached in Teams');
    expect(warned.map((l) => [l.requestId, l.unreachable])).toEqual(
      strangers.map(() => ['AR-1001', 'graph_install_failed: 401 token_refused']),
    );
    const all = logged.lines.join('\n');
    for (const secret of [STALE_SECRET, CURRENT_SECRET, SECRET, 'AADSTS7000215'])
      expect(all).not.toContain(secret);
  });
});
