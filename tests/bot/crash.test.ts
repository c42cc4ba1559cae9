// Nothing Apono tells is lost to a crash (issue 10): a real server process on the throwaway
// PostgreSQL accepts a webhook (202), is killed with SIGKILL while the delivery's job waits on Apono,
// and a new process on the same database finishes it once the dead instance's lease runs out. The
// approver gets their card, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pgClient from 'pg';
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
async function startProcess(env: Record<string, string> = {}): Promise<ChildProcess> {
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
      ...env,
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

/** A database of its own on the throwaway cluster, so each process pair starts from nothing. */
async function freshDatabase(name: string): Promise<string> {
  const admin = new pgClient.Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return pg.url.replace(/\/postgres$/, `/${name}`);
}
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

/** A process of our own: the standalone sandbox (Apono, whose state outlives the app's restarts). */
async function startSandbox(sandboxPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../sandbox/dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', SANDBOX_PORT: String(sandboxPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  const end = Date.now() + 30_000;
  while (!/Apono sandbox on/.test(out)) {
    if (Date.now() > end) throw new Error(`the sandbox did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

it('SIGKILL right after Apono accepted a decision from the tab: the next process updates every card and tells the requester', async () => {
  const sandboxPort = await freePort();
  await startSandbox(sandboxPort);
  // Between the app and Apono: once Apono has accepted an approval, the app dies before it hears so.
  let app: ChildProcess | null = null;
  let accepted = 0;
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const answer = await fetch(`http://127.0.0.1:${sandboxPort}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
        ) as Record<string, string>,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      if (req.method === 'POST' && /\/access-requests\/[^/]+\/approve$/.test(req.url ?? '') && answer.ok) {
        accepted++;
        app?.kill('SIGKILL');
        res.destroy();
        return;
      }
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(body);
    });
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  const env = {
    APONO_BASE_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    DATABASE_URL: await freshDatabase('after_accept'),
    APONO_TIMEOUT_MS: '1500',
    DELIVERY_TICK_SECONDS: '1',
    DECISION_GRACE_SECONDS: '2',
  };
  try {
    app = await startProcess(env);
    // Apono is not embedded here, so Teams' member API is how the bot learns who Alex and Megan are.
    connector.answers.members = [
      {
        id: people.alex.id,
        aadObjectId: people.alex.aadObjectId,
        name: people.alex.name,
        email: 'alexw@example.com',
      },
      {
        id: people.megan.id,
        aadObjectId: people.megan.aadObjectId,
        name: people.megan.name,
        email: 'meganb@example.com',
      },
    ];
    expect(
      (await send('/api/messages', activities.message(people.megan, 'help', { serviceUrl: connector.url })))
        .status,
    ).toBe(200);
    connector.reset();
    expect(
      (await send('/api/messages', activities.message(people.alex, 'pending', { serviceUrl: connector.url })))
        .status,
    ).toBe(200);
    const shown = connector
      .sent()
      .find((c) => c.path.endsWith(`a:personal-${people.alex.aadObjectId}/activities`));
    expect(shown).toBeDefined();
    // One of Megan's requests among those shown to Alex, so that she can be told.
    const cards = (shown!.body.attachments as Array<{ content: unknown }>).map((a) =>
      JSON.stringify(a.content),
    );
    const id = /Access request (AR-\d+)/.exec(cards.find((c) => c.includes('Megan Bowen')) ?? '')![1]!;
    const token = (
      (await (await send('/api/sandbox/sign-in', { email: 'alexw@example.com' })).json()) as { token: string }
    ).token;
    connector.reset();
    // The approval reaches Apono; the app is killed before it can answer or update anything.
    await send(
      `/api/requests/${id}/approve`,
      { reason: 'Checked INC-88' },
      { authorization: `Bearer ${token}` },
    ).catch(() => null);
    await new Promise((r) => app!.once('exit', r));
    expect(accepted).toBe(1);
    expect(connector.updates()).toEqual([]);

    // The next process finds the decision it left, sees Apono has it, and finishes the job.
    app = await startProcess(env);
    const approvedCard = () =>
      connector
        .updates()
        .some(
          (u) =>
            JSON.stringify(u.body).includes('Approved by Alex Wilber') && JSON.stringify(u.body).includes(id),
        );
    const told = () =>
      connector.sent().find((c) => String(c.body.summary).startsWith(`Your access request ${id}`));
    const end = Date.now() + 40_000;
    while (!(approvedCard() && told()) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
    expect(approvedCard()).toBe(true);
    expect(told()?.body.summary).toMatch(
      new RegExp(
        `^Your access request ${id} was \\*\\*approved\\*\\* by Alex Wilber\\. Reason: "Checked INC-88"$`,
      ),
    );
    app.kill('SIGTERM');
    await new Promise((r) => app!.once('exit', r));
  } finally {
    await new Promise<void>((ok) => proxy.close(() => ok()));
  }
}, 120_000);
