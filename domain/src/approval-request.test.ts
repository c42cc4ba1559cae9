import { describe, expect, it } from 'vitest';
import type { AponoAccessRequest } from './apono.js';
import { oldestFirst, toApprovalRequest, viewerDecided, whyApprover } from './approval-request.js';
import { formatDuration, formatWaited } from './format.js';

const alex = { email: 'alexw@example.com', aponoUserId: 'user-alex' };

function request(overrides: Partial<AponoAccessRequest> = {}): AponoAccessRequest {
  return {
    id: 'AR-1042',
    requestor: { id: 'user-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    grantee: { id: 'user-megan', source_id: 'meganb@example.com', display_name: 'Megan Bowen', type: 'user' },
    creation_time: 1796263265.85,
    status: { status: 'Pending', metadata: { access_flow_name: 'Production databases' } },
    justification: 'Investigating INC-2231',
    access_groups: [
      {
        id: 'ag-1',
        integration: {
          id: 'int-pg',
          type: 'postgresql',
          type_display_name: 'PostgreSQL',
          name: 'prod-postgres',
          icons: { png: '', svg: '' },
        },
        resource_types: [
          {
            id: 'db',
            name: 'Database',
            display_path: 'PostgreSQL/Database',
            allow_multiple_permissions: true,
            icons: { png: '', svg: '' },
          },
        ],
        has_new_credentials: false,
        status: { status: 'Success' },
        total_resources: 2,
        total_permissions: 1,
      },
    ],
    access_units_summary: [
      { resource_name: 'orders', permission_name: 'READ_ONLY' },
      { resource_name: 'payments', permission_name: 'READ_ONLY' },
    ],
    challenge: {
      logical_relation: 'AnyOf',
      approvers: [
        { name: 'SRE Leads', type: 'group', status: 'Pending', metadata: { includes_you: 'true' }, tier: 1 },
        {
          name: 'Adele Vance',
          type: 'user',
          status: 'Pending',
          metadata: { user_email: 'adelev@example.com' },
          tier: 1,
        },
      ],
    },
    duration_in_sec: 3600,
    require_approver_reason: true,
    extension_count: 0,
    extend_options: {
      can_extend: false,
      extension_availability: 'None',
      extend_duration_in_sec: 0,
      remaining_extensions: 0,
    },
    ...overrides,
  };
}

describe('mapping an Apono request to what an approver sees', () => {
  it('carries every field the approver needs', () => {
    const view = toApprovalRequest(request(), alex);
    expect(view).toMatchObject({
      id: 'AR-1042',
      status: 'PENDING',
      requester: { name: 'Megan Bowen', email: 'meganb@example.com' },
      accessFlow: 'Production databases',
      justification: 'Investigating INC-2231',
      durationSeconds: 3600,
      requireReason: true,
      totalResources: 2,
      totalPermissions: 1,
      accessUnitsComplete: true,
      viewer: { isRequester: false, canDecide: true, approverReasons: ['You are a member of SRE Leads'] },
      approval: { relation: 'AnyOf', currentTier: 1 },
      decision: null,
    });
    expect(view.integrations[0]).toMatchObject({ name: 'prod-postgres', typeDisplayName: 'PostgreSQL' });
    expect(view.accessUnits).toEqual([
      {
        resource: 'orders',
        resourcePath: null,
        resourceType: 'Database',
        integration: 'prod-postgres',
        permission: 'READ_ONLY',
      },
      {
        resource: 'payments',
        resourcePath: null,
        resourceType: 'Database',
        integration: 'prod-postgres',
        permission: 'READ_ONLY',
      },
    ]);
    expect(view.createdAt).toBe(new Date(1796263265850).toISOString());
  });

  it('says why, for every kind of approver entry', () => {
    expect(whyApprover({ type: 'user', name: 'Alex' })).toMatch(/named as an approver/);
    expect(whyApprover({ type: 'manager', name: 'Manager' })).toMatch(/manager/);
    expect(whyApprover({ type: 'resource_owner', name: 'orders' })).toMatch(
      /own the requested resource \(orders\)/,
    );
    expect(whyApprover({ type: 'integration_owner', name: 'prod-postgres' })).toMatch(/own the integration/);
    expect(whyApprover({ type: 'oncall', name: 'Payments primary' })).toMatch(/on call/);
  });

  it('never lets requesters decide their own request', () => {
    const view = toApprovalRequest(request(), { email: 'MEGANB@example.com' });
    expect(view.viewer).toMatchObject({ isRequester: true, canDecide: false, cannotDecide: 'requester' });
  });

  it('matches a user approver by email and does not offer a request whose entry already decided', () => {
    // Apono marks includes_you per caller; Adele's copy of the request names her only by email.
    const forAdele = request();
    forAdele.challenge!.approvers[0]!.metadata = {};
    const adele = toApprovalRequest(forAdele, { email: 'adelev@example.com' });
    expect(adele.viewer.approverReasons).toEqual(['You are named as an approver in this access flow']);
    const decided = request({
      status: {
        status: 'Approved',
        metadata: {
          decided_by_name: 'Adele Vance',
          decided_by_email: 'adelev@example.com',
          decided_at: '1796263300',
          reason: 'ok',
        },
      },
    });
    const view = toApprovalRequest(decided, alex);
    expect(view.viewer.canDecide).toBe(false);
    expect(view.decision).toEqual({
      outcome: 'approved',
      decidedBy: { name: 'Adele Vance', email: 'adelev@example.com' },
      decidedAt: new Date(1796263300000).toISOString(),
      reason: 'ok',
    });
  });

  it('reports a rejection and the escalated tier', () => {
    const model = request({
      status: { status: 'Rejected', metadata: {} },
      challenge: {
        logical_relation: 'AllOf',
        approvers: [
          { name: 'Team lead', type: 'user', status: 'Pending', metadata: {}, tier: 1 },
          {
            name: 'SRE Leads',
            type: 'group',
            status: 'Rejected',
            metadata: { decided_by_name: 'Alex Wilber' },
            tier: 2,
            tier_escalated_at: 1796263400,
          },
        ],
      },
    });
    const view = toApprovalRequest(model, alex);
    expect(view.approval?.currentTier).toBe(2);
    expect(view.viewer.cannotDecide).toBe('not_pending');
    expect(view.decision).toMatchObject({ outcome: 'rejected', decidedBy: { name: 'Alex Wilber' } });
  });

  it('does not let an approver of a later tier decide before Apono escalates to it', () => {
    const model = request({
      challenge: {
        logical_relation: 'AnyOf',
        approvers: [
          { name: 'DBA On-call', type: 'group', status: 'Pending', metadata: {}, tier: 1 },
          {
            name: 'Alex Wilber',
            type: 'user',
            status: 'Pending',
            metadata: { user_email: 'alexw@example.com' },
            tier: 2,
          },
        ],
      },
    });
    expect(toApprovalRequest(model, alex).viewer).toMatchObject({
      canDecide: false,
      cannotDecide: 'tier_not_reached',
    });
    model.challenge!.approvers[1]!.tier_escalated_at = 1000;
    expect(toApprovalRequest(model, alex).viewer).toMatchObject({ canDecide: true, cannotDecide: null });
  });

  it('marks the summary incomplete when Apono reports more resources than it listed', () => {
    const view = toApprovalRequest(
      request({ access_units_summary: [{ resource_name: 'orders', permission_name: 'RO' }] }),
      alex,
    );
    expect(view.accessUnitsComplete).toBe(false);
  });

  it("recognises the viewer's own recorded decision, not a colleague's", () => {
    const decidedBy = (name: string, email: string) =>
      request({
        status: {
          status: 'Approved',
          metadata: { decided_by_name: name, decided_by_email: email, decided_at: '1796263300' },
        },
      });
    expect(
      viewerDecided(toApprovalRequest(decidedBy('Alex Wilber', 'AlexW@example.com'), alex), 'approved'),
    ).toBe(true);
    expect(
      viewerDecided(toApprovalRequest(decidedBy('Alex Wilber', 'alexw@example.com'), alex), 'rejected'),
    ).toBe(false);
    expect(
      viewerDecided(toApprovalRequest(decidedBy('Adele Vance', 'adelev@example.com'), alex), 'approved'),
    ).toBe(false);
    const allOfMine = request({
      challenge: {
        logical_relation: 'AllOf',
        approvers: [
          {
            name: 'Alex Wilber',
            type: 'user',
            status: 'Approved',
            metadata: { user_email: 'alexw@example.com' },
          },
          {
            name: 'Adele Vance',
            type: 'user',
            status: 'Pending',
            metadata: { user_email: 'adelev@example.com' },
          },
        ],
      },
    });
    expect(viewerDecided(toApprovalRequest(allOfMine, alex), 'approved')).toBe(true);
    expect(viewerDecided(toApprovalRequest(allOfMine, { email: 'adelev@example.com' }), 'approved')).toBe(
      false,
    );
  });

  it('sorts oldest first', () => {
    const a = toApprovalRequest(request({ id: 'a', creation_time: 200 }), alex);
    const b = toApprovalRequest(request({ id: 'b', creation_time: 100 }), alex);
    expect([a, b].sort(oldestFirst).map((r) => r.id)).toEqual(['b', 'a']);
  });
});

describe('wording', () => {
  it('formats durations and waiting times', () => {
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(93600)).toBe('1 day 2 hours');
    expect(formatDuration(null)).toBe('No end date');
    expect(formatWaited('2026-01-01T00:00:00Z', new Date('2026-01-01T03:10:00Z'))).toBe('3 h');
    expect(formatWaited('2026-01-01T00:00:00Z', new Date('2026-01-01T00:00:20Z'))).toBe('just now');
  });
});
