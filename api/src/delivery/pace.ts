// Teams' limits for a bot (Microsoft Learn, "Optimize your bot with rate limiting and best
// practices"): per conversation 7 messages a second, 8 in 2 s and 60 in 30 s; per app about 50 a
// second per tenant. Every send and update waits here until each window has room, so the bot stays
// under them instead of learning them from 429s. In-process: several instances each keep their own.
export type Window = readonly [count: number, ms: number];

export const PER_CONVERSATION: readonly Window[] = [
  [7, 1000],
  [8, 2000],
  [60, 30_000],
];
export const PER_APP: readonly Window[] = [[50, 1000]];

/** When the next event may happen so that every window still holds at most its count. */
function nextSlot(history: number[], windows: readonly Window[], now: number): number {
  let at = now;
  for (const [count, ms] of windows) {
    if (history.length < count) continue;
    // The count-th most recent event must have left the window.
    at = Math.max(at, history[history.length - count]! + ms);
  }
  return at;
}

const sleepUntil = async (at: number) => {
  const ms = at - Date.now();
  if (ms > 0) await new Promise((ok) => setTimeout(ok, ms));
};

export function createPacer(perConversation = PER_CONVERSATION, perApp = PER_APP) {
  const sent = new Map<string, number[]>();
  const app: number[] = [];
  const turns = new Map<string, Promise<void>>();
  const longest = Math.max(...[...perConversation, ...perApp].map(([, ms]) => ms));

  function forgetOld(times: number[], now: number) {
    while (times.length && times[0]! < now - longest) times.shift();
  }

  return {
    /**
     * Resolves when a message to this conversation may be sent now. Messages to one conversation go
     * one after another, in call order; each is counted when it is let through.
     */
    async wait(conversationId: string): Promise<void> {
      const before = turns.get(conversationId) ?? Promise.resolve();
      let done!: () => void;
      const mine = new Promise<void>((ok) => (done = ok));
      const turn = before.then(() => mine);
      turns.set(conversationId, turn);
      await before;
      try {
        const times = sent.get(conversationId) ?? [];
        await sleepUntil(nextSlot(times, perConversation, Date.now()));
        for (
          let at = nextSlot(app, perApp, Date.now());
          at > Date.now();
          at = nextSlot(app, perApp, Date.now())
        )
          await sleepUntil(at);
        const now = Date.now();
        times.push(now);
        app.push(now);
        forgetOld(times, now);
        forgetOld(app, now);
        sent.set(conversationId, times);
        if (sent.size > 10_000)
          for (const [id, list] of sent) if ((list.at(-1) ?? 0) < now - longest) sent.delete(id);
      } finally {
        done();
        if (turns.get(conversationId) === turn) {
          turns.delete(conversationId);
          if (!sent.get(conversationId)?.length) sent.delete(conversationId);
        }
      }
    },
  };
}

export type Pacer = ReturnType<typeof createPacer>;
