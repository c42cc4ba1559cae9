// Helpers for the bot protocol tests: a real server in sandbox mode, a local fake Bot Connector that
// records every outbound call, and Teams activity JSON in the shapes Microsoft documents.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/log.js';
import { startServer, type RunningServer, type ServerOptions } from '../../api/src/server.js';

export const TENANT = '00000000-0000-0000-0000-0000000000001';
export const people = {
  alex: { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' },
  megan: { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' },
  adele: { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' },
  isaiah: { id: '29:isaiah', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' },
  patti: { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' },
} as const;
export type Person = { id: string; aadObjectId: string; name: string };

/** Where the bot posts to `person`'s 1:1 chat with it (the conversation ID the fake connector gives). */
export const chatOf = (person: Pick<Person, 'aadObjectId'>) =>
  `/v3/conversations/a:personal-${person.aadObjectId}/activities`;

export interface ConnectorCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** What the connector answered. */
  status?: number;
  /** The ID it gave a new message, once answered (whether or not the caller was still there to read it). */
  activityId?: string;
}

/** A Bot Connector on 127.0.0.1 that answers like Teams' and remembers what it was asked. */
export async function startFakeConnector() {
  const calls: ConnectorCall[] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.use((req, _res, next) => {
    const call: ConnectorCall = { method: req.method, path: req.path, body: req.body ?? {}, at: Date.now() };
    calls.push(call);
    _res.on('finish', () => (call.status = _res.statusCode));
    // Teams pushing back: the next posts or updates are answered with these, one each.
    const failure = req.method !== 'GET' ? answers.failNext.shift() : undefined;
    if (failure) {
      _res
        .status(failure.status)
        .set(failure.headers ?? {})
        .json({ error: { code: failure.code ?? 'Throttled', message: 'slow down' } });
      return;
    }
    next();
  });
  app.post('/v3/conversations', (_req, res) => {
    res.status(201).json({ id: `a:personal-${randomUUID()}`, activityId: randomUUID() });
  });
  const answers = {
    withoutId: false,
    gone: new Set<string>(),
    /** Who the member endpoints name; empty: anyone asked about is "Someone". */
    members: [] as Array<Record<string, string>>,
    /** Conversations the bot is not in: their member endpoints answer 404. */
    strangerIn: new Set<string>(),
    /** The next POST/PUT calls fail with these (429 with Retry-After, 502, ...), in order; `code` is the error's. */
    failNext: [] as Array<{ status: number; headers?: Record<string, string>; code?: string }>,
    /** A slow Teams: each post is recorded when it arrives and answered this much later. */
    postDelayMs: 0,
  };
  app.post('/v3/conversations/:id/activities', async (req, res) => {
    if (answers.postDelayMs) await new Promise((ok) => setTimeout(ok, answers.postDelayMs));
    // A 1:1 chat the bot is no longer in, as Teams answers after the app was removed.
    if (answers.gone.has(req.params.id))
      res.status(403).json({ error: { code: 'BotNotInConversationRoster', message: 'not in roster' } });
    // The Agents Playground's connector answers 202 with no body when it splits a post in two.
    else if (answers.withoutId) res.status(202).end();
    else {
      const id = `msg-${randomUUID()}`;
      const call = calls.findLast((c) => c.body === req.body);
      if (call) call.activityId = id;
      res.status(201).json({ id });
    }
  });
  app.put('/v3/conversations/:id/activities/:activityId', (req, res) => {
    res.json({ id: req.params.activityId });
  });
  app.get('/v3/conversations/:id/members/:userId', (req, res) => {
    if (answers.strangerIn.has(req.params.id))
      return void res.status(404).json({ error: { code: 'NotFound', message: 'not a member' } });
    const known = answers.members.find((m) => m.id === req.params.userId);
    res.json(known ?? { id: req.params.userId, name: 'Someone', email: 'someone@example.com' });
  });
  app.get('/v3/conversations/:id/members', (_req, res) => {
    res.json(answers.members);
  });
  // Teams pages members (GET /v3/conversations/{id}/pagedmembers), with a continuation token.
  app.get('/v3/conversations/:id/pagedMembers', (req, res) => {
    const size = Number(req.query.pageSize ?? 200);
    const from = Number(req.query.continuationToken ?? 0);
    const next = from + size;
    res.json({
      members: answers.members.slice(from, next),
      ...(next < answers.members.length ? { continuationToken: String(next) } : {}),
    });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((ok) => server.once('listening', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    answers,
    sent: () => calls.filter((c) => c.method === 'POST' && c.path.endsWith('/activities')),
    updates: () => calls.filter((c) => c.method === 'PUT'),
    reset: () => calls.splice(0),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
export type FakeConnector = Awaited<ReturnType<typeof startFakeConnector>>;

export async function startBotServer(
  env: Record<string, string> = {},
  options: ServerOptions = {},
): Promise<RunningServer> {
  return startServer(
    loadConfig({
      PORT: '0',
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      APP_MODE: 'sandbox',
      TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555',
      APONO_PORTAL_URL: 'https://portal.apono.io',
      ...env,
    }),
    options,
  );
}

interface ActivityOptions {
  serviceUrl: string;
  conversationId?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  replyToId?: string;
}

function base(from: Person, options: ActivityOptions) {
  const conversationType = options.conversationType ?? 'personal';
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: '28:bot', name: 'Apono Approvals' },
    conversation: {
      id: options.conversationId ?? `a:personal-${from.aadObjectId}`,
      conversationType,
      tenantId: TENANT,
      isGroup: conversationType !== 'personal',
    },
    channelData: { tenant: { id: TENANT } },
    locale: 'en-US',
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
  };
}

export const activities = {
  message: (from: Person, text: string, options: ActivityOptions) => ({
    ...base(from, options),
    type: 'message',
    text,
    textFormat: 'plain',
  }),

  botInstalled: (from: Person, options: ActivityOptions) => ({
    ...base(from, options),
    type: 'conversationUpdate',
    membersAdded: [{ id: '28:bot' }],
    channelData: { tenant: { id: TENANT } },
  }),

  appInstalled: (from: Person, options: ActivityOptions) => ({
    ...base(from, options),
    type: 'installationUpdate',
    action: 'add',
  }),

  cardAction: (
    from: Person,
    verb: string,
    data: Record<string, unknown>,
    options: ActivityOptions & { trigger?: 'manual' | 'automatic' },
  ) => ({
    ...base(from, options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: {
      action: { type: 'Action.Execute', id: randomUUID(), verb, data },
      trigger: options.trigger ?? 'manual',
    },
  }),

  search: (
    from: Person,
    query: string | null,
    options: ActivityOptions & { skip?: number; count?: number },
  ) => ({
    ...base(from, { conversationType: 'channel', conversationId: '19:general@thread.tacv2', ...options }),
    type: 'invoke',
    name: 'composeExtension/query',
    value: {
      commandId: 'searchRequests',
      parameters:
        query === null ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value: query }],
      queryOptions: { skip: options.skip ?? 0, count: options.count ?? 25 },
    },
  }),

  queryLink: (from: Person, url: string, options: ActivityOptions) => ({
    ...base(from, { conversationType: 'channel', conversationId: '19:general@thread.tacv2', ...options }),
    type: 'invoke',
    name: 'composeExtension/queryLink',
    value: { url },
  }),
};

/** Posts an activity to the bot the way the Playground does: no Authorization header. */
export async function post(server: RunningServer, activity: object) {
  return request(server.url).post('/api/messages').send(activity);
}

/**
 * One server and one fake connector for a whole test file: started before its tests, closed after, the
 * connector's record emptied before each test.
 */
export function useBotServer(env: Record<string, string> = {}, options: ServerOptions = {}) {
  const bot = {} as { server: RunningServer; connector: FakeConnector };
  beforeAll(async () => {
    bot.connector = await startFakeConnector();
    bot.server = await startBotServer(env, options);
  });
  afterAll(async () => {
    await bot.server?.close();
    await bot.connector?.close();
  });
  beforeEach(() => bot.connector.reset());
  return bot;
}

/** The server's log at info, as the JSON lines it writes (redaction applied), for a test to read. */
export function capturedLog() {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Waits (10 s at most) until check() holds, then until the bot's background notifications are done. */
export async function waitUntil(server: RunningServer, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await server.bot.notifications.idle();
}
