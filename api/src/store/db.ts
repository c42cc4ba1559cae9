// One small database interface over embedded PGlite (laptop, tests) and PostgreSQL (Azure), so the
// same SQL runs everywhere.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PoolClient } from 'pg';
import { createLogger, type Logger } from '../log.js';
import { migrate } from './migrations.js';

export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn in one transaction on one connection. */
  transaction<T>(fn: (tx: Pick<Db, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
  /**
   * PGlite only: the job queue's own way in (pg-boss's `db` option), which also runs scripts of
   * several statements. On PostgreSQL the queue opens its own pool from DATABASE_URL.
   */
  executeSql?(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number }>;
}

/**
 * PGlite's memory. Its PostgreSQL would keep shared_buffers at the default 128 MB, most of it touched
 * in time; a laptop's database of a few thousand rows needs far less (the WebAssembly heap itself
 * starts at 128 MB, PGlite's minimum).
 */
const PGLITE_SETTINGS = { postgresqlconf: 'shared_buffers=16MB' };

/**
 * A new PGlite database is made (initdb) in a short-lived child process: in this one, initdb's own
 * WebAssembly instance stays reachable after it finishes and holds ~500 MB for the server's life.
 */
function createPgliteDir(dir: string): void {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  mkdirSync(dir, { recursive: true });
  const script = `const { PGlite } = await import(process.argv[1]);
    await (await PGlite.create(process.argv[2])).close();`;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, import.meta.resolve('@electric-sql/pglite'), dir],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (child.status !== 0)
    throw new Error(
      `Could not create the PGlite database in ${dir}: ${child.stderr || child.error?.message}`,
    );
}

async function openPglite(dir: string | null): Promise<Db> {
  // PostgreSQL as WebAssembly (~9 MB): V8's baseline compiler alone keeps ~45 MB less resident than
  // with its optimising tier, and PGlite's short queries ran no slower here (0.37 vs 0.59-0.80 ms).
  // Set before PGlite compiles its module; only the embedded database runs this.
  setFlagsFromString('--liftoff-only');
  const { PGlite } = await import('@electric-sql/pglite');
  if (dir) createPgliteDir(dir);
  const pg = dir ? await PGlite.create(dir, PGLITE_SETTINGS) : await PGlite.create(PGLITE_SETTINGS);
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pg.query<T>(sql, params)).rows;
    },
    async transaction(fn) {
      return pg.transaction((tx) =>
        fn({
          query: async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows,
        }),
      );
    },
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length) {
        const result = await pg.query(text, values);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      }
      // Several statements, no parameters: the simple query protocol, answered by the last one.
      const results = await pg.exec(text);
      const last = results[results.length - 1];
      return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    },
    async close() {
      await pg.close();
    },
  };
}

/** How long a new PostgreSQL connection may take before the query waiting for it fails. */
/** A jsonb value: PostgreSQL and PGlite hand it back parsed, but a string is parsed all the same. */
export const jsonValue = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

export const CONNECT_TIMEOUT_MS = 5000;

const lostCodes = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a smart or fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
]);

/** The error says the connection to PostgreSQL is gone (or could not be made), not that the SQL failed. */
export function connectionLost(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || lostCodes.has(code))) return true;
  return /connection terminated|not queryable|timeout exceeded when trying to connect|connection (?:refused|reset)/i.test(
    err.message,
  );
}

/**
 * A statement that only reads, so running it twice is harmless: `select`, `show` or `values`, with no
 * data-modifying word and no row lock in it. Anything else may have taken effect before its connection
 * died, and is never run again behind the caller's back.
 */
