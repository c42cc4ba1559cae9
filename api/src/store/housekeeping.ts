// Tables that only need recent rows are trimmed at start and every six hours. Each capability
// names its own chore (what to delete and why); this only runs them.
import type { Logger } from '../log.js';
import type { Db } from './db.js';

export interface Chore {
  name: string;
  sql: string;
}

export async function runChores(db: Db, log: Logger, chores: Chore[]): Promise<void> {
  for (const chore of chores) {
    await db
      .query(chore.sql)
      .catch((err: unknown) => log.warn({ err, chore: chore.name }, 'housekeeping failed'));
  }
}

/** Runs the chores now and every `everyMs`; returns the stop function. */
export function startHousekeeping(db: Db, log: Logger, chores: Chore[], everyMs = 6 * 3600_000): () => void {
  void runChores(db, log, chores);
  const timer = setInterval(() => void runChores(db, log, chores), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
