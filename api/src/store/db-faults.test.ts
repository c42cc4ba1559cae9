// PostgreSQL going away under a running server: an admin's pg_terminate_backend, a restart. The
// process stays up, /readyz says what is true, and the API works again once the database is back.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postgresBinDir, startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { openDb, type Db } from './db.js';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Errors that escaped to the process: what would have killed a real instance. */
const escaped: unknown[] = [];
const onEscape = (err: unknown) => escaped.push(err);

let cluster: TestPostgres;
/** A second client, as an administrator would use: terminates the app's connections. */
let admin: pg.Client;

beforeAll(async () => {
  cluster = await startPostgres();
  admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await admin?.end().catch(() => undefined);
  cluster?.stop();
});

beforeEach(() => {
  escaped.length = 0;
  process.prependListener('uncaughtException', onEscape);
  process.prependListener('unhandledRejection', onEscape);
});
afterEach(() => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
});

/** Terminates every connection to the database but the admin's own; returns how many. */
async function terminateAppConnections(client = admin): Promise<number> {
  const { rows } = await client.query<{ pid: number }>(
    `select pg_terminate_backend(pid), pid from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
  );
  return rows.length;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('a running server when PostgreSQL drops its connections', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ DATABASE_URL: cluster.url });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const readyz = async () => {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('stays up after pg_terminate_backend on all its connections, is ready again, and the API works', async () => {
    const alex = await server.signIn('alexw@example.com');
    // Several idle connections in the pool, so there is more than one to lose.
    await Promise.all(Array.from({ length: 5 }, () => server.db.query('select pg_sleep(0.05)')));
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', database: 'postgres' } });

    for (let round = 0; round < 3; round++) {
      const terminated = await terminateAppConnections();
      expect(terminated).toBeGreaterThan(0);
      await sleep(200); // the idle connections hear of it
      expect(escaped.map(String)).toEqual([]);
      expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', database: 'postgres' } });
      const list = await server.call('GET', '/api/requests', alex);
      expect(list.status).toBe(200);
      expect(Array.isArray(list.body.requests)).toBe(true);
    }
    // A decision (reads and writes) goes through on the new connections.
    const approved = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
      reason: 'after the failover',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.request.decision).toMatchObject({ outcome: 'approved' });
    expect(escaped.map(String)).toEqual([]);
  });

  it('answers /readyz 503 while PostgreSQL is stopped and 200 once it is back', async () => {
    const stopped = await restartable(admin);
    await admin.end();
    stopped.stop();
    try {
      await sleep(200);
      const down = await readyz();
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'not ready', database: 'postgres' });
      // The rest of the app answers meanwhile, with the error shape and not a crash.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      stopped.start();
      admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
    }
    const back = await waitFor('readyz 200', async () => {
      const r = await readyz();
      return r.status === 200 ? r : undefined;
    });
    expect(back.body).toEqual({ status: 'ready', database: 'postgres' });
    const alex = await server.signIn('alexw@example.com');
    expect((await server.call('GET', '/api/requests', alex)).status).toBe(200);
    expect(escaped.map(String)).toEqual([]);
  }, 30_000);

  it('answers /readyz 503 within seconds while PostgreSQL hangs, and 200 once it answers again', async () => {
    const { rows } = await admin.query<{ data: string }>(`select current_setting('data_directory') as data`);
    const postmaster = Number(readFileSync(join(rows[0]!.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // The whole server hangs: the postmaster first (it forks no new backend), then every process it
    // forked, so a connection the pool opened again meanwhile (pg-boss polls) hangs as well.
    process.kill(postmaster, 'SIGSTOP');
    const frozen = [postmaster, ...childrenOf(postmaster)];
    frozen.slice(1).forEach((pid) => process.kill(pid, 'SIGSTOP'));
    try {
      const started = Date.now();
      const hung = await readyz();
      const took = Date.now() - started;
      expect(hung.status).toBe(503);
      expect(hung.body).toEqual({ status: 'not ready', database: 'postgres', detail: 'timeout' });
      expect(took).toBeLessThan(4000);
    } finally {
      frozen.reverse().forEach((pid) => process.kill(pid, 'SIGCONT'));
    }
    await waitFor('readyz 200', async () => ((await readyz()).status === 200 ? true : undefined), 15_000);
    expect(escaped.map(String)).toEqual([]);
  }, 30_000);
});

/** The processes `parent` started (Linux: the fourth field of /proc/<pid>/stat is the parent's). */
function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(fields[1]) === parent;
      } catch {
        return false; // it ended while we looked
      }
    });
}

/**
 * Stop and start the throwaway cluster in place (same data, same port), as a database restart
 * would. test-support/postgres.ts knows only start and remove, so this reads where the cluster
 * lives from the server itself.
 */
async function restartable(client: pg.Client): Promise<{ stop(): void; start(): void }> {
  const bin = postgresBinDir()!;
  const { rows } = await client.query<{ data: string; port: string }>(
    `select current_setting('data_directory') as data, current_setting('port') as port`,
  );
  const data = rows[0]!.data;
  const port = rows[0]!.port;
  const run = (args: string[]) =>
    process.getuid?.() === 0
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, 'pg_ctl'), args, { stdio: 'pipe' });
  const socketDir = dirname(data);
  return {
    stop: () => run(['-D', data, '-m', 'fast', '-w', 'stop']),
    start: () =>
      run([
        '-D',
        data,
        '-o',
        `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        '-w',
        '-l',
        join(socketDir, 'log'),
        'start',
      ]),
  };
}

