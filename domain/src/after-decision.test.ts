import { describe, expect, it } from 'vitest';
import { afterDecision, sameOutcome } from './after-decision.js';
import type { AponoAccessRequest, AponoApprover } from './apono.js';
import { toApprovalRequest } from './approval-request.js';

const alex = { email: 'alexw@example.com', name: 'Alex Wilber', aponoUserId: 'user-alex' };
const made = (outcome: 'approved' | 'rejected') => ({
  outcome,
  by: { name: 'Alex Wilber', email: 'alexw@example.com' },
  reason: 'Matches INC-2231',
  at: new Date('2026-12-03T08:00:00Z'),
});
const entry = (name: string, type = 'user', status: AponoApprover['status'] = 'Pending'): AponoApprover => ({
  name,
  type,
  status,
  metadata: {},
});

/** A request Alex reads as one of its approvers, pending, under `relation` with `approvers`. */
function pendingFor(relation: 'AnyOf' | 'AllOf', approvers: AponoApprover[]) {
  const model: AponoAccessRequest = {
    id: 'AR-1042',
    requestor: { id: 'user-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    creation_time: 1796263265,
    status: { status: 'Pending', metadata: {} },
    justification: 'Investigating INC-2231',
    access_groups: [],
    challenge: { logical_relation: relation, approvers },
    duration_in_sec: 3600,
    require_approver_reason: false,
  } as unknown as AponoAccessRequest;
  return toApprovalRequest(model, { viewer: alex, listedForViewer: true });
}

describe('a request right after Apono accepted the viewer’s decision', () => {
  it('a rejection ends it, with the decision as this app records it', () => {
    const after = afterDecision(
      pendingFor('AllOf', [entry('Alex Wilber'), entry('Adele Vance')]),
      made('rejected'),
    );
    expect(after).toMatchObject({
      status: 'Rejected',
      state: 'rejected',
      viewer: { canDecide: false, cannotDecide: 'not_pending', decided: 'rejected' },
      decision: {
        outcome: 'rejected',
        decidedBy: { name: 'Alex Wilber', email: 'alexw@example.com', kind: null },
        decidedAt: '2026-12-03T08:00:00.000Z',
        reason: 'Matches INC-2231',
        source: 'app',
      },
    });
    expect(after.approval!.approvers.map((a) => a.status)).toEqual(['Rejected', 'Pending']);
  });

  it('an approval under AnyOf ends it as Granting, Apono’s first status after approval', () => {
    const after = afterDecision(
      pendingFor('AnyOf', [entry('SRE Leads', 'group'), entry('Alex Wilber')]),
      made('approved'),
    );
    expect(after).toMatchObject({ status: 'Granting', state: 'granting', decision: { outcome: 'approved' } });
  });

  it('an approval under AllOf leaves it waiting for the others, the viewer having decided', () => {
    const after = afterDecision(
      pendingFor('AllOf', [entry('Alex Wilber'), entry('Adele Vance')]),
      made('approved'),
    );
    expect(after).toMatchObject({
      status: 'Pending',
      state: 'waiting',
      decision: null,
      viewer: { canDecide: false, cannotDecide: 'already_decided', decided: 'approved' },
    });
    expect(after.approval!.approvers.map((a) => a.status)).toEqual(['Approved', 'Pending']);
  });

  it('the last approval under AllOf ends it', () => {
    const before = pendingFor('AllOf', [entry('Adele Vance', 'user', 'Approved'), entry('Alex Wilber')]);
    expect(afterDecision(before, made('approved')).status).toBe('Granting');
  });

  it('leaves an entry that does not say it names the viewer as it was, so an AllOf stays pending', () => {
    const before = pendingFor('AllOf', [entry('SRE Leads', 'group')]);
    const after = afterDecision(before, made('approved'));
    expect(after.status).toBe('Pending');
    expect(after.approval!.approvers[0]!.status).toBe('Pending');
  });

  it('tells a read that shows the same outcome from one that does not', () => {
    const before = pendingFor('AnyOf', [entry('Alex Wilber')]);
    const answered = afterDecision(before, made('approved'));
    expect(sameOutcome(answered, answered)).toBe(true);
    expect(sameOutcome(answered, { ...answered, status: 'Active' })).toBe(false);
    expect(sameOutcome(answered, before)).toBe(false);
  });
});
