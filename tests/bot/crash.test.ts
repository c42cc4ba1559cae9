// Nothing Apono tells is lost to a crash (issue 10): a real server process on the throwaway
// PostgreSQL accepts a webhook (202), is killed with SIGKILL while the delivery's job waits on Apono,
// and a new process on the same database finishes it once the dead instance's lease runs out. The
// approver gets their card, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../api/src/test-support/ports.js';
import { startPostgres, type TestPostgres } from '../../api/src/test-support/postgres.js';
import { activities, people, startFakeConnector, type FakeConnector } from './support.js';

const SECRET = 'crash-webhook-secret-0123456789';
let pg: TestPostgres;
let connector: FakeConnector;
let dataDir: string;
let port: number;
const running: ChildProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  connector = await startFakeConnector();
  dataDir = mkdtempSync(join(tmpdir(), 'apono-crash-'));
  port = await freePort();
}, 90_000);
afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await connector?.close();
  pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start`'s server as its own process, ready once it says where it runs. */
async function startProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../api/dist/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: pg.url,
      LOG_LEVEL: 'warn',
      APONO_WEBHOOK_SECRET: SECRET,
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      APONO_TIMEOUT_MS: '30000',
      DELIVERY_LEASE_SECONDS: '3',
      DELIVERY_MAINTENANCE_SECONDS: '1',
      DELIVERY_POLL_SECONDS: '0.5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const end = Date.now() + 60_000;
  while (!/is running on/.test(out)) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`the server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

const base = () => `http://127.0.0.1:${port}`;
const send = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base() + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const alexCards = (id: string) =>
  connector
    .sent()
    .filter(
      (c) =>
        c.path === `/v3/conversations/a:personal-${people.alex.aadObjectId}/activities` &&
        JSON.stringify(c.body).includes(`Access request ${id}`),
    );

it('a webhook answered 202, then SIGKILL while its job waits on Apono: the next process delivers the card once', async () => {
  const first = await startProcess();
  expect(
    (await send('/api/messages', activities.message(people.alex, 'help', { serviceUrl: connector.url })))
      .status,
  ).toBe(200);
  // Apono hangs: the job is claimed and waits on it when the process dies.
  expect((await send('/api/sandbox/faults', { latencyMs: 25_000 })).status).toBe(200);
  connector.reset();
  const hook = await send(
    '/api/apono/webhook',
    {
      event_type: 'AccessRequestCreated',
      event_time: '1796263265.1',
      data: { friendly_id: 'AR-1001', approvals: [{ approver: { email: 'alexw@example.com' } }] },
    },
    { authorization: `Bearer ${SECRET}` },
  );
  expect(hook.status).toBe(202);
  await new Promise((r) => setTimeout(r, 1000));
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  expect(alexCards('AR-1001')).toEqual([]);

  // A new process on the same database (Apono answers again): the lease runs out, the job is redone.
  const second = await startProcess();
  const end = Date.now() + 40_000;
  while (alexCards('AR-1001').length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  expect(alexCards('AR-1001')).toHaveLength(1);
  // And stays one: nothing else was left to redo it again.
  await new Promise((r) => setTimeout(r, 4000));
  expect(alexCards('AR-1001')).toHaveLength(1);
  second.kill('SIGTERM');
  await new Promise((r) => second.once('exit', r));
}, 120_000);