describe('the database layer on its own', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb({ databaseUrl: cluster.url, pgliteDir: null });
    await db.query('create table if not exists probe_writes (v text)');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('survives a connection terminated while a transaction holds it between statements', async () => {
    const outcome = await db
      .transaction(async (tx) => {
        await tx.query('select 1');
        await terminateAppConnections();
        await sleep(200); // the connection dies while the transaction waits for something else
        return tx.query('select 2');
      })
      .then(
        () => 'committed',
        (err: Error) => err.message,
      );
    expect(outcome).not.toBe('committed');
    expect(escaped.map(String)).toEqual([]);
    expect(await db.query('select 3 as n')).toEqual([{ n: 3 }]);
  });

  /** Terminates the connection running the statement marked `marker`, once it is running. */
  async function terminateWhileRunning(marker: string) {
    const pid = await waitFor(`${marker} running`, async () => {
      const { rows } = await admin.query<{ pid: number }>(
        `select pid from pg_stat_activity where query like $1 and pid <> pg_backend_pid() and state = 'active'`,
        [`%${marker}%`],
      );
      return rows[0]?.pid;
    });
    await admin.query('select pg_terminate_backend($1)', [pid]);
  }

  it('runs a read again once, on a new connection, when its connection is terminated under it', async () => {
    const read = db.query<{ marker: string }>(`select 'read-probe' as marker from pg_sleep(0.4)`);
    await terminateWhileRunning('read-probe');
    expect(await read).toEqual([{ marker: 'read-probe' }]);
    expect(escaped.map(String)).toEqual([]);
  });

  it('does not run a write again when its connection is terminated under it: the caller gets the error', async () => {
    await db.query('delete from probe_writes');
    const write = db.query(`insert into probe_writes (v) select 'write-probe' from pg_sleep(0.4)`).then(
      () => null,
      (err: Error & { code?: string }) => err,
    );
    await terminateWhileRunning('write-probe');
    const err = await write;
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '57P01' });
    // Not run twice, and PostgreSQL rolled the statement back with its connection.
    expect(await db.query('select count(*)::int as n from probe_writes')).toEqual([{ n: 0 }]);
    expect(await db.query('select 4 as n')).toEqual([{ n: 4 }]);
    expect(escaped.map(String)).toEqual([]);
  });
});
