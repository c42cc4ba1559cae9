// Teams' limits for a bot (Microsoft Learn, "Optimize your bot with rate limiting and best
// practices"): per bot per conversation 7 messages a second, 8 in 2 s and 60 in 30 s; per app about
// 50 a second per tenant. Every send and update waits here until each window has room, so the bot
// stays under them instead of learning them from 429s. Teams counts what reaches it from every
// instance of the app, so the shared pacer keeps its slots in the database all instances use.
import type { Db } from '../store/db.js';

export type Window = readonly [count: number, ms: number];

export const PER_CONVERSATION: readonly Window[] = [
  [7, 1000],
  [8, 2000],
  [60, 30_000],
];
export const PER_APP: readonly Window[] = [[50, 1000]];

/**
 * Kept between two sends on top of each window: a send let through on time may still leave late (a
 * busy event loop, another instance's; tens of milliseconds seen on a loaded 2-core machine), which
 * must not bring two sends closer at Teams' end. Costs a tenth of the 1 s windows' rate.
 */
export const SLACK_MS = 100;

/** Whether `sorted` (ascending) with `at` added still has every `count + 1` sends at least `ms` apart. */
function fits(sorted: readonly number[], at: number, windows: readonly Window[]): boolean {
  let pos = sorted.findIndex((t) => t > at);
  if (pos === -1) pos = sorted.length;
  const all = [...sorted.slice(0, pos), at, ...sorted.slice(pos)];
  for (const [count, ms] of windows)
    for (let i = Math.max(0, pos - count); i <= pos && i + count < all.length; i++)
      if (all[i + count]! - all[i]! < ms + SLACK_MS) return false;
  return true;
}

/**
 * The earliest time from `from` on at which one more send fits both the conversation's windows and
 * the app's. Only `from` and a past send plus a window can be that time (before one, a window is
 * still full). Sends to one conversation stay in order: never before its last one.
 */
export function earliestSlot(
  conversation: readonly number[],
  app: readonly number[],
  from: number,
  perConversation: readonly Window[] = PER_CONVERSATION,
  perApp: readonly Window[] = PER_APP,
): number {
  const start = Math.max(from, conversation.at(-1) ?? from);
  const candidates = new Set([start]);
  for (const [, ms] of perConversation) for (const t of conversation) candidates.add(t + ms + SLACK_MS);
  for (const [, ms] of perApp) for (const t of app) candidates.add(t + ms + SLACK_MS);
  const ascending = [...candidates].filter((t) => t >= start).sort((a, b) => a - b);
  for (const at of ascending) if (fits(conversation, at, perConversation) && fits(app, at, perApp)) return at;
  // Unreachable: after the last send plus the longest window every window has room.
  return ascending.at(-1)!;
}

const longestOf = (windows: readonly Window[]) => Math.max(...windows.map(([, ms]) => ms)) + SLACK_MS;

/** Sends to one conversation wait their turn in call order within this process. */
function turnsInOrder() {
  const turns = new Map<string, Promise<void>>();
  return async (conversationId: string, take: () => Promise<void>) => {
    const before = turns.get(conversationId) ?? Promise.resolve();
    const turn = before.then(take, take);
    const settled = turn.catch(() => undefined);
    turns.set(conversationId, settled);
    try {
      await turn;
    } finally {
      if (turns.get(conversationId) === settled) turns.delete(conversationId);
    }
  };
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((ok) => setTimeout(ok, ms)) : Promise.resolve());

export interface Pacer {
  /** Resolves when a message to this conversation may be sent now; it is counted from then. */
  wait(conversationId: string): Promise<void>;
}

/** One process's own count: for a single instance, and tests without a database. */
export function createPacer(perConversation = PER_CONVERSATION, perApp = PER_APP): Pacer {
  const sent = new Map<string, number[]>();
  const app: number[] = [];
  const inOrder = turnsInOrder();
  const longest = Math.max(longestOf(perConversation), longestOf(perApp));
  const forgetOld = (times: number[], now: number) => {
    while (times.length && times[0]! < now - longest) times.shift();
  };
  return {
    wait: (conversationId) =>
      inOrder(conversationId, async () => {
        const times = sent.get(conversationId) ?? [];
        const at = earliestSlot(times, app, Date.now(), perConversation, perApp);
        // Counted before the wait, so a send to another conversation meanwhile sees it.
        times.push(at);
        app.push(at);
        app.sort((a, b) => a - b);
        sent.set(conversationId, times);
        await sleep(at - Date.now());
        const now = Date.now();
        forgetOld(times, now);
        forgetOld(app, now);
        if (!times.length) sent.delete(conversationId);
        if (sent.size > 10_000)
          for (const [id, list] of sent) if ((list.at(-1) ?? 0) < now - longest) sent.delete(id);
      }),
  };
}

/** Advisory-lock class of the pacer's locks (the first key of pg_advisory_xact_lock(int, int)). */
const PACE_LOCK = 4_170_010;
const APP_SCOPE = 'app';

/**
 * Every instance on one database shares the count: a send reserves its slot in `delivery_send_slots`
 * under the conversation's and then the app's advisory lock (always in that order), reading the
 * slots already reserved by anyone and the database's clock, so instances agree on time too. The
 * slot may lie ahead; the caller sleeps until it. Rows older than the longest window are deleted.
 */
export function createSharedPacer(
  db: Pick<Db, 'transaction'>,
  perConversation = PER_CONVERSATION,
  perApp = PER_APP,
): Pacer {
  const inOrder = turnsInOrder();
  const keepMs = Math.max(longestOf(perConversation), longestOf(perApp));

  const reserve = (conversationId: string) =>
    db.transaction(async (tx) => {
      const scope = `conversation:${conversationId}`;
      await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [PACE_LOCK, scope]);
      await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [PACE_LOCK, APP_SCOPE]);
      // Every scope's, not only these: a chat never written to again must not leave its rows behind.
      // Under the app's lock the table holds at most the longest window's sends (60 s of them at 50/s).
      await tx.query(
        `delete from delivery_send_slots where at < clock_timestamp() - make_interval(secs => $1)`,
        [keepMs / 1000],
      );
      const rows = await tx.query<{ scope: string; ms: number }>(
        `select scope, extract(epoch from at) * 1000 as ms from delivery_send_slots where scope = any($1) order by at`,
        [[scope, APP_SCOPE]],
      );
      const [clock] = await tx.query<{ now: number }>(
        'select extract(epoch from clock_timestamp()) * 1000 as now',
      );
      const now = Number(clock!.now);
      const times = (which: string) => rows.filter((r) => r.scope === which).map((r) => Number(r.ms));
      const at = earliestSlot(times(scope), times(APP_SCOPE), now, perConversation, perApp);
      await tx.query(
        `insert into delivery_send_slots (scope, at) values ($1, to_timestamp($3 / 1000.0)), ($2, to_timestamp($3 / 1000.0))`,
        [scope, APP_SCOPE, at],
      );
      return at - now;
    });

  return {
    wait: (conversationId) =>
      inOrder(conversationId, async () => {
        await sleep(await reserve(conversationId));
      }),
  };
}