export function readOnlyStatement(sql: string): boolean {
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  return (
    /^\s*\(?\s*(?:select|show|values)\b/i.test(text) &&
    !/\b(?:insert|update|delete|merge|truncate|nextval|setval|pg_advisory\w*|set_config)\b|\bfor\s+(?:no\s+key\s+)?(?:update|share|key\s+share)\b/i.test(
      text,
    )
  );
}

/** Errors from before anything reached PostgreSQL: the statement certainly did not run. */
const notSent = new WeakSet<object>();
const markNotSent = (err: unknown) => {
  if (typeof err === 'object' && err !== null) notSent.add(err);
  return err;
};

/** What to say about an error in a log line without the error's other fields (pg attaches the client). */
const brief = (err: unknown) =>
  err instanceof Error
    ? { message: err.message, code: (err as { code?: unknown }).code }
    : { message: String(err) };

/**
 * PostgreSQL through a pg Pool, which survives connections that die (a restart, a failover, an
 * admin's pg_terminate_backend):
 * - a connection that dies while idle in the pool is logged and dropped; the next query opens a new one;
 * - a connection that dies while in use fails only what was running on it, with the driver's error
 *   (the caller answers 500 / "try again" as for any database error); it is never put back in the pool;
 * - `query` runs a statement again once, on a new connection, when its connection was lost and running
 *   it again is certainly safe: it was never sent (no connection could be had, or the connection was
 *   already known dead), or it only reads (readOnlyStatement). A write whose connection died is never
 *   repeated: it may have been applied, and its caller decides;
 * - `transaction` opens its transaction again once if the connection is lost before `fn` starts; once
 *   `fn` has run, a lost connection fails the transaction (PostgreSQL rolls it back) and is not retried,
 *   because `fn` may have done other things than SQL. A lost connection during `commit` leaves the
 *   outcome unknown to this process, and the error says so to the caller.
 * - a connection that cannot be made within CONNECT_TIMEOUT_MS fails the query, so /readyz answers.
 */
async function openPostgres(url: string, log: Logger): Promise<Db> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // A peer that vanished without a reset (a failover, a dropped network) is noticed by TCP keepalive.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // Without a listener, an idle connection's error would be thrown as an uncaught 'error' event.
  pool.on('error', (err) =>
    log.warn(
      { db: brief(err) },
      'a PostgreSQL connection dropped while idle; the pool opens a new one for the next query',
    ),
  );
  // The pool listens to a connection only while it is idle, and queryOnce/transaction only once they
  // hold it. In between, an error can still arrive: a new connection's "ready" and a shutdown's FATAL
  // can come in one packet, parsed in one go before the connection reaches the code that asked for it.
  // This listener lasts the connection's life so that such an error is never thrown at the process;
  // the query then fails as "not queryable" (never sent, so it is run again on a new connection).
  pool.on('connect', (client) => {
    client.on('error', (err) =>
      log.debug({ db: brief(err) }, 'a PostgreSQL connection reported an error and is dropped'),
    );
  });

  async function connect(): Promise<PoolClient> {
    try {
      return await pool.connect();
    } catch (err) {
      throw markNotSent(err);
    }
  }

  /** Runs on a client until it is released, so an error on it is seen here and not thrown at the process. */
  function watch(client: PoolClient) {
    const state: { lost: Error | undefined } = { lost: undefined };
    const onError = (err: Error) => {
      state.lost ??= err;
    };
    client.on('error', onError);
    return {
      state,
      release() {
        client.off('error', onError);
        // With an error, the pool closes the connection instead of keeping it.
        client.release(state.lost);
      },
    };
  }

  async function queryOnce<T>(sql: string, params: unknown[]): Promise<T[]> {
    const client = await connect();
    const watched = watch(client);
    try {
      return (await client.query(sql, params)).rows as T[];
    } catch (err) {
      if (connectionLost(err)) {
        watched.state.lost ??= err as Error;
        if (/not queryable/i.test((err as Error).message)) markNotSent(err);
      }
      throw err;
    } finally {
      watched.release();
    }
  }

  /** The connection was lost and running the statement again is certainly safe. */
  const retryable = (err: unknown, sql: string) =>
    connectionLost(err) &&
    // A database that does not answer would make the caller wait twice as long, for nothing.
    !/timeout/i.test((err as Error).message) &&
    (notSent.has(err as object) || readOnlyStatement(sql));

  async function begin() {
    const client = await connect();
    const watched = watch(client);
    try {
      await client.query('begin');
      return { client, watched };
    } catch (err) {
      watched.state.lost ??= connectionLost(err) ? (err as Error) : undefined;
      watched.release();
      throw markNotSent(err);
    }
  }

  // Fail at start, not at the first request, when the database cannot be reached.
  await pool.query('select 1');
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      try {
        return await queryOnce<T>(sql, params);
      } catch (err) {
        if (!retryable(err, sql)) throw err;
        log.warn({ db: brief(err) }, 'a PostgreSQL connection was lost; running the statement again once');
        return queryOnce<T>(sql, params);
      }
    },
    async transaction(fn) {
      const { client, watched } = await begin().catch(async (err: unknown) => {
        if (!retryable(err, 'begin')) throw err;
        log.warn({ db: brief(err) }, 'a PostgreSQL connection was lost; opening the transaction again once');
        return begin();
      });
      try {
        const result = await fn({
          query: async <T>(sql: string, params: unknown[] = []) =>
            (await client.query(sql, params)).rows as T[],
        });
        await client.query('commit');
        return result;
      } catch (err) {
        if (connectionLost(err)) watched.state.lost ??= err as Error;
        // On a lost connection PostgreSQL has rolled back already; a failed rollback must not hide `err`.
        if (!watched.state.lost)
          await client.query('rollback').catch((rollbackErr: unknown) => {
            watched.state.lost ??= rollbackErr as Error;
          });
        throw err;
      } finally {
        watched.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * DATABASE_URL → PostgreSQL; otherwise PGlite in `dir` (null: in memory). Migrations run before it is
 * returned. `log` hears of connections lost and retried (without it, a logger at LOG_LEVEL).
 */
export async function openDb(options: {
  databaseUrl?: string | undefined;
  pgliteDir: string | null;
  log?: Logger | undefined;
}): Promise<Db> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.log ?? createLogger(process.env.LOG_LEVEL ?? 'info'))
    : await openPglite(options.pgliteDir);
  await migrate(db);
  return db;
}
