// One approval as the tab makes it (the list was read just before the click) with Apono answering each
// call in 300 ms, against Apono's approve call alone: the ratio is about the number of Apono round
// trips on the decision's critical path. In-process with the embedded sandbox, whose reset also clears
// the app's state between rounds.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../api/dist/config.js';
import { createLogger } from '../api/dist/log.js';
import { startServer } from '../api/dist/server.js';
import { alternate, median } from './measure.js';

const APONO_MS = 300;

async function ok(pending) {
  const res = await pending;
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function approvalLine(rounds) {
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      DECISIONS_PER_MINUTE: '100000',
    }),
    { log: createLogger('silent') },
  );
  const post = (path, body, headers = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  try {
    const { token } = await ok(post('/api/sandbox/sign-in', { email: 'alexw@example.com' }));
    const app = { authorization: `Bearer ${token}` };
    await ok(post('/api/sandbox/faults', { latencyMs: APONO_MS }));
    const timed = async (before, call) => {
      await ok(post('/api/sandbox/reset', {}));
      await before();
      const started = performance.now();
      await ok(call());
      return performance.now() - started;
    };
    const { as, bs } = await alternate(
      rounds,
      () =>
        timed(
          () => ok(fetch(`${server.url}/api/requests`, { headers: app })),
          () => post('/api/requests/AR-1001/approve', { reason: 'bench' }, app),
        ),
      () =>
        timed(
          async () => undefined,
          () =>
            post(
              '/sandbox/apono/api/client/v1/access-requests/AR-1001/approve',
              { justification: 'bench' },
              { authorization: 'Bearer apono-sandbox-alexw' },
            ),
        ),
    );
    const ratio = median(as) / median(bs);
    return {
      what: `one approval from the tab, Apono at ${APONO_MS} ms a call: app vs Apono's approve alone`,
      a: `${median(as).toFixed(0)} ms`,
      b: `${median(bs).toFixed(0)} ms`,
      value: `${ratio.toFixed(2)}x (about ${Math.round(ratio)} Apono round trips in series)`,
      goal: '< 0.6 s',
      met: median(as) < 600,
      spread: [Math.min(...as), Math.max(...as)].map((v) => `${v.toFixed(0)} ms`),
    };
  } finally {
    await server.close();
  }
}
