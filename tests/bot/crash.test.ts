// Nothing Apono tells is lost to a crash (issue 10): a real server process on the throwaway
// PostgreSQL accepts a webhook (202), is killed with SIGKILL while the delivery's job waits on Apono,
// and a new process on the same database finishes it once the dead instance's lease runs out. The
// approver gets their card, once. The same for a process killed mid fan-out, and right after Apono
// accepted a decision.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pgClient from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConnectionStore } from '../../api/src/identity/connections.js';
import { keyringFrom } from '../../api/src/identity/secret-box.js';
import { createLogger } from '../../api/src/log.js';
import { openDb } from '../../api/src/store/db.js';
import { freePort } from '../../api/src/test-support/ports.js';
import { startPostgres, type TestPostgres } from '../../api/src/test-support/postgres.js';
import {
  startSandboxProcess,
  startServerProcess,
  type RunningProcess,
} from '../../api/src/test-support/process.js';
import { activities, people, startFakeConnector, TENANT, type FakeConnector } from './support.js';

const SECRET = 'crash-webhook-secret-0123456789';
let pg: TestPostgres;
let connector: FakeConnector;
let dataDir: string;
let port: number;
const running: RunningProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  connector = await startFakeConnector();
  dataDir = mkdtempSync(join(tmpdir(), 'apono-crash-'));
  port = await freePort();
}, 90_000);
afterAll(async () => {
  for (const child of running) child.child.kill('SIGKILL');
  await connector?.close();
  pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start`'s server as its own process on the shared database, ready once it says where it runs. */
async function startProcess(env: Record<string, string> = {}): Promise<RunningProcess> {
  const server = await startServerProcess({
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
  });
  running.push(server);
  return server;
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
  await first.stop('SIGKILL');
  expect(alexCards('AR-1001')).toEqual([]);

  // A new process on the same database (Apono answers again): the lease runs out, the job is redone.
  const second = await startProcess();
  const end = Date.now() + 40_000;
  while (alexCards('AR-1001').length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  expect(alexCards('AR-1001')).toHaveLength(1);
  // And stays one: nothing else was left to redo it again.
  await new Promise((r) => setTimeout(r, 4000));
  expect(alexCards('AR-1001')).toHaveLength(1);
  await second.stop('SIGTERM');
}, 120_000);

/** A process of our own: the standalone sandbox (Apono, whose state outlives the app's restarts). */
async function startSandbox(sandboxPort: number): Promise<RunningProcess> {
  const sandbox = await startSandboxProcess(sandboxPort);
  running.push(sandbox);
  return sandbox;
}

it('SIGKILL right after Apono accepted a decision from the tab: the next process updates every card and tells the requester', async () => {
  const sandboxPort = await freePort();
  await startSandbox(sandboxPort);
  // Between the app and Apono: once Apono has accepted an approval, the app dies before it hears so.
  let app: RunningProcess | null = null;
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
        app?.child.kill('SIGKILL');
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
    // The minute's sweep stays out of it: the decision's own job must be enough.
    DELIVERY_TICK_SECONDS: '3600',
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
    await app.exited;
    expect(accepted).toBe(1);
    expect(connector.updates()).toEqual([]);
    // What the dead process left: its decision's intent, and in the same commit the job that finishes it.
    const left = new pgClient.Client({ connectionString: env.DATABASE_URL });
    await left.connect();
    try {
      const intents = await left.query(`select id from app_decisions where request_id = $1`, [id]);
      const jobs = await left.query(
        `select data from pgboss.job where name = 'decision-check' and state = 'created'`,
      );
      expect(intents.rows).toHaveLength(1);
      expect(jobs.rows.map((j) => (j.data as { payload: unknown }).payload)).toEqual([
        { attemptId: Number(intents.rows[0].id) },
      ]);
    } finally {
      await left.end();
    }

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
    await app.stop('SIGTERM');
  } finally {
    await new Promise<void>((ok) => proxy.close(() => ok()));
  }
}, 120_000);

/**
 * Between the app and the standalone sandbox: each of the many approvers' own Apono tokens
 * (`tok-<n>`) is read as Alex's, so that every one of them may decide AR-1001 (the sandbox knows six
 * people). While `hold` says so, reads wait until it no longer does.
 */
async function aponoForMany(sandboxPort: number, hold: () => boolean) {
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      while (hold()) await new Promise((r) => setTimeout(r, 50));
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      if (/^Bearer tok-/.test(headers.authorization ?? ''))
        headers.authorization = 'Bearer apono-sandbox-alexw';
      const answer = await fetch(`http://127.0.0.1:${sandboxPort}${req.url}`, {
        method: req.method,
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      }).catch(() => null);
      if (!answer) return void res.destroy();
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => proxy.close(() => ok())),
  };
}

