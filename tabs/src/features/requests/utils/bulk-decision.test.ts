import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client.js';
import { decideEach } from './bulk-decision.js';
import { pendingRequest } from './test-requests.js';

describe('a bulk decision', () => {
  it('fails only the request whose access flow requires a reason when the reason is empty', async () => {
    const sent: string[] = [];
    const results = await decideEach(
      [pendingRequest({ id: 'AR-1' }), pendingRequest({ id: 'AR-2', requireReason: true })],
      'approve',
      '  ',
      async (id) => {
        sent.push(id);
        return pendingRequest({ id, status: 'APPROVED' });
      },
    );
    expect(sent).toEqual(['AR-1']);
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      ['AR-1', true],
      ['AR-2', false],
    ]);
    expect(results[1]).toMatchObject({ message: expect.stringContaining('requires a reason for approval') });
  });

  it('reports a request someone else decided meanwhile as settled, with who decided', async () => {
    const [result] = await decideEach([pendingRequest({ id: 'AR-3' })], 'reject', 'No ticket', async () => {
      throw new ApiError(409, 'already_decided', 'This request has already been decided.', {
        decision: {
          outcome: 'approved',
          decidedBy: { name: 'Adele Vance', email: 'adelev@example.com' },
          decidedAt: null,
          reason: 'On call',
        },
      });
    });
    expect(result).toMatchObject({ ok: false, settled: true });
    expect(result && !result.ok && result.message).toContain('Adele Vance approved it.');
  });

  it('waits as told when decisions are rate-limited, then carries on', async () => {
    let calls = 0;
    const waits: number[] = [];
    const [result] = await decideEach(
      [pendingRequest({ id: 'AR-4' })],
      'approve',
      '',
      async (id) => {
        if (++calls === 1) throw new ApiError(429, 'rate_limited', 'Too many decisions.', undefined, 7);
        return pendingRequest({ id, status: 'APPROVED' });
      },
      () => {},
      { onWait: (s) => waits.push(s), sleep: async () => {} },
    );
    expect(result?.ok).toBe(true);
    expect(waits).toEqual([7]);
  });
});
