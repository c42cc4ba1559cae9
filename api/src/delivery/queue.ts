// Durable work on PostgreSQL with pg-boss 10 (the newest line that runs on Node 20): what Apono's
// webhook and the app's own decisions set off is a job in the database, not a promise in memory. A
// job is claimed with a lease (expireInSeconds); one whose instance died is taken over once the
// lease runs out. Failures are retried with exponential backoff; a job that keeps failing ends in
// the dead-letter queue, kept for an admin to see and send again. On the embedded default the same
// queue runs on PGlite through pg-boss's `db` option (one connection, shared with the app).
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';

export const DEAD_LETTERS = 'dead-letters';

export interface DeliveryOptions {
  db: Db;
  /** PostgreSQL: pg-boss opens its own small pool here. Absent on PGlite. */
  databaseUrl?: string | undefined;
  log: Logger;
  /** How long a claimed job may run before another instance takes it over. */
  leaseSeconds: number;
  retryLimit: number;
  /** How often expired leases are noticed and old jobs archived. */
  maintenanceSeconds: number;
  pollingSeconds?: number;
}

/** What a job carries: the queue it belongs to travels with it, so a dead letter can go back. */
interface Envelope<T> {
  queue: string;
  payload: T;
}

/** A UUID derived from a stable key: sending the same key twice makes one job (pg-boss ignores the repeat). */
export function jobIdFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** pg-boss's `db` for a statement inside one of our transactions (send in the same commit). */
const inTransaction = (tx: Pick<Db, 'query'>): PgBoss.Db => ({
  executeSql: async (text, values) => ({ rows: await tx.query(text, values) }),
});

