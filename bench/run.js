// Benchmarks, run on purpose (`npm run bench`), never inside `npm test`. Each line compares two
// things measured side by side in this one run and prints their ratio, so machine speed cancels out.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../api/dist/config.js';
import { createLogger } from '../api/dist/log.js';
import { startServer } from '../api/dist/server.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

async function time(label, rounds, fn) {
  for (let i = 0; i < 5; i++) await fn(i); // warm up
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  const p95 = samples[Math.floor(samples.length * 0.95)];
  return { label, median, p95 };
}

const json = async (pending) => {
  const res = await pending;
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return res.json();
};

const server = await startServer(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    DECISIONS_PER_MINUTE: '100000',
  }),
  {
    log: createLogger('silent'),
  },
);
try {
  const { token } = await json(
    await fetch(`${server.url}/api/sandbox/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":"alexw@example.com"}',
    }),
  );
  const app = { authorization: `Bearer ${token}` };
  const apono = { authorization: 'Bearer apono-sandbox-alexw' };
  await json(await fetch(`${server.url}/api/me`, { headers: app }));

  const rows = [];
  const pair = async (what, a, b) => {
    const x = await time(a.label, ROUNDS, a.fn);
    const y = await time(b.label, ROUNDS, b.fn);
    rows.push({ what, a: x, b: y, ratio: x.median / y.median });
  };

  const pendingList = [
    { label: 'GET /api/requests', fn: () => json(fetch(`${server.url}/api/requests`, { headers: app })) },
    {
      label: 'GET MyTasks (sandbox)',
      fn: () =>
        json(
          fetch(
            `${server.url}/sandbox/apono/api/client/v1/access-requests?scope=MyTasks&statuses=Pending&limit=100`,
            {
              headers: apono,
            },
          ),
        ),
    },
  ];

  // 1. What the app adds on top of Apono for the pending list: SSO check, credential decrypt, mapping.
  await pair('pending list: app vs Apono directly', ...pendingList);

  // 2. The same, when Apono answers in 50 ms: the app's share should shrink towards 1x.
  await fetch(`${server.url}/api/sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"latencyMs":50}',
  });
  await pair('pending list with 50 ms Apono latency', ...pendingList);
  await fetch(`${server.url}/api/sandbox/faults`, { method: 'DELETE' });

  // 3. A decision through the app (read, rule, idempotency row, decide, re-read, audit) vs Apono's call alone.
  const reset = () => fetch(`${server.url}/api/sandbox/reset`, { method: 'POST' });
  const decideRounds = Math.min(ROUNDS, 50);
  const viaApp = await time('POST /api/requests/:id/approve', decideRounds, async () => {
    await reset();
    await server.db.query('delete from decisions');
    await json(
      fetch(`${server.url}/api/requests/AR-1001/approve`, {
        method: 'POST',
        headers: { ...app, 'content-type': 'application/json' },
        body: '{"reason":"bench"}',
      }),
    );
  });
  const direct = await time('POST approve (sandbox)', decideRounds, async () => {
    await reset();
    await json(
      fetch(`${server.url}/sandbox/apono/api/client/v1/access-requests/AR-1001/approve`, {
        method: 'POST',
        headers: { ...apono, 'content-type': 'application/json' },
        body: '{"justification":"bench"}',
      }),
    );
  });
  rows.push({
    what: 'one approval: app vs Apono directly (both include a sandbox reset)',
    a: viaApp,
    b: direct,
    ratio: viaApp.median / direct.median,
  });

  const ms = (v) => `${v.toFixed(2)} ms`;
  console.log(
    `Benchmarks (${ROUNDS} rounds, medians; p95 in brackets), ${new Date().toISOString()}, Node ${process.version}`,
  );
  for (const r of rows) {
    console.log(`\n${r.what}`);
    console.log(`  ${r.a.label.padEnd(34)} ${ms(r.a.median)} [${ms(r.a.p95)}]`);
    console.log(`  ${r.b.label.padEnd(34)} ${ms(r.b.median)} [${ms(r.b.p95)}]`);
    console.log(`  ratio ${r.ratio.toFixed(2)}x`);
  }
} finally {
  await server.close();
}
