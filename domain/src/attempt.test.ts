import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, DecisionRecord, Outcome } from './approval-request.js';
import { attemptLanded } from './attempt.js';

/** Only what the rule reads; the rest of a request plays no part in it. */
function read(
  state: ApprovalRequest['state'],
  viewer: { canDecide: boolean; decided?: Outcome | null },
  decision: Outcome | null = null,
): ApprovalRequest {
  return {
    state,
    viewer: { canDecide: viewer.canDecide, decided: viewer.decided ?? null },
    decision: decision
      ? ({
          outcome: decision,
          decidedBy: null,
          decidedAt: null,
          reason: null,
          source: 'apono',
        } as DecisionRecord)
      : null,
  } as ApprovalRequest;
}

describe('a decision whose answer was lost', () => {
  it('landed when Apono shows that outcome for the request', () => {
    expect(attemptLanded(read('active', { canDecide: false }, 'approved'), 'approved')).toBe(true);
    expect(attemptLanded(read('rejected', { canDecide: false }, 'rejected'), 'rejected')).toBe(true);
  });

  it('did not land when the request was decided the other way', () => {
    expect(attemptLanded(read('rejected', { canDecide: false }, 'rejected'), 'approved')).toBe(false);
  });

  it("landed when Apono lists the person's own decision as that outcome", () => {
    expect(attemptLanded(read('waiting', { canDecide: false, decided: 'approved' }), 'approved')).toBe(true);
  });

  it('landed on an AllOf request still waiting for others when the person could decide before and no longer can', () => {
    const before = read('waiting', { canDecide: true });
    const after = read('waiting', { canDecide: false });
    expect(attemptLanded(after, 'approved', before)).toBe(true);
    // Without the read from before, "cannot decide" alone proves nothing (they may never have been asked).
    expect(attemptLanded(after, 'approved')).toBe(false);
    // A rejection ends the request; still waiting means it did not land.
    expect(attemptLanded(after, 'rejected', before)).toBe(false);
  });

  it('did not land while the person may still decide it', () => {
    const waiting = read('waiting', { canDecide: true });
    expect(attemptLanded(waiting, 'approved', waiting)).toBe(false);
  });
});
