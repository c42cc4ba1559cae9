import { describe, expect, it } from 'vitest';
import type { AponoAccessRequest } from './apono.js';
import {
  mappingHoldsUntil,
  oldestFirst,
  toApprovalRequest,
  viewerDecided,
  type MappingContext,
} from './approval-request.js';
import { formatDuration, formatWaited } from './format.js';
import { inEnglish } from './read-catalogues.js';

const alex = { email: 'alexw@example.com', name: 'Alex Wilber', aponoUserId: 'user-alex' };
/** Alex, with the request listed under his MyTasks unless said otherwise. */
const asAlex = (extra: Partial<MappingContext> = {}): MappingContext => ({
  viewer: alex,
  listedForViewer: true,
  ...extra,
});

function request(overrides: Partial<AponoAccessRequest> = {}): AponoAccessRequest {
  return {
    id: 'AR-1042',
    requestor: { id: 'user-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    grantee: { id: 'user-megan', source_id: 'meganb@example.com', display_name: 'Megan Bowen', type: 'user' },
    creation_time: 1796263265.85,
    status: { status: 'Pending', metadata: {} },
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
        { name: 'SRE Leads', type: 'group', status: 'Pending', metadata: {}, tier: 1 },
        { name: 'Adele Vance', type: 'user', status: 'Pending', metadata: {}, tier: 1 },
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
  it('carries every field the approver needs, from the client model alone', () => {
    const view = toApprovalRequest(request(), asAlex());
    expect(view).toMatchObject({
      id: 'AR-1042',
      displayId: 'AR-1042',
      status: 'Pending',
      state: 'waiting',
      statusLabel: 'Pending',
      requester: { name: 'Megan Bowen', email: 'meganb@example.com' },
      accessFlow: null,
      justification: 'Investigating INC-2231',
      durationSeconds: 3600,
      requireReason: true,
      reasonDisabled: false,
      totalResources: 2,
      totalPermissions: 1,
      accessUnitsComplete: true,
      viewer: { isRequester: false, canDecide: true, decided: null },
      approval: { relation: 'AnyOf', currentTier: 1 },
      decision: null,
    });
    expect(view.integrations[0]).toMatchObject({ name: 'prod-postgres', typeDisplayName: 'PostgreSQL' });
    expect(view.accessUnits.map((u) => [u.resource, u.resourceType, u.integration, u.permission])).toEqual([
      ['orders', 'Database', 'prod-postgres', 'READ_ONLY'],
      ['payments', 'Database', 'prod-postgres', 'READ_ONLY'],
    ]);
    expect(view.createdAt).toBe(new Date(1796263265850).toISOString());
  });

  it('lets the viewer decide only what Apono lists under their MyTasks', () => {
    expect(toApprovalRequest(request(), asAlex({ listedForViewer: false })).viewer).toMatchObject({
      canDecide: false,
      cannotDecide: 'not_an_approver',
      approverReasons: [],
    });
  });

  it('never lets requesters decide their own request, even when Apono lists it', () => {
    const view = toApprovalRequest(request(), {
      viewer: { email: 'MEGANB@example.com' },
      listedForViewer: true,
    });
    expect(view.viewer).toMatchObject({ isRequester: true, canDecide: false, cannotDecide: 'requester' });
  });

  describe('why you are the approver, claiming no more than the data shows', () => {
    it('a user entry with your name says you are named', () => {
      const adele = { email: 'adelev@example.com', name: 'Adele Vance' };
      const view = toApprovalRequest(request(), { viewer: adele, listedForViewer: true });
      expect(view.viewer.approverReasons.map(inEnglish)).toEqual(['You are named as an approver']);
      expect(view.approval?.approvers.map((a) => a.includesViewer)).toEqual([false, true]);
    });

    it('a user entry with your email says you are named', () => {
      const model = request();
      model.challenge!.approvers[1]!.name = 'alexw@example.com';
      expect(toApprovalRequest(model, asAlex()).viewer.approverReasons.map(inEnglish)).toEqual([
        'You are named as an approver',
      ]);
    });

    it("otherwise names the current tier's pending entries with their kind", () => {
      const model = request({
        challenge: {
          logical_relation: 'AnyOf',
          approvers: [
            { name: 'SRE Leads', type: 'group', status: 'Pending', metadata: {}, tier: 1 },
            { name: 'Manager', type: 'manager', status: 'Pending', metadata: {}, tier: 1 },
            { name: 'Platform Admins', type: 'group', status: 'Pending', metadata: {}, tier: 2 },
          ],
        },
      });
      expect(toApprovalRequest(model, asAlex()).viewer.approverReasons.map(inEnglish)).toEqual([
        "Apono asks you as one of: group SRE Leads, the requester's manager",
      ]);
    });

    it('uses what a webhook delivery said about which entry named whom', () => {
      const view = toApprovalRequest(
        request(),
        asAlex({
          facts: {
            approvers: [
              {
                entry: 'SRE Leads',
                kind: 'group',
                status: 'Pending',
                person: { name: 'Alex Wilber', email: 'ALEXW@example.com' },
                at: null,
              },
            ],
          },
        }),
      );
      expect(view.viewer.approverReasons.map(inEnglish)).toEqual([
        'Apono named you as an approver through group SRE Leads',
      ]);
      expect(view.approval?.approvers[0]?.includesViewer).toBe(true);
    });

    it('claims nothing for a request Apono does not list for you', () => {
      expect(
        toApprovalRequest(request(), asAlex({ listedForViewer: false })).viewer.approverReasons.map(
          inEnglish,
        ),
      ).toEqual([]);
    });
  });

  describe('statuses', () => {
    it.each([
      ['Initializing', 'initializing', 'Initializing', null],
      ['Pending', 'waiting', 'Pending', null],
      ['PendingMFA', 'pending_mfa', 'Pending MFA', null],
      ['Granting', 'granting', 'Granting access', 'approved'],
      ['Active', 'active', 'Active', 'approved'],
      ['Revoking', 'revoking', 'Revoking access', 'approved'],
      ['Revoked', 'revoked', 'Revoked', 'approved'],
      ['Rejected', 'rejected', 'Rejected', 'rejected'],
      ['Failed', 'failed', 'Failed', null],
      ['Quarantined', 'unknown', 'Quarantined', null],
    ])('%s is %s, shown as "%s"', (status, state, label, outcome) => {
      const model = request({ status: { status, metadata: {} } });
      if (status !== 'Pending')
        model.challenge!.approvers[0]!.status =
          outcome === 'rejected' ? 'Rejected' : outcome === 'approved' ? 'Approved' : 'Pending';
      const view = toApprovalRequest(model, asAlex());
      expect(view).toMatchObject({ status, state, statusLabel: label });
      expect(view.decision?.outcome ?? null).toBe(outcome);
      expect(view.viewer.canDecide).toBe(state === 'waiting');
    });

    it('access revoked with no approver entry approved (expired unanswered) is no decision', () => {
      const view = toApprovalRequest(request({ status: { status: 'Revoked', metadata: {} } }), asAlex());
      expect(view).toMatchObject({ state: 'revoked', decision: null, viewer: { canDecide: false } });
    });

    it('a failed grant after an approval still shows the approval', () => {
      const model = request({ status: { status: 'Failed', metadata: {} } });
      model.challenge!.approvers[0]!.status = 'Approved';
      expect(toApprovalRequest(model, asAlex()).decision?.outcome).toBe('approved');
    });
  });

  describe('who decided, when and why', () => {
    const approvedBySre = () => {
      const model = request({ status: { status: 'Active', metadata: {} } });
      model.challenge!.approvers[0]!.status = 'Approved';
      return model;
    };

    it('a decision made through this app shows who, when and the reason', () => {
      const at = '2026-12-01T10:00:00.000Z';
      const view = toApprovalRequest(
        approvedBySre(),
        asAlex({
          decisions: [
            {
              outcome: 'approved',
              by: { name: 'Adele Vance', email: 'adelev@example.com' },
              reason: 'ok',
              at,
            },
          ],
        }),
      );
      expect(view.decision).toEqual({
        outcome: 'approved',
        decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: null },
        decidedAt: at,
        reason: 'ok',
        source: 'app',
      });
    });

    it('a decision made elsewhere names the approver entry and has no reason', () => {
      expect(toApprovalRequest(approvedBySre(), asAlex()).decision).toEqual({
        outcome: 'approved',
        decidedBy: { name: 'SRE Leads', email: null, kind: 'group' },
        decidedAt: null,
        reason: null,
        source: 'apono',
      });
    });

    it("a decision made elsewhere names the webhook's approver when the template carries one", () => {
      const view = toApprovalRequest(
        approvedBySre(),
        asAlex({
          facts: {
            approvers: [
              {
                entry: 'SRE Leads',
                kind: 'group',
                status: 'Approved',
                person: { name: 'Isaiah Langer', email: 'isaiah@example.com' },
                at: '2026-12-01T09:00:00.000Z',
              },
            ],
          },
        }),
      );
      expect(view.decision).toMatchObject({
        decidedBy: { name: 'Isaiah Langer', email: 'isaiah@example.com', kind: 'group' },
        decidedAt: '2026-12-01T09:00:00.000Z',
        reason: null,
        source: 'apono',
      });
    });

    it('a pending AllOf request half approved has no final decision yet', () => {
      const model = request({
        challenge: { logical_relation: 'AllOf', approvers: request().challenge!.approvers },
      });
      model.challenge!.approvers[1]!.status = 'Approved';
      expect(toApprovalRequest(model, asAlex()).decision).toBeNull();
    });
  });

  it('shows the friendly ID and flow name a webhook delivery told, and keeps the client API ID', () => {
    const view = toApprovalRequest(
      request({ id: '3f1c2a9e-6b7d-4e1f-9a0b-1c2d3e4f5a6b' }),
      asAlex({ facts: { friendlyId: 'AR-1042', accessFlow: 'Production databases' } }),
    );
    expect(view).toMatchObject({
      id: '3f1c2a9e-6b7d-4e1f-9a0b-1c2d3e4f5a6b',
      displayId: 'AR-1042',
      accessFlow: 'Production databases',
    });
  });

  it('honours an account that turned approver reasons off', () => {
    const view = toApprovalRequest(request(), asAlex({ reasonDisabled: true }));
    expect(view).toMatchObject({ requireReason: false, reasonDisabled: true });
  });

  it('a later tier cannot decide before Apono escalates to it', () => {
    const model = request({
      challenge: {
        logical_relation: 'AnyOf',
        approvers: [
          { name: 'DBA On-call', type: 'group', status: 'Pending', metadata: {}, tier: 1 },
          { name: 'Alex Wilber', type: 'user', status: 'Pending', metadata: {}, tier: 2 },
        ],
      },
    });
    expect(toApprovalRequest(model, asAlex({ listedForViewer: false })).viewer).toMatchObject({
      canDecide: false,
      cannotDecide: 'tier_not_reached',
    });
    model.challenge!.approvers[1]!.tier_escalated_at = 1000;
    expect(toApprovalRequest(model, asAlex()).viewer).toMatchObject({ canDecide: true, cannotDecide: null });
  });

  it('marks the summary incomplete when Apono reports more resources than it listed', () => {
    const view = toApprovalRequest(
      request({ access_units_summary: [{ resource_name: 'orders', permission_name: 'RO' }] }),
      asAlex(),
    );
    expect(view.accessUnitsComplete).toBe(false);
  });

  it("recognises the viewer's own decision, not a colleague's", () => {
    const active = request({ status: { status: 'Active', metadata: {} } });
    const by = (name: string, email: string) =>
      asAlex({
        decisions: [{ outcome: 'approved', by: { name, email }, reason: null, at: '2026-12-01T00:00:00Z' }],
      });
    expect(viewerDecided(toApprovalRequest(active, by('Alex Wilber', 'AlexW@example.com')), 'approved')).toBe(
      true,
    );
    expect(viewerDecided(toApprovalRequest(active, by('Alex Wilber', 'alexw@example.com')), 'rejected')).toBe(
      false,
    );
    expect(
      viewerDecided(toApprovalRequest(active, by('Adele Vance', 'adelev@example.com')), 'approved'),
    ).toBe(false);
    const allOfMine = request({
      challenge: {
        logical_relation: 'AllOf',
        approvers: [
          { name: 'Alex Wilber', type: 'user', status: 'Approved', metadata: {} },
          { name: 'Adele Vance', type: 'user', status: 'Pending', metadata: {} },
        ],
      },
    });
    const mine = toApprovalRequest(allOfMine, asAlex());
    expect(viewerDecided(mine, 'approved')).toBe(true);
    expect(mine.viewer.cannotDecide).toBe('already_decided');
    const adele = { email: 'adelev@example.com', name: 'Adele Vance' };
    expect(
      viewerDecided(toApprovalRequest(allOfMine, { viewer: adele, listedForViewer: true }), 'approved'),
    ).toBe(false);
  });

  it('sorts oldest first', () => {
    const a = toApprovalRequest(request({ id: 'a', creation_time: 200 }), asAlex());
    const b = toApprovalRequest(request({ id: 'b', creation_time: 100 }), asAlex());
    expect([a, b].sort(oldestFirst).map((r) => r.id)).toEqual(['b', 'a']);
  });
});

