// Teams counts a bot's messages per conversation and per app whichever instance sent them (Microsoft
// Learn, "Optimize your bot with rate limiting and best practices"): two instances on one PostgreSQL,
// each with its own connection pool and its own messenger, sending to one chat at once stay under
// 7/s, 8/2 s and 60/30 s together, and under 50/s for the app across many chats.
import { Client as ApiClient } from '@microsoft/teams.api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSharedPacer,
  earliestSlot,
  PER_APP,
  PER_CONVERSATION,
  type Window,
} from '../../api/src/delivery/pace.js';
import { createLogger } from '../../api/src/log.js';
import { openDb, type Db } from '../../api/src/store/db.js';
import { startPostgres, type TestPostgres } from '../../api/src/test-support/postgres.js';
import { createMessenger, type Messenger } from '../../api/src/teams/messenger.js';
import { startFakeConnector, type FakeConnector } from './support.js';

let pg: TestPostgres;
let connector: FakeConnector;
const dbs: Db[] = [];
let instances: Messenger[];

beforeAll(async () => {
  pg = await startPostgres();
  connector = await startFakeConnector();
  // Two instances: a pool each, a pacer each, one database.
  for (let i = 0; i < 2; i++)
    dbs.push(await openDb({ databaseUrl: pg.url, pgliteDir: null, log: createLogger('silent') }));
  instances = dbs.map((db) =>
    createMessenger({
      http: () => new ApiClient(connector.url).http,
      botId: () => undefined,
      pacer: createSharedPacer(db),
    }),
  );
}, 90_000);
afterAll(async () => {
  for (const db of dbs) await db.close();
  await connector?.close();
  pg?.stop();
});

const card = (n: number) => ({
  type: 'AdaptiveCard' as const,
  version: '1.5' as const,
  body: [{ type: 'TextBlock' as const, text: `card ${n}` }],
});

/** Each `count + 1` consecutive arrivals at Teams span at least the window. */
function expectUnder(times: number[], windows: readonly Window[]) {
  const sorted = [...times].sort((a, b) => a - b);
  for (const [count, ms] of windows)
    for (let i = 0; i + count < sorted.length; i++)
      expect(sorted[i + count]! - sorted[i]!, `${count + 1} posts within ${ms} ms`).toBeGreaterThanOrEqual(
        ms,
      );
}

describe('two instances sending at once', () => {
  it('keep one chat under its limits together', async () => {
    connector.reset();
    const to = { serviceUrl: connector.url, conversationId: 'a:one-chat' };
    await Promise.all(
      instances.flatMap((messenger, i) =>
        Array.from({ length: 9 }, (_, n) => messenger.sendCard(to, card(i * 100 + n))),
      ),
    );
    const times = connector.sent().map((c) => c.at);
    expect(times).toHaveLength(18);
    expectUnder(times, PER_CONVERSATION);
  }, 30_000);

  it('keep the app under 50 a second across many chats together', async () => {
    connector.reset();
    await Promise.all(
      instances.flatMap((messenger, i) =>
        Array.from({ length: 40 }, (_, n) =>
          messenger.sendCard({ serviceUrl: connector.url, conversationId: `a:chat-${i}-${n}` }, card(n)),
        ),
      ),
    );
    const times = connector.sent().map((c) => c.at);
    expect(times).toHaveLength(80);
    expectUnder(times, PER_APP);
  }, 30_000);
});

describe('the next slot', () => {
  it('waits for the oldest send of a full window to leave it', () => {
    const seven = [0, 10, 20, 30, 40, 50, 60];
    expect(earliestSlot(seven, seven, 70)).toBeGreaterThanOrEqual(1000);
    expect(earliestSlot(seven.slice(1), seven.slice(1), 70)).toBe(70);
  });

  it("is not held back by another chat's send reserved far ahead", () => {
    // Another conversation reached its 60 in 30 s and has a send booked 20 s from now.
    expect(earliestSlot([], [20_000], 0)).toBe(0);
  });

  it("keeps one chat's sends in order", () => {
    expect(earliestSlot([5000], [5000], 0)).toBe(5000);
  });
});

describe('the send slots', () => {
  it('keep only what a window can still count, whichever chat they were for', async () => {
    const [db] = dbs;
    await db!.query(
      `insert into delivery_send_slots (scope, at) values ('conversation:a:gone-quiet', now() - interval '5 minutes')`,
    );
    await instances[0]!.sendCard({ serviceUrl: connector.url, conversationId: 'a:another-chat' }, card(1));
    expect(
      await db!.query(`select 1 from delivery_send_slots where scope = 'conversation:a:gone-quiet'`),
    ).toEqual([]);
  });
});
