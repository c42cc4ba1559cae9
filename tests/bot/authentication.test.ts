// Who may post activities to /api/messages: in sandbox mode only this machine (no token); in teams
// mode only Bot Framework with a valid token.
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { isLoopback } from '../../api/src/teams/bot.js';
import type { RunningServer } from '../../api/src/server.js';
import { activities, people, startBotServer, startFakeConnector } from './support.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === 'IPv4')?.address;

describe('sandbox mode', () => {
  it('treats only 127.0.0.0/8 and ::1 as this machine', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', '', undefined])
      expect(isLoopback(a)).toBe(false);
  });

  it.skipIf(!external)('refuses unauthenticated activities that come from another address', async () => {
    const connector = await startFakeConnector();
    const server = await startBotServer({ HOST: '0.0.0.0' });
    servers.push(server);
    const activity = activities.message(people.alex, 'pending', { serviceUrl: connector.url });
    const remote = await request(`http://${external}:${server.port}`)
      .post('/api/messages')
      .set('X-Forwarded-For', '127.0.0.1')
      .send(activity);
    expect(remote.status).toBe(401);
    expect(remote.body.error.message).toContain('only from this machine');
    expect(connector.calls).toEqual([]);

    const local = await request(`http://127.0.0.1:${server.port}`).post('/api/messages').send(activity);
    expect(local.status).toBe(200);
    expect(local.headers['x-powered-by']).toBeUndefined();
    expect(connector.sent().length).toBeGreaterThan(0);
    await connector.close();
  });
});

const teamsMode = {
  APP_MODE: 'teams',
  SANDBOX_APONO: 'true',
  AAD_APP_CLIENT_ID: '00000000-0000-0000-0000-00000000c001',
  AAD_APP_TENANT_ID: '00000000-0000-0000-0000-0000000000001',
  BOT_ID: '00000000-0000-0000-0000-00000000b001',
  BOT_PASSWORD: 'not-a-real-secret',
  BOT_TENANT_ID: '00000000-0000-0000-0000-0000000000001',
};

describe('teams mode', () => {
  it('keeps Bot Framework auth on even when the SDK’s environment switch says otherwise', async () => {
    // @microsoft/teams.apps reads DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS when the option is left out.
    process.env.DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS = 'true';
    try {
      const connector = await startFakeConnector();
      const server = await startBotServer(teamsMode);
      servers.push(server);
      const activity = activities.message(people.alex, 'pending', { serviceUrl: connector.url });
      const none = await request(`http://127.0.0.1:${server.port}`).post('/api/messages').send(activity);
      expect(none.status).toBe(401);
      expect(connector.calls).toEqual([]);
      await connector.close();
    } finally {
      delete process.env.DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS;
    }
  });

  it('refuses an activity without a Bot Framework token, and one with a forged token', async () => {
    const connector = await startFakeConnector();
    const server = await startBotServer(teamsMode);
    servers.push(server);
    const activity = activities.message(people.alex, 'pending', { serviceUrl: connector.url });
    const none = await request(`http://127.0.0.1:${server.port}`).post('/api/messages').send(activity);
    expect(none.status).toBe(401);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ aud: '00000000-0000-0000-0000-00000000b001' })).toString(
      'base64url',
    );
    const forged = await request(`http://127.0.0.1:${server.port}`)
      .post('/api/messages')
      .set('Authorization', `Bearer ${header}.${claims}.`)
      .send(activity);
    expect(forged.status).toBe(401);
    expect(connector.calls).toEqual([]);
    await connector.close();
  });
});
