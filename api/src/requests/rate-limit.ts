// Decisions per person per minute, a sliding window kept in memory: it protects Apono from a
// runaway client, not the app from a determined attacker (Apono enforces its own limits too).
export function createRateLimiter(perMinute: number, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  return {
    /** Seconds to wait when over the limit, 0 when the call may go ahead (and is counted). */
    take(key: string): number {
      const t = now();
      const recent = (hits.get(key) ?? []).filter((h) => t - h < 60_000);
      if (recent.length >= perMinute) {
        hits.set(key, recent);
        return Math.max(1, Math.ceil((recent[0]! + 60_000 - t) / 1000));
      }
      recent.push(t);
      hits.set(key, recent);
      return 0;
    },
  };
}
