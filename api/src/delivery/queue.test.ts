// The durable queue works a queue's jobs side by side, up to the concurrency asked and never more,
// each job once; a job that fails is retried while the others go on.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { openDb, type Db } from '../store/db.js';
import { createDelivery, type Delivery } from './queue.js';

let db: Db | undefined;
let delivery: Delivery | undefined;
afterEach(async () => {
  await delivery?.stop();
  await db?.close();
  delivery = db = undefined;
});

async function start() {
  db = await openDb({ pgliteDir: null });
  delivery = createDelivery({
    db,
    log: createLogger('silent'),
    leaseSeconds: 60,
    retryLimit: 3,
    maintenanceSeconds: 30,
    pollingSeconds: 0.5,
  });
  await delivery.start();
  return delivery;
}

/** Resolves when `check` holds, looking every 20 ms, or fails after `ms`. */
async function until(check: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('working a queue', () => {
  it.each([1, 4])('runs up to %i jobs at once and no more, each of 12 once', async (concurrency) => {
    const queue = await start();
    const started: number[] = [];
    const finished: number[] = [];
    let open = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    for (let n = 0; n < 12; n++) await queue.send('work', `job-${n}`, { n });
    await queue.work<{ n: number }>(
      'work',
      async ({ n }) => {
        started.push(n);
        most = Math.max(most, ++open);
        await new Promise<void>((release) => gates.push(release));
        open--;
        finished.push(n);
      },
      { concurrency },
    );
    // Each round: wait until as many as allowed are running, then let them all finish.
    while (finished.length < 12) {
      await until(() => open === Math.min(concurrency, 12 - finished.length));
      gates.splice(0).forEach((release) => release());
      await until(() => open === 0 || gates.length > 0);
    }
    expect(most).toBe(concurrency);
    expect([...started].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    for (let i = 0; i < 100 && (await queue.pending()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queue.pending()).toBe(0); // every job marked done
  });

  it('retries a job that failed while the others go on', async () => {
    const queue = await start();
    const attempts = new Map<number, number>();
    for (let n = 0; n < 6; n++) await queue.send('flaky', `job-${n}`, { n });
    await queue.work<{ n: number }>(
      'flaky',
      async ({ n }) => {
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        if (n === 2 && attempts.get(n) === 1) throw new Error('Apono is down');
      },
      { concurrency: 3 },
    );
    await until(() => attempts.size === 6);
    expect(attempts.get(2)).toBe(1);
    await until(() => attempts.get(2) === 2);
    expect([...attempts.values()].reduce((a, b) => a + b, 0)).toBe(7);
  });
});
