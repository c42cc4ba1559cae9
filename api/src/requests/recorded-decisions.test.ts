// A decision Apono made is answered as made even when this app cannot write it down at once: the
// audit row and the decision record are written again once the database takes them. And a reason the
// database could never store is refused before Apono is asked.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { reseed, startTestServer, type TestServer } from '../test-support/server.js';

const databases = [{ name: 'PGlite' }, { name: 'PostgreSQL' }] as const;

/** Asks `read` until it gives something, for at most `ms`. */
async function eventually<T>(read: () => Promise<T | undefined>, ms = 8_000): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databases)('decisions written down on $name', ({ name }) => {
  let server: TestServer;
  let pg: TestPostgres | undefined;
  let alex: string;
  const lines: string[] = [];

  beforeAll(async () => {
    pg = name === 'PostgreSQL' ? await startPostgres() : undefined;
    const log = createLogger('debug', { write: (line: string) => void lines.push(line) });
    server = await startTestServer(pg ? { DATABASE_URL: pg.url } : {}, { log });
    alex = await server.signIn('alexw@example.com');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    pg?.stop();
  });

  beforeEach(async () => {
    await reseed(server);
    lines.length = 0;
  });

  const lastAuditId = async () =>
    Number((await server.db.query<{ id: unknown }>('select max(id) as id from decision_audit'))[0]?.id ?? 0);
  const auditSince = (id: number) =>
    server.db.query<{
      request_id: string;
      outcome: string;
      error_code: string | null;
      reason: string | null;
    }>('select request_id, outcome, error_code, reason from decision_audit where id > $1 order by id', [id]);

  it('an approver types a reason with a null character or half an emoji: 400 reason_invalid, nothing sent to Apono, the refusal audited', async () => {
    const since = await lastAuditId();
    for (const reason of ['ok\u0000', '\ud800x']) {
      const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', alex, { reason });
      expect(status).toBe(400);
      expect(body.error.code).toBe('reason_invalid');
      expect(body.error.message).toMatch(/cannot be stored.*Retype it without that character/);
    }
    expect(server.aponoDecisions).toEqual([]);
    const request = await server.call('GET', '/api/requests/AR-1001', alex);
    expect(request.body.request).toMatchObject({ state: 'waiting', viewer: { canDecide: true } });
    const rows = await auditSince(since);
    expect(rows.map((r) => [r.request_id, r.outcome, r.error_code])).toEqual([
      ['AR-1001', 'failure', 'reason_invalid'],
      ['AR-1001', 'failure', 'reason_invalid'],
    ]);
    expect(rows[0]!.reason).toBe('ok\ufffd');
  });

  it('an approval whose audit row cannot be written is answered as made, and the row is written once the table takes it again', async () => {
    const since = await lastAuditId();
    await server.db.query(
      `alter table decision_audit add constraint refuse_ar_1001 check (request_id <> 'AR-1001') not valid`,
    );
    let restored = false;
    try {
      const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
        reason: 'audit-me-later',
      });
      expect(status).toBe(200);
      expect(body.request.decision).toMatchObject({ outcome: 'approved', reason: 'audit-me-later' });
      expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1001', action: 'approve' }]);
      expect(await auditSince(since)).toEqual([]);
      await server.db.query('alter table decision_audit drop constraint refuse_ar_1001');
      restored = true;
      const rows = await eventually(async () => {
        const found = await auditSince(since);
        return found.length ? found : undefined;
      });
      expect(rows?.map((r) => [r.request_id, r.outcome, r.error_code, r.reason])).toEqual([
        ['AR-1001', 'success', null, 'audit-me-later'],
      ]);
      // Apono's decision stands, and the failed write was logged without the reason.
      const after = await server.call('GET', '/api/requests/AR-1001', alex);
      expect(after.body.request.decision).toMatchObject({ outcome: 'approved' });
      const log = lines.join('');
      expect(log).toContain('could not store the decision audit row');
      expect(log).not.toContain('audit-me-later');
    } finally {
      if (!restored) await server.db.query('alter table decision_audit drop constraint refuse_ar_1001');
    }
  });

  it('an approval whose decision record cannot be marked accepted is answered as made, and the record is accepted later', async () => {
    await server.db.query(
      `alter table app_decisions add constraint refuse_accepted check (state <> 'accepted') not valid`,
    );
    let restored = false;
    try {
      const { status, body } = await server.call('POST', '/api/requests/AR-1001/approve', alex, {
        reason: 'record-me-later',
      });
      expect(status).toBe(200);
      expect(body.request.decision).toMatchObject({ outcome: 'approved' });
      expect(server.aponoDecisions).toEqual([{ requestId: 'AR-1001', action: 'approve' }]);
      await server.db.query('alter table app_decisions drop constraint refuse_accepted');
      restored = true;
      const accepted = await eventually(async () => {
        const [row] = await server.db.query<{ reason: string | null }>(
          `select reason from app_decisions where request_id = $1 and state = 'accepted'`,
          [body.request.id],
        );
        return row;
      });
      expect(accepted).toEqual({ reason: 'record-me-later' });
      const after = await server.call('GET', '/api/requests/AR-1001', alex);
      expect(after.body.request.decision).toMatchObject({ outcome: 'approved', reason: 'record-me-later' });
      expect(lines.join('')).not.toContain('record-me-later');
    } finally {
      if (!restored) await server.db.query('alter table app_decisions drop constraint refuse_accepted');
    }
  });
});
