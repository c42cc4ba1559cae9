// The message extension inside Teams' limits (issue 13.6): Teams waits 5 s for a search, so Apono
// gets about 3.5 s and then the answer says it is still loading; someone without an Apono connection
// gets a sign-in ("auth") or configuration ("config") answer instead of an error message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestServer, type TestServer } from '../../api/src/test-support/server.js';
import { activities, people, post, startFakeConnector, useBotServer, type FakeConnector } from './support.js';

type Extension = {
  composeExtension: {
    type: string;
    text?: string;
    suggestedActions?: { actions: Array<{ type: string; title: string; value: string }> };
  };
};

describe('with personal tokens only', () => {
  const bot = useBotServer();

  it("says Apono is still loading once its 3.5 s are spent, well inside Teams' 5 s", async () => {
    await request(bot.server.url).post('/api/sandbox/faults').send({ latencyMs: 4500 }).expect(200);
    try {
      const started = Date.now();
      const res = await post(
        bot.server,
        activities.search(people.alex, 'db', { serviceUrl: bot.connector.url }),
      );
      const waited = Date.now() - started;
      expect((res.body as Extension).composeExtension).toEqual({
        type: 'message',
        text: 'Apono is taking longer than usual to answer. Try again in a few seconds: your requests will be there.',
      });
      // Behaviour, not speed: it answered before Apono did.
      expect(waited).toBeLessThan(4500);
    } finally {
      await request(bot.server.url).delete('/api/sandbox/faults').expect(200);
    }
  });

  it('offers someone without an Apono connection the Approvals tab to connect in', async () => {
    const stranger = { id: '29:zoe', aadObjectId: 'aad-zoe', name: 'Zoe' };
    const res = await post(bot.server, activities.search(stranger, null, { serviceUrl: bot.connector.url }));
    expect((res.body as Extension).composeExtension).toEqual({
      type: 'config',
      suggestedActions: {
        actions: [
          {
            type: 'openUrl',
            title: 'Connect Apono in the Approvals tab',
            value: expect.stringMatching(
              /^https:\/\/teams\.microsoft\.com\/l\/entity\/11111111-2222-3333-4444-555555555555\/approvals\?/,
            ),
          },
        ],
      },
    });
  });
});

describe('with "Sign in with Apono"', () => {
  let server: TestServer;
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await startFakeConnector();
    server = await startTestServer({
      APP_MODE: 'sandbox',
      TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555',
      APONO_OAUTH_CLIENT_ID: 'teams-app',
      APONO_OAUTH_AUTHORIZE_URL: '{origin}/sandbox/apono/oauth/authorize',
      APONO_OAUTH_TOKEN_URL: '{origin}/sandbox/apono/oauth/token',
    });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
  });

  it('answers a search by someone not signed in with a sign-in that starts on our own page', async () => {
    const res = await request(server.url)
      .post('/api/messages')
      .send(activities.search(people.alex, null, { serviceUrl: connector.url }));
    const { composeExtension } = res.body as Extension;
    expect(composeExtension.type).toBe('auth');
    const [action] = composeExtension.suggestedActions?.actions ?? [];
    expect(action).toMatchObject({ type: 'openUrl', title: 'Sign in with Apono' });
    const start = new URL(action!.value);
    expect(`${start.origin}${start.pathname}`).toBe(`${server.url}/auth-start`);
    // Our page sends Teams' sign-in window on to Apono, for this person's sign-in.
    const page = await request(server.url).get(`${start.pathname}${start.search}`);
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.status).toBeLessThan(400);
    const authorize = new URL(page.headers.location as string);
    expect(authorize.pathname).toBe('/sandbox/apono/oauth/authorize');
    expect(authorize.searchParams.get('state')).toBe(start.searchParams.get('state'));
    expect(authorize.searchParams.get('client_id')).toBe('teams-app');
  });
});
