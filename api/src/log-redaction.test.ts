// Reasons, tokens and keys never reach a log line, at LOG_LEVEL=debug too, also through the errors
// the database hands back: PGlite's carry the statement and its parameters, PostgreSQL's carry row
// values in `detail` ("Failing row contains (...)").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from './log.js';
import { openDb, type Db } from './store/db.js';
import { startPostgres, type TestPostgres } from './test-support/postgres.js';
import { startTestServer } from './test-support/server.js';

/** A logger at debug whose lines the test reads. */
function capture(): { log: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return { log, lines, text: () => lines.join('') };
}

const SECRET = 'hunter2-SECRET-REASON';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig-TOKEN-0000';
const KEY = 'sk_live_KEY_4242424242';

/** The audit insert the request service makes, with a reason that names a token and a key. */
const auditInsert =
  'insert into decision_audit (tenant_id, object_id, user_email, request_id, action, reason, outcome, error_code, latency_ms) values ($1,$2,$3,$4,$5,$6,$7,$8,$9)';
const auditParams = (reason: string, outcome: string | null) => [
  'tenant',
  'object',
  'alexw@example.com',
  'AR-1001',
  'approve',
  reason,
  outcome,
  null,
  12,
];

/** The real error a query gives, or a failure of the test if it gives none. */
async function dbError(db: Db, sql: string, params: unknown[]): Promise<Error> {
  const err = await db.query(sql, params).then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (!err) throw new Error(`expected "${sql}" to fail`);
  return err;
}

function expectClean(text: string) {
  for (const leaked of [SECRET, TOKEN, KEY]) expect(text).not.toContain(leaked);
}

const databases = [{ name: 'PGlite' }, { name: 'PostgreSQL' }] as const;

describe.each(databases)('database errors logged at debug on $name', ({ name }) => {
  let pg: TestPostgres | undefined;
  let db: Db;

  beforeAll(async () => {
    pg = name === 'PostgreSQL' ? await startPostgres() : undefined;
    db = await openDb({ databaseUrl: pg?.url, pgliteDir: null, log: createLogger('silent') });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    pg?.stop();
  });

  /** The errors this database gives for a decision insert that fails with the reason in it. */
  async function failures(): Promise<Array<{ what: string; err: Error }>> {
    const reason = `approved: ${SECRET} ${TOKEN} ${KEY}`;
    return [
      // A NUL byte: PostgreSQL refuses the text (22021).
      {
        what: 'NUL in the reason',
        err: await dbError(db, auditInsert, auditParams(`${reason}\0`, 'approved')),
      },
      // A missing outcome: 23502, whose detail repeats the whole row, reason included.
      { what: 'not-null violation', err: await dbError(db, auditInsert, auditParams(reason, null)) },
    ];
  }

  it('the errors themselves hold the reason (so the test would see a leak)', async () => {
    const [nul, notNull] = await failures();
    // pg's errors do not carry the parameters; PGlite's do.
    if (name === 'PGlite') expect(JSON.stringify({ ...nul!.err })).toContain(SECRET);
    expect(JSON.stringify({ ...notNull!.err })).toContain(SECRET);
  });

  it('logged as the code logs them ({ err }), under other keys, as a cause and alone: no reason, token or key', async () => {
    const { log, lines, text } = capture();
    for (const { what, err } of await failures()) {
      log.error({ err }, 'could not store the decision audit record');
      log.warn({ err, chore: what }, 'housekeeping failed');
      log.error({ error: err }, 'under another key');
      log.error({ context: { attempt: 1, failures: [err] } }, 'nested in an object and an array');
      log.error({ err: new Error('could not decide', { cause: err }) }, 'as a cause');
      log.error(
        { err: new Error('twice removed', { cause: new Error('wrapped', { cause: err }) }) },
        'deeper',
      );
      log.error({ err: new AggregateError([err], 'several') }, 'aggregate');
      log.error(err);
      log.debug({ err, reason: SECRET }, 'with a reason beside it');
    }
    expect(lines).toHaveLength(18);
    expectClean(text());
    // What failed is still said: the SQLSTATE and the message.
    const first = JSON.parse(lines[0]!);
    expect(first.err.code).toBe('22021');
    expect(first.err.message).toMatch(/invalid byte sequence/);
    if (name === 'PGlite') {
      expect(first.err.query).toBe('[redacted]');
      expect(first.err.params).toBe('[redacted]');
    }
    const notNull = JSON.parse(lines[9]!);
    expect(notNull.err).toMatchObject({ code: '23502', detail: '[redacted]' });
  });

  it('the error the code holds afterwards is unchanged (only the log line is scrubbed)', async () => {
    const { log } = capture();
    const { err } = (await failures())[1]!;
    log.error({ err }, 'logged');
    expect(JSON.stringify({ ...err })).toContain(SECRET);
  });
});

describe('a running server at LOG_LEVEL=debug, deciding with hostile reasons', () => {
  it('logs no reason, token or key, whatever becomes of the decision', async () => {
    const { log, text } = capture();
    const server = await startTestServer({ LOG_LEVEL: 'debug' }, { log });
    try {
      const alex = await server.signIn('alexw@example.com');
      const reasons = [
        `ok ${SECRET}\0${TOKEN}`, // NUL byte: the database refuses it
        `ok ${SECRET} \ud800 ${KEY}`, // lone surrogate
        `ok \u202e${SECRET}\u202c ${TOKEN}`, // bidi override
        `${SECRET} ${'x'.repeat(400)} ${KEY}`,
      ];
      const pending = await server.call('GET', '/api/requests', alex);
      const ids = (pending.body.requests as Array<{ id: string }>).map((r) => r.id).slice(0, reasons.length);
      expect(ids.length).toBeGreaterThan(0);
      const statuses: number[] = [];
      for (const [i, reason] of reasons.entries()) {
        const id = ids[i % ids.length]!;
        statuses.push((await server.call('POST', `/api/requests/${id}/approve`, alex, { reason })).status);
        await server.call('GET', `/api/requests/${id}`, alex);
      }
      await server.call('GET', '/api/requests/history', alex);
      expect(statuses).toHaveLength(reasons.length);
      const all = text();
      expect(all.length).toBeGreaterThan(0);
      expectClean(all);
      expect(all).not.toContain(alex);
    } finally {
      await server.close();
    }
  });
});
