// Instances of one deployment starting together on an empty PostgreSQL database: every one of them
// starts, and the schema is applied once, whole.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { openDb, type Db } from './db.js';
import { migrations } from './migrations.js';

const COLD_STARTS = 10;
const INSTANCES = 3;

let cluster: TestPostgres;
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

describe('first start of several instances on an empty PostgreSQL database', () => {
  it(`${INSTANCES} instances migrating at once all start, ${COLD_STARTS} cold starts in a row`, async () => {
    const log = createLogger('silent');
    /** What went wrong, by round; every round runs, so a failure says how often it happens. */
    const problems: string[] = [];
    const expected = migrations.map(({ id, name }) => ({ id, name }));
    for (let round = 0; round < COLD_STARTS; round++) {
      const name = `cold_start_${round}`;
      await admin.query(`create database ${name}`);
      const url = cluster.url.replace(/\/postgres$/, `/${name}`);
      const opened = await Promise.allSettled(
        Array.from({ length: INSTANCES }, () => openDb({ databaseUrl: url, pgliteDir: null, log })),
      );
      const dbs: Db[] = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      for (const o of opened)
        if (o.status === 'rejected') problems.push(`round ${round}: ${(o.reason as Error).message}`);
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      try {
        const applied = await check.query('select id, name from schema_migrations order by id');
        if (JSON.stringify(applied.rows) !== JSON.stringify(expected))
          problems.push(`round ${round}: schema_migrations holds ${JSON.stringify(applied.rows)}`);
        // Every step's tables are there.
        const tables = await check.query<{ n: number }>(
          `select count(*)::int as n from pg_tables where schemaname = 'public' and tablename in
            ('schema_migrations', 'decisions', 'decision_audit', 'teams_users', 'apono_requests', 'app_decisions')`,
        );
        if (tables.rows[0]!.n !== 6) problems.push(`round ${round}: ${tables.rows[0]!.n} of 6 tables`);
      } finally {
        await check.end();
        await Promise.all(dbs.map((db) => db.close()));
      }
    }
    const rounds = new Set(problems.map((p) => p.split(':')[0])).size;
    console.log(
      `cold starts: ${COLD_STARTS} rounds of ${INSTANCES} instances; ${COLD_STARTS - rounds} of ${COLD_STARTS} rounds clean, ${problems.length} problems`,
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('an instance starting on a migrated database finds every step applied and changes nothing', async () => {
    await admin.query('create database warm_start');
    const url = cluster.url.replace(/\/postgres$/, '/warm_start');
    const log = createLogger('silent');
    const first = await openDb({ databaseUrl: url, pgliteDir: null, log });
    const before = await first.query('select id, applied_at from schema_migrations order by id');
    const again = await Promise.all([1, 2].map(() => openDb({ databaseUrl: url, pgliteDir: null, log })));
    expect(await first.query('select id, applied_at from schema_migrations order by id')).toEqual(before);
    await Promise.all([first, ...again].map((db) => db.close()));
  });
});