const MANY = 12;
const approver = (n: number) => ({
  aadObjectId: `obj-approver-${n}`,
  email: `approver${n}@example.com`,
  conversationId: `a:personal-obj-approver-${n}`,
});

/**
 * Twelve people the bot has a 1:1 chat with (as if each had installed the app), each connected to
 * Apono with their own token, stored through the app's own connection store.
 */
async function seedApprovers(databaseUrl: string, key: string) {
  const db = await openDb({ databaseUrl, pgliteDir: null, log: createLogger('silent') });
  try {
    const connections = createConnectionStore(db, keyringFrom({ id: 'k1', base64: key }, undefined));
    for (let n = 1; n <= MANY; n++) {
      const a = approver(n);
      await db.query(
        `insert into teams_users (tenant_id, aad_object_id, email, name, conversation_id, service_url)
         values ($1, $2, $3, $4, $5, $6)`,
        [TENANT, a.aadObjectId, a.email, `Approver ${n}`, a.conversationId, connector.url],
      );
      await connections.save(
        { tenantId: TENANT, objectId: a.aadObjectId },
        {
          method: 'token',
          aponoUser: { id: 'user-alex', name: 'Alex Wilber', email: 'alexw@example.com' },
          credential: { accessToken: `tok-${n}` },
        },
      );
    }
  } finally {
    await db.close();
  }
}

/** The copies of AR-1001 the app recorded (conversation → activity ID), read from its database. */
async function recordedCopies(databaseUrl: string): Promise<Map<string, string>> {
  const client = new pgClient.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ conversation_id: string; activity_id: string }>(
      `select conversation_id, activity_id from teams_cards where request_id = 'AR-1001'`,
    );
    return new Map(rows.map((r) => [r.conversation_id, r.activity_id]));
  } finally {
    await client.end();
  }
}

