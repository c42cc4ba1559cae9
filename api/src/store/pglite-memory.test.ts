// The embedded database is made on first start in a child process (so initdb's memory leaves with it)
// and opened with small shared buffers; what was written is there after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from './db.js';

const dir = join(mkdtempSync(join(tmpdir(), 'pglite-')), 'pglite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded database on disk', () => {
  it('is created on first start, keeps its rows across a restart, and runs with 16 MB of shared buffers', async () => {
    const first = await openDb({ pgliteDir: dir });
    await first.query(`insert into decision_audit (tenant_id, object_id, user_email, request_id, action, outcome, latency_ms)
      values ('t', 'o', 'alexw@example.com', 'AR-1', 'approve', 'success', 1)`);
    await first.close();
    const again = await openDb({ pgliteDir: dir });
    const rows = await again.query<{ request_id: string }>('select request_id from decision_audit');
    const [setting] = await again.query<{ shared_buffers: string }>('show shared_buffers');
    await again.close();
    expect(rows.map((r) => r.request_id)).toEqual(['AR-1']);
    expect(setting?.shared_buffers).toBe('16MB');
  });
});