describe('wording', () => {
  it('formats durations and waiting times', () => {
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(93600)).toBe('1 day 2 hours');
    expect(formatDuration(7200, 'de-DE')).toBe('2 Stunden');
    expect(formatDuration(null)).toBeNull();
    expect(formatWaited('2026-01-01T00:00:00Z', new Date('2026-01-01T03:10:00Z'))).toBe('3 hr');
    expect(formatWaited('2026-01-01T00:00:00Z', new Date('2026-01-01T00:00:20Z'))).toBe('now');
  });
});

describe('how long a mapping holds with nothing else changing', () => {
  const tiered = (escalatedAt: Array<number | null>) =>
    request({
      challenge: {
        approvers: escalatedAt.map((at, i) => ({
          name: `Tier ${i + 1}`,
          type: 'group',
          status: 'Pending',
          tier: i + 1,
          tier_escalated_at: at,
        })),
      } as AponoAccessRequest['challenge'],
    });
  const now = new Date('2026-12-03T12:00:00Z');
  const inSeconds = (s: number) => now.getTime() / 1000 + s;

  it('holds for ever when no tier opens later, and until the first tier still ahead otherwise', () => {
    expect(mappingHoldsUntil(request(), now)).toBe(Infinity);
    expect(mappingHoldsUntil(tiered([null, inSeconds(-60)]), now)).toBe(Infinity);
    expect(mappingHoldsUntil(tiered([null, inSeconds(30), inSeconds(10)]), now)).toBe(now.getTime() + 10_000);
  });
});
