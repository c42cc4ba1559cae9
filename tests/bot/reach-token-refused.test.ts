// Proactive installation when Entra refuses the app's credentials (a rotated or expired client
// secret): Graph's token endpoint answers 401 invalid_client, so no approver can be installed for.
// Each approver the bot has never met is listed for admins with why, the approvers it knows still get
// their cards, nothing is sent to Graph without a token, and no secret reaches the log. The refusal is
// remembered for a while: Entra is asked once, not once per stranger, and again once that has passed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createLogger } from '../../api/src/log.js';
import { createGraphInstaller, TOKEN_REFUSAL_MS } from '../../api/src/teams/graph-install.js';
import { startFakeGraph } from './fake-graph.js';
import { activities, chatOf, capturedLog, people, post, TENANT, useBotServer, waitUntil } from './support.js';

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
    const alexCard = () => bot.connector.sent().filter((c) => c.path === chatOf(people.alex));
    await waitUntil(bot.server, () => alexCard().length > 0);

    // Alex, whom the bot knows, has his card.
    expect(alexCard()).toHaveLength(1);
    expect(JSON.stringify(alexCard()[0]!.body)).toContain('Access request AR-1001');
    // Entra was asked for a token once, with the stale secret, for both strangers; Graph, for nothing.
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]).toMatchObject({ method: 'POST', url: `/${TENANT}/oauth2/v2.0/token` });
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
    // And once that Entra refused the app's credentials, with its error code only.
    const refused = logged.parsed().filter((l) => /^Entra refused the app's credentials/.test(String(l.msg)));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 50, status: 401, entraError: 'invalid_client' });
    const all = logged.lines.join('\n');
    for (const secret of [STALE_SECRET, CURRENT_SECRET, SECRET, 'AADSTS7000215'])
      expect(all).not.toContain(secret);
  });
});

describe('a refused token, remembered for a while', () => {
  let clock = 1_000_000;
  const lines: string[] = [];
  const installer = () =>
    createGraphInstaller({
      graphUrl: graph.url,
      loginUrl: graph.url,
      tenantId: TENANT,
      clientId: 'bot-app-id',
      clientSecret: STALE_SECRET,
      manifestAppId: TEAMS_APP_ID,
      log: createLogger('info', { write: (line: string) => void lines.push(line) }),
      // Transient failures fail at once rather than being retried, to see whether they are remembered.
      retry: { attempts: 1, baseMs: 1, maxMs: 1 },
      now: () => clock,
    });
  const tokenAsks = () => graph.calls.filter((c) => c.url.endsWith('/oauth2/v2.0/token')).length;
  const refusals = () => lines.filter((l) => l.includes("Entra refused the app's credentials")).length;

  it('asks Entra once per period, says so once, and installs once Entra accepts the credentials again', async () => {
    graph.calls.length = 0;
    graph.entra.clientSecret = CURRENT_SECRET;
    const graphInstall = installer();
    for (const user of ['gina@contoso.example', 'hal@contoso.example'])
      await expect(graphInstall.installFor(user)).rejects.toMatchObject({
        status: 401,
        code: 'token_refused',
      });
    expect([tokenAsks(), refusals()]).toEqual([1, 1]);

    // Still within the period: not asked, even though the configuration is fixed now.
    graph.entra.clientSecret = STALE_SECRET;
    clock += TOKEN_REFUSAL_MS - 1;
    await expect(graphInstall.installFor('gina@contoso.example')).rejects.toMatchObject({ status: 401 });
    expect(tokenAsks()).toBe(1);

    // Past it: asked again, and the installation goes through.
    clock += 1;
    await expect(graphInstall.installFor('gina@contoso.example')).resolves.toBe(
      '19:chat-gina@contoso.example@unq.gbl.spaces',
    );
    expect([tokenAsks(), refusals()]).toEqual([2, 1]);
  });

  it('asks Entra once for installs at the same moment, refused or not', async () => {
    graph.calls.length = 0;
    lines.length = 0;
    clock += 2 * TOKEN_REFUSAL_MS; // past any refusal remembered by the test before
    graph.entra.clientSecret = CURRENT_SECRET;
    const refusedOnce = installer();
    const both = ['jay@contoso.example', 'kim@contoso.example'].map((u) => refusedOnce.installFor(u));
    for (const install of both) await expect(install).rejects.toMatchObject({ code: 'token_refused' });
    expect([tokenAsks(), refusals()]).toEqual([1, 1]);

    graph.entra.clientSecret = STALE_SECRET;
    const acceptedOnce = installer();
    await expect(
      Promise.all(['jay@contoso.example', 'kim@contoso.example'].map((u) => acceptedOnce.installFor(u))),
    ).resolves.toEqual([
      '19:chat-jay@contoso.example@unq.gbl.spaces',
      '19:chat-kim@contoso.example@unq.gbl.spaces',
    ]);
    expect(tokenAsks()).toBe(2);
  });

  it('does not remember throttling, a server error or a dropped connection as a refusal', async () => {
    graph.calls.length = 0;
    lines.length = 0;
    graph.entra.clientSecret = null;
    graph.busyNext.push(
      { status: 429, retryAfter: '1', on: '/oauth2/' },
      { status: 500, on: '/oauth2/' },
      { status: 0, on: '/oauth2/' },
    );
    const graphInstall = installer();
    await expect(graphInstall.installFor('ivy@contoso.example')).rejects.toMatchObject({
      status: 429,
      code: 'throttled',
    });
    await expect(graphInstall.installFor('ivy@contoso.example')).rejects.toMatchObject({
      status: 500,
      code: 'token_unavailable',
    });
    await expect(graphInstall.installFor('ivy@contoso.example')).rejects.toThrow(/fetch failed/);
    // Each was followed by a new ask, at the same moment, and the last one succeeds.
    await expect(graphInstall.installFor('ivy@contoso.example')).resolves.toBe(
      '19:chat-ivy@contoso.example@unq.gbl.spaces',
    );
    expect(tokenAsks()).toBe(4);
    expect(refusals()).toBe(0);
  });
});