it('SIGKILL mid fan-out to twelve approvers while Teams answers slowly: after the restart each has a card the app keeps true, a duplicate only where a post was in flight, and every copy shows the decision', async () => {
  const sandboxPort = await freePort();
  await startSandbox(sandboxPort);
  let holdReads = false;
  const apono = await aponoForMany(sandboxPort, () => holdReads);
  const key = Buffer.alloc(32, 5).toString('base64');
  const env = {
    APONO_BASE_URL: apono.url,
    DATABASE_URL: await freshDatabase('mid_fan_out'),
    TOKEN_ENCRYPTION_KEY: key,
    APONO_TIMEOUT_MS: '20000',
    // A lease long enough that the cards' claims, made well after the job began, are still held
    // when the next process takes the job over.
    DELIVERY_LEASE_SECONDS: '10',
  };
  const everyone = Array.from({ length: MANY }, (_, i) => i + 1);
  const cardsTo = (n: number) =>
    connector.sent().filter((c) => c.path === `/v3/conversations/${approver(n).conversationId}/activities`);
  try {
    let app = await startProcess(env);
    await seedApprovers(env.DATABASE_URL, key);
    connector.reset();
    // Teams takes its time answering; Apono is slow at first, so the cards are claimed late in the job.
    connector.answers.postDelayMs = 8000;
    holdReads = true;
    const hook = await send(
      '/api/apono/webhook',
      {
        event_type: 'AccessRequestCreated',
        event_time: '1796263265.7',
        data: {
          friendly_id: 'AR-1001',
          approvals: everyone.map((n) => ({ approver: { email: approver(n).email } })),
        },
      },
      { authorization: `Bearer ${SECRET}` },
    );
    expect(hook.status).toBe(202);
    await new Promise((r) => setTimeout(r, 6000));
    holdReads = false;
    // Some cards have reached Teams (which has not answered them yet), others not even been sent.
    const end = Date.now() + 30_000;
    while (connector.sent().length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await app.stop('SIGKILL');
    const inFlight = everyone.filter((n) => cardsTo(n).length > 0);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.length).toBeLessThan(MANY);
    expect(await recordedCopies(env.DATABASE_URL)).toEqual(new Map());

    // The next process on the same database, with Teams answering at once again.
    connector.answers.postDelayMs = 0;
    app = await startProcess(env);
    const done = Date.now() + 90_000;
    let copies = new Map<string, string>();
    while (copies.size < MANY && Date.now() < done) {
      await new Promise((r) => setTimeout(r, 500));
      copies = await recordedCopies(env.DATABASE_URL);
    }
    // Every approver has a card the app knows of.
    expect(everyone.filter((n) => !copies.has(approver(n).conversationId))).toEqual([]);
    await new Promise((r) => setTimeout(r, 3000));
    // One card each, except where the first post was in Teams' hands when the process died: the Bot
    // Connector takes no idempotency key and cannot be asked whether it posted, so that post is
    // sent again (at least once, never none) and the one the app knows of is the second.
    for (const n of everyone) expect(cardsTo(n)).toHaveLength(inFlight.includes(n) ? 2 : 1);
    // The first of the two is adopted once Teams refreshes it for its approver (Universal Actions'
    // automatic refresh when they look at it), so from then on it is kept true as well.
    // (Teams answered those first posts, with nobody left to hear it.)
    const answered = Date.now() + 20_000;
    while (inFlight.some((n) => !cardsTo(n)[0]!.activityId) && Date.now() < answered)
      await new Promise((r) => setTimeout(r, 100));
    const orphans = new Map(inFlight.map((n) => [n, cardsTo(n)[0]!.activityId!]));
    for (const [n, orphan] of orphans) {
      const a = approver(n);
      const from = { id: `29:approver-${n}`, aadObjectId: a.aadObjectId, name: `Approver ${n}` };
      const refreshed = await send(
        '/api/messages',
        activities.cardAction(
          from,
          'refresh',
          { requestId: 'AR-1001' },
          {
            serviceUrl: connector.url,
            conversationId: a.conversationId,
            replyToId: orphan,
            trigger: 'automatic',
          },
        ),
      );
      expect(refreshed.status).toBe(200);
    }

    // Alex approves in Apono; its webhook says so: every copy the app knows of shows it.
    const approved = await fetch(
      `http://127.0.0.1:${sandboxPort}/api/client/v1/access-requests/AR-1001/approve`,
      {
        method: 'POST',
        headers: { authorization: 'Bearer apono-sandbox-alexw', 'content-type': 'application/json' },
        body: JSON.stringify({ justification: 'fine' }),
      },
    );
    expect(approved.status).toBe(200);
    connector.reset();
    await send(
      '/api/apono/webhook',
      { event_type: 'AccessRequestApproved', event_time: '1796263299.1', data: { friendly_id: 'AR-1001' } },
      { authorization: `Bearer ${SECRET}` },
    );
    const updatedAt = (n: number, activityId: string | undefined) =>
      connector
        .updates()
        .some(
          (u) =>
            u.path === `/v3/conversations/${approver(n).conversationId}/activities/${activityId}` &&
            JSON.stringify(u.body).includes('Approved in Apono by Alex Wilber'),
        );
    const updated = (n: number) =>
      updatedAt(n, copies.get(approver(n).conversationId)) &&
      (!orphans.has(n) || updatedAt(n, orphans.get(n)));
    const until = Date.now() + 30_000;
    while (everyone.some((n) => !updated(n)) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 200));
    expect(everyone.filter((n) => !updated(n))).toEqual([]);
    await app.stop('SIGTERM');
  } finally {
    holdReads = false;
    connector.answers.postDelayMs = 0;
    await apono.close();
  }
}, 240_000);