export function createDelivery(options: DeliveryOptions) {
  const { db, log } = options;
  const common = {
    supervise: true,
    schedule: false,
    migrate: true,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
  };
  const boss = options.databaseUrl
    ? new PgBoss({
        ...common,
        connectionString: options.databaseUrl,
        max: 4,
        application_name: 'apono-teams-delivery',
      })
    : new PgBoss({
        ...common,
        db: {
          executeSql: (text, values) => {
            if (!db.executeSql) throw new Error('this database cannot run the job queue');
            return db.executeSql(text, values);
          },
        },
      });
  boss.on('error', (err) => log.warn({ err: err.message }, 'job queue error'));
  const queues = new Set<string>();
  const workers = new Map<string, Array<{ nudge: () => void }>>();
  let started = false;
  const pollMs = (options.pollingSeconds ?? 1) * 1000;
  let probeTimer: NodeJS.Timeout | undefined;

  /**
   * One look at the queue for every worker here, each poll: which queues hold work that is due (sent
   * by another instance, a retry whose backoff ran out, work scheduled for now). Only those are
   * fetched. On PGlite every statement runs on the app's own thread, and each worker fetching on
   * its own (pg-boss's fetch is a write) cost the idle server about half its CPU and held up
   * requests behind it; work sent here is nudged at once and waits for no poll.
   */
  async function probe(): Promise<void> {
    const names = [...workers.keys()];
    if (!names.length) return;
    // Through pg-boss's own connections, as its fetches went: the app's pool is left to the app.
    const { rows } = (await boss.getDb().executeSql(
      `select distinct name from pgboss.job
        where name = any($1) and state in ('created', 'retry') and start_after <= now()`,
      [names],
    )) as { rows: Array<{ name: string }> };
    for (const { name } of rows) for (const worker of workers.get(name) ?? []) worker.nudge();
  }
  function watch(): void {
    if (probeTimer || !started) return;
    const tick = () => {
      probe()
        .catch((err: unknown) =>
          log.warn({ err: (err as Error).message }, 'the job queue could not be read; trying again'),
        )
        .finally(() => {
          if (started) probeTimer = setTimeout(tick, pollMs);
        });
    };
    probeTimer = setTimeout(tick, pollMs);
  }

  async function ensureQueue(name: string): Promise<void> {
    if (queues.has(name)) return;
    await boss.createQueue(name, {
      name,
      retryLimit: options.retryLimit,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: options.leaseSeconds,
      retentionDays: 7,
      ...(name === DEAD_LETTERS ? {} : { deadLetter: DEAD_LETTERS }),
    });
    queues.add(name);
  }

  return {
    async start(): Promise<void> {
      await boss.start();
      await ensureQueue(DEAD_LETTERS);
      started = true;
    },

    async stop(): Promise<void> {
      if (!started) return;
      started = false;
      clearTimeout(probeTimer);
      probeTimer = undefined;
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },

    /**
     * Queues work under a stable key (the same key twice is one job), in `tx` when given, so that
     * it is committed together with what set it off. Returns false for a repeat.
     */
    async send<T>(
      queue: string,
      key: string,
      payload: T,
      tx?: Pick<Db, 'query'>,
      options: { startAfterSeconds?: number } = {},
    ): Promise<boolean> {
      await ensureQueue(queue);
      const envelope: Envelope<T> = { queue, payload };
      const id = await boss.send(queue, envelope as object, {
        id: jobIdFor(`${queue}|${key}`),
        ...(tx ? { db: inTransaction(tx) } : {}),
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      });
      return id !== null;
    },

    /** Whether the job of this key was ever queued (waiting, running, done or archived). */
    async has(queue: string, key: string): Promise<boolean> {
      const id = jobIdFor(`${queue}|${key}`);
      const rows = await db.query(
        `select 1 from pgboss.job where name = $1 and id = $2
         union all select 1 from pgboss.archive where name = $1 and id = $2 limit 1`,
        [queue, id],
      );
      return rows.length > 0;
    },

    /**
     * Runs `handler` for each job of the queue, up to `concurrency` at once here; a throw retries the
     * job later. A webhook delivery mostly waits, on Apono and on Teams: one at a time, with Apono
     * 50 ms away, 100 deliveries took 30 s (several calls to Apono each, in series). Other instances
     * work the same queue at the same time anyway, so handlers are already safe side by side.
     * Our own fetch/complete/fail loop rather than boss.work(), whose complete and fail calls are not
     * awaited: with the database down they reject with nobody listening, which kills a process.
     */
    async work<T>(
      queue: string,
      handler: (payload: T) => Promise<void>,
      { concurrency = 1 }: { concurrency?: number } = {},
    ): Promise<void> {
      await ensureQueue(queue);
      const worker = { fetching: false, again: false };
      const running = new Set<Promise<void>>();
      const run = async (job: PgBoss.Job<Envelope<T>>) => {
        try {
          await handler(job.data.payload);
          await boss.complete(queue, job.id);
        } catch (err) {
          await boss.fail(queue, job.id, { message: (err as Error).message ?? String(err) });
        }
      };
      const loop = async () => {
        if (worker.fetching) {
          worker.again = true;
          return;
        }
        worker.fetching = true;
        try {
          for (;;) {
            worker.again = false;
            if (!started) return;
            if (running.size >= concurrency) {
              await Promise.race(running);
              continue;
            }
            const jobs = await boss.fetch<Envelope<T>>(queue, { batchSize: concurrency - running.size });
            if (!jobs.length) break;
            for (const job of jobs) {
              const done: Promise<void> = run(job)
                .catch((err: unknown) =>
                  log.warn(
                    { err: (err as Error).message, queue },
                    'a job could not be marked done or failed; its lease will run out and it runs again',
                  ),
                )
                .finally(() => running.delete(done));
              running.add(done);
            }
          }
        } catch (err) {
          log.warn({ err: (err as Error).message, queue }, 'the job queue could not be read; trying again');
        } finally {
          worker.fetching = false;
          if (worker.again && started) void loop();
        }
      };
      workers.set(queue, [...(workers.get(queue) ?? []), { nudge: () => void loop() }]);
      void loop();
      watch();
    },

    /** Work was just committed: this instance's workers look now rather than at their next poll. */
    nudge(queue: string): void {
      for (const worker of workers.get(queue) ?? []) worker.nudge();
    },

    /**
     * Jobs waiting, running or due for a retry (for tests and a clean stop); not those scheduled for
     * later on purpose (a decision's check, due after its grace), which are no work in progress.
     */
    async pending(): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `select count(*)::int as n from pgboss.job where name <> $1 and state in ('created', 'active', 'retry')
           and not (state = 'created' and start_after > now())`,
        [DEAD_LETTERS],
      );
      return Number(rows[0]?.n ?? 0);
    },

    /** Queued, retrying, running and dead jobs per queue, and the last error of each queue. */
    async report() {
      const counts = await db.query<{ name: string; state: string; n: number }>(
        `select name, state, count(*)::int as n from pgboss.job where state <> 'completed' group by name, state`,
      );
      const errors = await db.query<{ name: string; output: unknown; at: string }>(
        `select distinct on (name) name, output, coalesce(completed_on, started_on, created_on) as at
           from pgboss.job where state in ('retry', 'failed') order by name, coalesce(completed_on, started_on, created_on) desc`,
      );
      const queues: Record<string, Record<string, number>> = {};
      for (const row of counts) (queues[row.name] ??= {})[row.state] = Number(row.n);
      return {
        queues,
        dead: Object.values(queues[DEAD_LETTERS] ?? {}).reduce((a, b) => a + b, 0),
        lastErrors: errors.map((e) => ({
          queue: e.name,
          error: String((e.output as { message?: unknown } | null)?.message ?? e.output ?? ''),
          at: new Date(e.at).toISOString(),
        })),
      };
    },

    /** Sends every dead letter back to the queue it came from; returns how many. */
    async retryDead(): Promise<number> {
      const dead = await db.query<{ id: string; data: unknown }>(
        `select id, data from pgboss.job where name = $1 and state in ('created', 'retry', 'failed')`,
        [DEAD_LETTERS],
      );
      let sent = 0;
      for (const row of dead) {
        const envelope = (
          typeof row.data === 'string' ? JSON.parse(row.data) : row.data
        ) as Envelope<unknown>;
        await ensureQueue(envelope.queue);
        await boss.send(envelope.queue, envelope as object, {});
        await boss.deleteJob(DEAD_LETTERS, row.id);
        sent++;
      }
      return sent;
    },

    /**
     * Whether the queue is being worked: false when work waits more than `lateSeconds` past its
     * start time (no instance is taking jobs) or the queue's tables cannot be read.
     */
    async healthy(lateSeconds = 120): Promise<boolean> {
      if (!started) return false;
      const late = await db.query<{ n: number }>(
        `select count(*)::int as n from pgboss.job
          where name <> $1 and state in ('created', 'retry') and start_after < now() - make_interval(secs => $2)`,
        [DEAD_LETTERS, lateSeconds],
      );
      return Number(late[0]?.n ?? 0) === 0;
    },

    /** The sandbox's reset: every job, queued or kept, is forgotten with the world it was about. */
    async clear(): Promise<void> {
      await db.query('delete from pgboss.job');
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
