import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { decideEach } from './bulk-decision.js';
import { approvedRequest, pendingRequest } from '../../../lib/test-requests.js';
import { testWords } from '../../../lib/test-words.js';

const words = { ...testWords('en'), errorText: errorMessage };

describe('a bulk decision', () => {
  it('fails only the request whose access flow requires a reason when the reason is empty', async () => {
    const sent: Array<[string, string | null]> = [];
    const results = await decideEach(
      [pendingRequest({ id: 'AR-1' }), pendingRequest({ id: 'AR-2', requireReason: true })],
      'approve',
      '  ',
      async (id, _decision, reason) => {
        sent.push([id, reason]);
        return approvedRequest({ id });
      },
      () => {},
      { words },
    );
    expect(sent).toEqual([['AR-1', null]]);
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      ['AR-1', true],
      ['AR-2', false],
    ]);
    expect(results[1]).toMatchObject({ message: expect.stringContaining('requires a reason for approval') });
  });

  it('reports a request someone else decided meanwhile as settled, with who decided', async () => {
    const [result] = await decideEach(
      [pendingRequest({ id: 'AR-3' })],
      'reject',
      'No ticket',
      async () => {
        throw new ApiError(409, 'already_decided', 'This request has already been decided.', {
          decision: {
            outcome: 'approved',
            decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: null },
            decidedAt: null,
            reason: 'On call',
            source: 'app',
          },
        });
      },
      () => {},
      { words },
    );
    expect(result).toMatchObject({ ok: false, settled: true });
    expect(result && !result.ok && result.message).toContain('Adele Vance approved it.');
  });

  it('sends no reason where the account turned approver reasons off, and names requests by their display ID', async () => {
    const sent: Array<string | null> = [];
    const results = await decideEach(
      [pendingRequest({ id: 'r-8f2c', displayId: 'AR-1042', reasonDisabled: true })],
      'reject',
      'typed before the setting changed',
      async (id, _decision, reason) => {
        sent.push(reason);
        return approvedRequest({ id });
      },
      () => {},
      { words },
    );
    expect(sent).toEqual([null]);
    expect(results[0]).toMatchObject({ id: 'r-8f2c', displayId: 'AR-1042', ok: true });
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
        return approvedRequest({ id });
      },
      () => {},
      { words, onWait: (s) => waits.push(s), sleep: async () => {} },
    );
    expect(result?.ok).toBe(true);
    expect(waits).toEqual([7]);
  });
});
