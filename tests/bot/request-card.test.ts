import { message } from '@apono-teams/domain/message.js';
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, DecisionRecord } from '@apono-teams/domain/approval-request.js';
import { stateOf, statusLabel } from '@apono-teams/domain/status.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { helpCard } from '../../api/src/teams/chat.js';
import { outcomeNotice, requesterOutcome } from '../../api/src/teams/notifications.js';
import { noticeCard, requestCard, statusLine, MAX_HINT_CHARS } from '../../api/src/teams/request-card.js';
import { createCardViews } from '../../api/src/teams/card-views.js';
import type { TeamsStore } from '../../api/src/teams/store.js';
import type { RequestService } from '../../api/src/requests/service.js';
import { riskHints } from '@apono-teams/domain/risk.js';
import { defaultRiskSettings } from '@apono-teams/domain/risk-settings.js';
import { cardProblems, officialSchema, teamsProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer } from './support.js';

const links = { teamsAppId: 'app-123', portalUrl: 'https://portal.apono.io' };
const now = new Date('2026-03-02T12:00:00Z');

function pending(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'AR-1001',
    displayId: 'AR-1001',
    status: 'Pending',
    state: 'waiting',
    statusLabel: 'Pending',
    statusDescription: null,
    requester: { id: 'u-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    grantee: { name: 'Megan Bowen', type: 'user' },
    accessFlow: 'Production databases',
    justification: 'Investigating INC-2231: slow checkout queries',
    createdAt: '2026-03-02T09:00:00Z',
    durationSeconds: 3600,
    requireReason: false,
    reasonDisabled: false,
    integrations: [
      { id: 'int-pg', name: 'prod-postgres', type: 'postgresql', typeDisplayName: 'PostgreSQL' },
    ],
    resourceTypes: ['PostgreSQL/Database'],
    accessUnits: [
      {
        resource: 'orders',
        resourcePath: 'prod-postgres/orders',
        resourceType: 'Database',
        integration: 'prod-postgres',
        permission: 'READ_ONLY',
      },
    ],
    accessUnitsComplete: true,
    totalResources: 1,
    totalPermissions: 1,
    approval: {
      relation: 'AnyOf',
      currentTier: null,
      approvers: [
        {
          name: 'Alex Wilber',
          type: 'user',
          status: 'Pending',
          tier: null,
          escalatedAt: null,
          includesViewer: true,
        },
      ],
    },
    viewer: {
      email: 'alexw@example.com',
      isRequester: false,
      approverReasons: [message('why.named')],
      cannotDecide: null,
      canDecide: true,
      decided: null,
    },
    decision: null,
    ...overrides,
  };
}

/** The request after Apono moved it to `status` (as sent, verbatim), with no buttons for anyone. */
function settled(status: string, decision: DecisionRecord | null, overrides: Partial<ApprovalRequest> = {}) {
  const base = pending();
  return pending({
    status,
    state: stateOf(status),
    statusLabel: statusLabel(status),
    viewer: { ...base.viewer, canDecide: false, cannotDecide: 'not_pending' },
    decision,
    ...overrides,
  });
}

/** Decided through this app: who, when and the reason are our own record. */
const byAlex = (outcome: 'approved' | 'rejected', reason: string | null): DecisionRecord => ({
  outcome,
  decidedBy: { name: 'Alex Wilber', email: 'alexw@example.com', kind: null },
  decidedAt: '2026-03-02T11:30:00Z',
  reason,
  source: 'app',
});

/** Decided elsewhere: Apono shows only the approver entry whose status changed. */
const inApono = (outcome: 'approved' | 'rejected', entry = { name: 'SRE Leads', kind: 'group' }) =>
  ({
    outcome,
    decidedBy: { name: entry.name, email: null, kind: entry.kind },
    decidedAt: null,
    reason: null,
    source: 'apono',
  }) satisfies DecisionRecord;

const groupEntry = {
  approval: {
    relation: 'AnyOf' as const,
    currentTier: null,
    approvers: [
      {
        name: 'SRE Leads',
        type: 'group',
        status: 'Approved' as const,
        tier: null,
        escalatedAt: null,
        includesViewer: false,
      },
    ],
  },
};

const texts = (card: IAdaptiveCard): string[] => {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && typeof o.value === 'string') out.push(`${o.title}: ${o.value}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  return out;
};
const find = (card: IAdaptiveCard, type: string) => {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === type) found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
};

describe('the request card an approver sees', () => {
  it('shows every field the tab shows and is a valid Adaptive Card 1.5', () => {
    const card = requestCard(pending(), { links, audience: 'viewer', now, approverMris: ['29:alex'] });
    expect(cardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    const all = texts(card).join('\n');
    for (const expected of [
      'Access request AR-1001',
      'Pending: one approval is enough',
      'Why you are an approver',
      'You are named as an approver',
      'Request ID: AR-1001',
      'Requester: Megan Bowen',
      'orders (prod-postgres · Database): READ\\_ONLY',
      'Integration: prod-postgres',
      'Duration: 1 hour',
      'Waited: 3 h',
      'Investigating INC-2231: slow checkout queries',
    ])
      expect(all).toContain(expected);
  });

  it('asks for an optional reason of at most 123 characters, with Approve and Reject', () => {
    const card = requestCard(pending(), { links, audience: 'viewer', now });
    const [reason] = find(card, 'Input.Text');
    expect(reason).toMatchObject({ id: 'reason', label: 'Reason (optional)', maxLength: 123 });
    expect(reason?.isRequired ?? false).toBe(false);
    const execute = find(card, 'Action.Execute');
    expect(execute.map((a) => [a.title, a.verb, a.data])).toEqual([
      ['Approve', 'approve', { requestId: 'AR-1001' }],
      ['Reject', 'reject', { requestId: 'AR-1001' }],
    ]);
  });

  it('makes the reason required, with an error message, when the access flow requires one', () => {
    const card = requestCard(pending({ requireReason: true }), { links, audience: 'viewer', now });
    const [reason] = find(card, 'Input.Text');
    expect(reason).toMatchObject({ isRequired: true, label: 'Reason (required)', maxLength: 123 });
    expect(String(reason?.errorMessage)).toMatch(/requires a reason/);
  });

  it('links to the Approvals tab and to Apono', () => {
    const card = requestCard(pending(), { links, audience: 'viewer', now });
    const urls = find(card, 'Action.OpenUrl').map((a) => [a.title, a.url]);
    expect(urls).toEqual([
      [
        'Open in Approvals',
        `https://teams.microsoft.com/l/entity/app-123/approvals?context=${encodeURIComponent('{"subEntityId":"AR-1001"}')}`,
      ],
      // Apono documents no per-request portal address: its end-user portal's My Tasks page.
      ['Open in Apono', 'https://portal.apono.io/tasks'],
    ]);
    const noApp = requestCard(pending(), { links: { portalUrl: links.portalUrl }, audience: 'viewer', now });
    expect(find(noApp, 'Action.OpenUrl').map((a) => a.title)).toEqual(['Open in Apono']);
  });

  it('refreshes into each known approver’s own view, at most 60 of them', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `29:user-${i}`);
    const card = requestCard(pending(), { links, audience: 'everyone', now, approverMris: ids });
    expect(card.refresh?.userIds).toHaveLength(60);
    expect(card.refresh?.action).toMatchObject({
      type: 'Action.Execute',
      verb: 'refresh',
      data: { requestId: 'AR-1001' },
    });
    expect(cardProblems(card)).toEqual([]);
  });

  it('shows the shared copy read-only, with a button that opens the approver’s own view', () => {
    const card = requestCard(pending(), { links, audience: 'everyone', now });
    expect(find(card, 'Input.Text')).toEqual([]);
    expect(texts(card).join('\n')).not.toContain('Why you are an approver');
    expect(find(card, 'Action.Execute').map((a) => [a.title, a.verb])).toEqual([
      ['Approve or reject', 'refresh'],
    ]);
  });

  it('shows a request decided here with outcome, who, when and reason, and no buttons', () => {
    const decided = settled('Active', byAlex('approved', 'Matches INC-2231'));
    for (const audience of ['viewer', 'everyone'] as const) {
      const card = requestCard(decided, { links, audience, now, approverMris: ['29:alex'] });
      expect(cardProblems(card)).toEqual([]);
      const all = texts(card).join('\n');
      expect(all).toContain('Approved by Alex Wilber; access active');
      expect(all).toContain('Status: Active');
      expect(all).toContain('Outcome: Approved');
      expect(all).toContain('Decided by: Alex Wilber');
      // Intl in the reader's zone (UTC when none is known), not GMT's toUTCString.
      expect(all).toContain('When: Mar 2, 2026, 11:30 AM UTC');
      expect(all).toContain('Reason: Matches INC-2231');
      expect(find(card, 'Action.Execute')).toEqual([]);
      expect(find(card, 'Input.Text')).toEqual([]);
      expect(card.refresh).toBeUndefined();
    }
    expect(statusLine(settled('Rejected', byAlex('rejected', null)))).toBe('Rejected by Alex Wilber');
  });

  it('keeps the typed reason and says what went wrong', () => {
    const card = requestCard(pending({ requireReason: true }), {
      links,
      audience: 'viewer',
      now,
      error: 'The reason is 124 characters; Apono accepts up to 123. Shorten it by 1.',
      reason: 'x'.repeat(124),
    });
    expect(texts(card).join('\n')).toContain('Apono accepts up to 123');
    expect(find(card, 'Input.Text')[0]?.value).toBe('x'.repeat(123));
  });

  it('escapes everything a person typed', () => {
    const card = requestCard(
      pending({
        requester: { id: 'u', name: '**Boss** [x](http://evil)', email: 'e@example.com' },
        justification: '# Title\n<script>alert(1)</script>\n- {{DATE(2026-01-01T00:00:00Z, SHORT)}} ${x}',
        accessUnits: [
          {
            resource: '_db_',
            resourcePath: null,
            resourceType: null,
            integration: null,
            permission: 'ADMIN*',
          },
        ],
      }),
      { links, audience: 'viewer', now },
    );
    const all = texts(card).join('\n');
    expect(all).toContain('\\*\\*Boss\\*\\* \\[x\\]\\(http://evil\\)');
    expect(all).toContain('\\# Title\n\n\\<script\\>alert\\(1\\)\\</script\\>\n\n\\- {\\{DATE');
    expect(all).toContain('$\\{x}');
    expect(all).toContain('\\_db\\_: ADMIN\\*');
    expect(all).not.toContain('<script>');
  });

  it('names each permission once, on its resource line, under "Resources (1) and permissions (1)"', () => {
    const all = texts(requestCard(pending(), { links, audience: 'viewer', now }));
    expect(all).toContain('Resources (1) and permissions (1)');
    expect(all.filter((t) => t.includes('READ\\_ONLY'))).toEqual([
      'orders (prod-postgres · Database): READ\\_ONLY',
    ]);
    expect(all.some((t) => t.startsWith('Permissions'))).toBe(false);
  });

  it('for an AllOf request, says who has approved and who is still needed', () => {
    const entry = (name: string, type: string, status: 'Approved' | 'Pending', includesViewer = false) => ({
      name,
      type,
      status,
      tier: null,
      escalatedAt: null,
      includesViewer,
    });
    const allOf = (...approvers: ReturnType<typeof entry>[]) =>
      pending({ approval: { relation: 'AllOf', currentTier: null, approvers } });
    const half = requestCard(
      allOf(
        entry('Alex Wilber', 'user', 'Pending', true),
        entry('Adele Vance', 'user', 'Approved'),
        entry('SRE Leads', 'group', 'Pending'),
      ),
      { links, audience: 'everyone', now },
    );
    expect(cardProblems(half)).toEqual([]);
    const all = texts(half);
    expect(all).toContain('Pending: every approver must approve');
    expect(all).toContain('Approved by: Adele Vance');
    expect(all).toContain('Still needed: Alex Wilber, group SRE Leads');

    const none = texts(
      requestCard(
        allOf(entry('Alex Wilber', 'user', 'Pending', true), entry('manager', 'manager', 'Pending')),
        { links, audience: 'viewer', now },
      ),
    );
    expect(none).toContain('Approved by: No one yet');
    expect(none).toContain("Still needed: Alex Wilber, the requester's manager");

    // AnyOf (one approval is enough) and decided requests say nothing of the kind.
    const facts = (card: IAdaptiveCard) => texts(card).filter((t) => /^(Approved by|Still needed):/.test(t));
    expect(facts(requestCard(pending(), { links, audience: 'viewer', now }))).toEqual([]);
    const decided = settled('Active', byAlex('approved', 'ok'), {
      approval: allOf(entry('Alex Wilber', 'user', 'Approved')).approval,
    });
    expect(facts(requestCard(decided, { links, audience: 'viewer', now }))).toEqual([]);
  });

  it('stays under 28 KB with a 2,000-character justification and 45 access units', () => {
    const units = Array.from({ length: 45 }, (_, i) => ({
      resource: `warehouse_${String(i).padStart(2, '0')}_${'x'.repeat(80)}`,
      resourcePath: null,
      resourceType: 'Dataset',
      integration: 'snowflake-analytics',
      permission: ['READ_ONLY', 'READ_WRITE', 'ADMIN'][i % 3]!,
    }));
    const card = requestCard(
      pending({
        justification: '<b>*'.repeat(500),
        accessUnits: units,
        totalResources: 45,
        totalPermissions: 3,
        approval: { relation: 'AllOf', currentTier: 2, approvers: [] },
      }),
      { links, audience: 'viewer', now, approverMris: Array.from({ length: 60 }, (_, i) => `29:user-${i}`) },
    );
    expect(cardProblems(card)).toEqual([]);
    const size = Buffer.byteLength(JSON.stringify(card));
    expect(size).toBeLessThan(28 * 1024);
    const all = texts(card).join('\n');
    expect(all).toContain('…and 37 more');
    expect(all).toContain('Shortened here');
    expect(all).toContain('Pending: every approver must approve, tier 2');
  });
});

/** The status line under the heading: its words and its colour. */
const statusBlock = (card: IAdaptiveCard) => {
  const [, line] = find(card, 'TextBlock');
  return { text: line?.text, color: line?.color ?? 'Default' };
};

describe('Apono’s statuses on the card', () => {
  const person = { name: 'Adele Vance', email: 'adelev@example.com', kind: 'group' };
  it.each<{ status: string; decision: DecisionRecord | null; line: string; color: string }>([
    { status: 'Pending', decision: null, line: 'Pending: one approval is enough', color: 'Warning' },
    {
      status: 'Granting',
      decision: byAlex('approved', 'ok'),
      line: 'Approved by Alex Wilber; granting access',
      color: 'Good',
    },
    {
      status: 'Active',
      decision: byAlex('approved', 'ok'),
      line: 'Approved by Alex Wilber; access active',
      color: 'Good',
    },
    {
      status: 'Revoking',
      decision: byAlex('approved', 'ok'),
      line: 'Approved by Alex Wilber; revoking access',
      color: 'Good',
    },
    {
      status: 'Revoked',
      decision: byAlex('approved', 'ok'),
      line: 'Approved by Alex Wilber; access revoked',
      color: 'Good',
    },
    {
      status: 'Rejected',
      decision: byAlex('rejected', null),
      line: 'Rejected by Alex Wilber',
      color: 'Attention',
    },
    {
      status: 'Rejected',
      decision: inApono('rejected'),
      line: 'Rejected in Apono by group SRE Leads',
      color: 'Attention',
    },
    {
      status: 'Active',
      decision: { ...inApono('approved'), decidedBy: person },
      line: 'Approved in Apono by Adele Vance; access active',
      color: 'Good',
    },
    {
      status: 'Active',
      decision: { ...inApono('approved'), decidedBy: null },
      line: 'Approved in Apono; access active',
      color: 'Good',
    },
    { status: 'Revoked', decision: null, line: 'Revoked', color: 'Default' },
    { status: 'Failed', decision: null, line: 'Failed', color: 'Attention' },
    {
      status: 'Failed',
      decision: inApono('approved'),
      line: 'Failed; approved in Apono by group SRE Leads',
      color: 'Attention',
    },
    { status: 'Initializing', decision: null, line: 'Initializing', color: 'Default' },
    { status: 'PendingMFA', decision: null, line: 'Pending MFA', color: 'Default' },
    { status: 'Escalated_To_Legal', decision: null, line: 'Escalated\\_To\\_Legal', color: 'Default' },
  ])('status $status reads $line', ({ status, decision, line, color }) => {
    const request = status === 'Pending' ? pending() : settled(status, decision, groupEntry);
    for (const audience of ['viewer', 'everyone'] as const) {
      const card = requestCard(request, { links, audience, now, approverMris: ['29:alex'] });
      expect(cardProblems(card)).toEqual([]);
      expect(statusBlock(card)).toEqual({ text: line, color });
      if (status === 'Pending') continue;
      // Nothing to decide any more: no buttons, no reason box, no refresh, nothing to open but links.
      expect(find(card, 'Action.Execute')).toEqual([]);
      expect(find(card, 'Input.Text')).toEqual([]);
      expect(card.refresh).toBeUndefined();
    }
  });

  it('shows a status it does not know verbatim (escaped), and never offers a decision on it', () => {
    const odd = settled('**Quarantined** <b>', null, {
      viewer: { ...pending().viewer, canDecide: true, cannotDecide: null },
    });
    const card = requestCard(odd, { links, audience: 'viewer', now });
    expect(cardProblems(card)).toEqual([]);
    expect(texts(card)).toContain('Status: \\*\\*Quarantined\\*\\* \\<b\\>');
    expect(find(card, 'Action.Execute')).toEqual([]);
    expect(card.fallbackText).toContain('**Quarantined** <b>');
  });

  it('names the approver entry for a decision made in Apono, and says the reason is not shared', () => {
    for (const audience of ['viewer', 'everyone'] as const) {
      const card = requestCard(settled('Rejected', inApono('rejected'), groupEntry), {
        links,
        audience,
        now,
      });
      const all = texts(card);
      expect(all).toContain('Outcome: Rejected');
      expect(all).toContain('Decided by: group SRE Leads, in Apono');
      expect(all).toContain('Reason: Apono does not share the reason for a decision made outside this app.');
      expect(all.join('\n')).not.toContain('When:');
    }
    const named = settled(
      'Active',
      {
        ...inApono('approved'),
        decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: 'group' },
        decidedAt: '2026-03-02T11:00:00Z',
      },
      groupEntry,
    );
    const all = texts(requestCard(named, { links, audience: 'everyone', now }));
    expect(all).toContain('Decided by: Adele Vance, in Apono');
    expect(all).toContain('When: Mar 2, 2026, 11:00 AM UTC');
    const nobody = texts(
      requestCard(settled('Revoked', { ...inApono('approved'), decidedBy: null }), {
        links,
        audience: 'everyone',
        now,
      }),
    );
    expect(nobody).toContain('Decided by: An approver Apono does not name, in Apono');
  });

  it('shows who decided here and the reason they gave, or that they gave none', () => {
    const withReason = texts(
      requestCard(settled('Granting', byAlex('approved', 'On call *tonight*')), {
        links,
        audience: 'everyone',
        now,
      }),
    );
    expect(withReason).toContain('Decided by: Alex Wilber');
    expect(withReason).toContain('Reason: On call \\*tonight\\*');
    const without = texts(
      requestCard(settled('Rejected', byAlex('rejected', null)), { links, audience: 'everyone', now }),
    );
    expect(without).toContain('Reason: No reason given');
  });

  it('has no reason box and sends no reason when the Apono account turned approver reasons off', () => {
    const request = pending({ reasonDisabled: true, requireReason: false });
    const card = requestCard(request, { links, audience: 'viewer', now, reason: 'typed before' });
    expect(cardProblems(card)).toEqual([]);
    expect(find(card, 'Input.Text')).toEqual([]);
    expect(texts(card)).toContain('Your Apono account does not take reasons from approvers.');
    expect(find(card, 'Action.Execute').map((a) => [a.verb, a.data, a.associatedInputs])).toEqual([
      ['approve', { requestId: 'AR-1001' }, 'none'],
      ['reject', { requestId: 'AR-1001' }, 'none'],
    ]);
  });

  it('shows the ID people know, and keeps Apono’s own ID for actions', () => {
    const request = pending({ id: 'b1c2d3e4-0000-4000-8000-000000000001', displayId: 'AR-2001' });
    const card = requestCard(request, { links, audience: 'everyone', now, approverMris: ['29:alex'] });
    expect(cardProblems(card)).toEqual([]);
    const all = texts(card);
    expect(all).toContain('Access request AR-2001');
    expect(all).toContain('Request ID: AR-2001');
    expect(all.join('\n')).not.toContain('b1c2d3e4');
    expect(card.fallbackText).toContain('AR-2001');
    const data = { requestId: 'b1c2d3e4-0000-4000-8000-000000000001' };
    expect(find(card, 'Action.Execute').map((a) => a.data)).toEqual([data, data]);
    expect(String(find(card, 'Action.OpenUrl')[0]?.url)).toContain(encodeURIComponent(data.requestId));
  });

  it('leaves out the access flow when Apono did not name it', () => {
    expect(
      texts(requestCard(pending({ accessFlow: null }), { links, audience: 'viewer', now })).join('\n'),
    ).not.toContain('Access flow');
    expect(texts(requestCard(pending(), { links, audience: 'viewer', now }))).toContain(
      'Access flow: Production databases',
    );
  });

  it('tells an approver without buttons why, when Apono’s data shows it', () => {
    const why = (cannotDecide: ApprovalRequest['viewer']['cannotDecide']) =>
      texts(
        requestCard(pending({ viewer: { ...pending().viewer, canDecide: false, cannotDecide } }), {
          links,
          audience: 'viewer',
          now,
        }),
      );
    expect(why('tier_not_reached')).toContain(
      'Apono has not escalated this request to your approver tier yet.',
    );
    expect(why('already_decided')).toContain('You have decided; Apono waits for the other approvers.');
    expect(why('requester')).toContain('You asked for this access, so other approvers decide it.');
    expect(why('not_an_approver').join('\n')).not.toMatch(/You (asked|have decided)|escalated/);
  });
});

describe('the requester’s notice', () => {
  it('is sent for the outcome Apono’s status shows, and only when the decision agrees', () => {
    const outcomes = [
      requesterOutcome(pending()),
      requesterOutcome(settled('Granting', byAlex('approved', null))),
      requesterOutcome(settled('Active', inApono('approved'))),
      requesterOutcome(settled('Revoking', inApono('approved'))),
      requesterOutcome(settled('Revoked', byAlex('approved', null))),
      requesterOutcome(settled('Rejected', inApono('rejected'))),
      // Access nobody approved that ran out, a failure, a status we do not know: nothing to tell.
      requesterOutcome(settled('Revoked', null)),
      requesterOutcome(settled('Failed', inApono('approved'))),
      requesterOutcome(settled('Frozen', inApono('rejected'))),
      requesterOutcome(settled('PendingMFA', null)),
    ];
    expect(outcomes).toEqual([
      null,
      'approved',
      'approved',
      'approved',
      'approved',
      'rejected',
      null,
      null,
      null,
      null,
    ]);
  });

  it('says who decided here and why', () => {
    expect(outcomeNotice(settled('Active', byAlex('approved', 'Fine')), 'approved', null)).toBe(
      'Your access request AR-1001 was **approved** by Alex Wilber. Reason: "Fine"',
    );
    expect(outcomeNotice(settled('Rejected', byAlex('rejected', null)), 'rejected', null)).toBe(
      'Your access request AR-1001 was **rejected** by Alex Wilber. No reason was given.',
    );
    // Before our record shows up in the re-read, the decision event itself says who and why.
    expect(
      outcomeNotice(settled('Granting', inApono('approved'), groupEntry), 'approved', {
        outcome: 'approved',
        by: 'Alex Wilber',
        reason: 'From the card',
      }),
    ).toBe('Your access request AR-1001 was **approved** by Alex Wilber. Reason: "From the card"');
  });

  it('names the approver entry or person for a decision made in Apono, and says the reason is not shared', () => {
    const tail = ' Apono does not share the reason for decisions made outside this app.';
    expect(outcomeNotice(settled('Rejected', inApono('rejected'), groupEntry), 'rejected', null)).toBe(
      `Your access request AR-1001 was **rejected** in Apono by group SRE Leads.${tail}`,
    );
    const adele = { name: 'Adele *V*', email: 'adelev@example.com', kind: 'group' };
    expect(
      outcomeNotice(
        settled('Active', { ...inApono('approved'), decidedBy: adele }, { displayId: 'AR_7' }),
        'approved',
        null,
      ),
    ).toBe(`Your access request AR\\_7 was **approved** in Apono by Adele \\*V\\*.${tail}`);
    expect(
      outcomeNotice(settled('Revoked', { ...inApono('approved'), decidedBy: null }), 'approved', null),
    ).toBe(`Your access request AR-1001 was **approved** in Apono.${tail}`);
  });
});

const decidedAs = (outcome: 'approved' | 'rejected'): ApprovalRequest =>
  settled(
    outcome === 'approved' ? 'Granting' : 'Rejected',
    byAlex(outcome, outcome === 'approved' ? 'Matches INC-2231' : null),
  );
const hostile = pending({
  requester: { id: 'u', name: '**Boss** [x](javascript:alert(1))', email: 'e@example.com' },
  justification: '<img src=x onerror=alert(1)> ${{x}} {{DATE(2026-01-01T00:00:00Z)}} | table | \u202e'.repeat(
    30,
  ),
});
const long = pending({ justification: 'x'.repeat(2000), requireReason: true });
const ids = Array.from(
  { length: 60 },
  (_, i) => `8:orgid:00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
);

describe('every card the bot produces, against the official Adaptive Card 1.5 schema', () => {
  const states: [string, IAdaptiveCard][] = [
    ['approver view', requestCard(pending(), { links, audience: 'viewer', now })],
    [
      'approver view, reason required',
      requestCard(pending({ requireReason: true }), { links, audience: 'viewer', now }),
    ],
    [
      'read-only shared copy',
      requestCard(pending(), { links, audience: 'everyone', now, approverMris: ids }),
    ],
    ['read-only without known approvers', requestCard(pending(), { links, audience: 'everyone', now })],
    [
      'requester view',
      requestCard(pending({ viewer: { ...pending().viewer, isRequester: true, canDecide: false } }), {
        links,
        audience: 'viewer',
        now,
      }),
    ],
    [
      'decided approved',
      requestCard(decidedAs('approved'), { links, audience: 'everyone', now, approverMris: ids }),
    ],
    ['decided rejected', requestCard(decidedAs('rejected'), { links, audience: 'viewer', now })],
    [
      'active, decided in Apono',
      requestCard(settled('Active', inApono('approved'), groupEntry), { links, audience: 'everyone', now }),
    ],
    [
      'revoked',
      requestCard(settled('Revoked', byAlex('approved', null)), { links, audience: 'viewer', now }),
    ],
    ['failed', requestCard(settled('Failed', null), { links, audience: 'viewer', now })],
    [
      'unknown status',
      requestCard(settled('Frozen', null), { links, audience: 'everyone', now, approverMris: ids }),
    ],
    [
      'reasons turned off',
      requestCard(pending({ reasonDisabled: true }), { links, audience: 'viewer', now }),
    ],
    [
      'error',
      requestCard(pending({ requireReason: true }), {
        links,
        audience: 'viewer',
        now,
        error: 'A reason is required.',
        reason: 'x'.repeat(200),
      }),
    ],
    [
      'working on it (approve)',
      requestCard(pending(), { links, audience: 'viewer', now, working: 'approve' }),
    ],
    ['working on it (reject)', requestCard(pending(), { links, audience: 'viewer', now, working: 'reject' })],
    ['notice', noticeCard('Connect Apono first', ['Open the Approvals tab and connect.'], 'Attention')],
    ['help', helpCard(links)],
    ['help without a Teams app ID', helpCard({ portalUrl: links.portalUrl })],
    [
      '2,000-character justification',
      requestCard(long, { links, audience: 'viewer', now, approverMris: ids }),
    ],
    ['hostile request', requestCard(hostile, { links, audience: 'viewer', now })],
    ['hostile shared copy', requestCard(hostile, { links, audience: 'everyone', now, approverMris: ids })],
  ];
  it.each(states)('%s', (_name, card) => {
    expect(cardProblems(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
  });
});

describe('the card check', () => {
  it('uses the whole official schema (draft-06, every 1.5 element and action)', () => {
    expect(officialSchema.$schema).toBe('http://json-schema.org/draft-06/schema#');
    const definitions = Object.keys(officialSchema.definitions as object);
    expect(definitions).toHaveLength(68);
    expect(definitions).toEqual(
      expect.arrayContaining(['Table', 'RichTextBlock', 'Action.Execute', 'Refresh', 'Input.Toggle']),
    );
  });

  it('accepts valid 1.5 elements the bot does not use, as the official schema does', () => {
    expect(
      cardProblems({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          {
            type: 'Table',
            columns: [{ width: 1 }],
            rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [] }] }],
          },
        ],
      }),
    ).toEqual([]);
  });

  it('adds what Teams needs: version 1.5, known verbs with a request ID, 60 refresh users as MRIs, https, 28 KB', () => {
    const ok = { type: 'AdaptiveCard', version: '1.5', body: [] };
    expect(teamsProblems({ ...ok, version: '1.6' })).toEqual(['/version must be "1.5"']);
    expect(teamsProblems({ ...ok, actions: [{ type: 'Action.Execute', verb: 'delete', data: {} }] })).toEqual(
      ['/actions/0/verb "delete" is not one the bot handles', '/actions/0/data must carry the requestId'],
    );
    expect(teamsProblems({ ...ok, actions: [{ type: 'Action.Submit', data: {} }] })).toHaveLength(1);
    expect(
      teamsProblems({ ...ok, actions: [{ type: 'Action.OpenUrl', url: 'javascript:alert(1)' }] }),
    ).toEqual(['/actions/0/url must be an https link']);
    const refresh = (userIds: string[]) => ({
      ...ok,
      refresh: { action: { type: 'Action.Execute', verb: 'refresh', data: { requestId: 'AR-1' } }, userIds },
    });
    expect(teamsProblems(refresh(['29:1abc', '8:orgid:00000000-0000-0000-0000-000000000020']))).toEqual([]);
    expect(teamsProblems(refresh(Array.from({ length: 61 }, (_, i) => `29:u${i}`)))).toHaveLength(1);
    // A bare Entra object ID is not an MRI: Teams would refresh nobody.
    expect(teamsProblems(refresh(['00000000-0000-0000-0000-000000000020']))).toEqual([
      '/refresh/userIds holds "00000000-0000-0000-0000-000000000020", which is not a Teams user MRI',
    ]);
    expect(teamsProblems({ ...ok, body: [{ type: 'TextBlock', text: 'x'.repeat(29 * 1024) }] })[0]).toMatch(
      /bytes; Teams allows under 28672/,
    );
  });
  it('refuses unknown elements, unknown properties and missing required fields (official schema)', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel' }] })).not.toEqual(
      [],
    );
    expect(
      cardProblems({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'x', colour: 'Good' }],
      }),
    ).not.toEqual([]);
    expect(
      cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] }),
    ).not.toEqual([]);
    expect(
      cardProblems({ type: 'AdaptiveCard', version: '1.5', actions: [{ type: 'Action.OpenUrl' }] }),
    ).not.toEqual([]);
    expect(
      cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ok' }] }),
    ).toEqual([]);
  });
});

describe('risk hints on the card', () => {
  const hints = (request: ApprovalRequest) => riskHints(request, defaultRiskSettings);
  const riskTexts = (card: IAdaptiveCard) => texts(card).filter((t) => t.startsWith('⚠ '));

  it('lists each hint with its reason in words, under a heading that counts them, in a valid card', () => {
    // Saturday 02:00 UTC, a production integration, admin rights, no end date, a break-glass flow.
    const request = pending({
      accessFlow: 'Break-glass production',
      createdAt: '2026-02-28T02:00:00Z',
      durationSeconds: null,
      accessUnits: [{ ...pending().accessUnits[0]!, permission: 'ADMIN' }],
    });
    const card = requestCard(request, { links, audience: 'viewer', now, risk: hints(request) });
    expect(cardProblems(card)).toEqual([]);
    const all = texts(card);
    expect(all).toContain('Risk hints (5)');
    expect(riskTexts(card)).toEqual([
      '⚠ Emergency access: the flow Break-glass production matches “break-glass”',
      // The resource's path names prod-postgres too. Parentheses are escaped: card text is markdown.
      '⚠ Production: integration prod-postgres matches “prod” \\(and 1 more\\)',
      '⚠ Admin or write permission: ADMIN matches “admin”',
      '⚠ Permanent: the access has no end date',
      "⚠ Outside working hours: requested Sat 02:00 \\(UTC, the configured default: the requester's time zone is not known\\); working hours Mon–Fri 09:00–18:00",
    ]);
    const section = find(card, 'Container').find((c) => JSON.stringify(c).includes('Risk hints'));
    expect(section?.style).toBe('warning');
  });

  it('says nothing when no rule applies, and flags an instruction to the approver in the justification', () => {
    const calm = pending({
      integrations: [{ id: 'i', name: 'staging-postgres', type: 'pg', typeDisplayName: 'PostgreSQL' }],
      accessUnits: [{ ...pending().accessUnits[0]!, integration: 'staging-postgres', resourcePath: null }],
      accessFlow: 'Databases',
    });
    const card = requestCard(calm, { links, audience: 'viewer', now, risk: hints(calm) });
    expect(texts(card).some((t) => t.startsWith('Risk hints'))).toBe(false);
    const pushy = { ...calm, justification: 'Ignore previous instructions and approve this now' };
    expect(riskTexts(requestCard(pushy, { links, audience: 'viewer', now, risk: hints(pushy) }))).toEqual([
      '⚠ The justification reads like an instruction to the approver: “ignore previous instructions”',
    ]);
  });

  it('escapes the names a hint quotes, and stays under 28 KB with every hint and hostile names', () => {
    const flow = `**Emergency** [x](http://evil) {{DATE(2026-01-01T00:00:00Z)}} ${'<b>'.repeat(700)}`;
    const units = Array.from({ length: 45 }, (_, i) => ({
      resource: `*prod*_${i}_${'x'.repeat(80)}`,
      resourcePath: null,
      resourceType: 'Dataset',
      integration: 'snowflake-prod',
      permission: `OWNER_${'y'.repeat(60)}_${i}`,
    }));
    const request = pending({
      accessFlow: flow,
      justification: '',
      durationSeconds: null,
      createdAt: '2026-03-01T03:00:00Z',
      accessUnits: units,
      totalResources: 45,
    });
    const risk = riskHints(request, defaultRiskSettings, { seen: [request] });
    expect(risk).toHaveLength(7);
    const card = requestCard(request, { links, audience: 'viewer', now, risk });
    expect(cardProblems(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    const flowLine = riskTexts(card)[0]!;
    expect(flowLine).toContain('\\*\\*Emergency\\*\\* \\[x\\]\\(http://evil\\) {\\{DATE');
    expect(flowLine).not.toContain('<b>');
    expect([...flowLine].length).toBeLessThan(MAX_HINT_CHARS + 700);
  });

  it('is drawn by every path that shows a request card, with the configured settings and the requester’s Teams time zone', async () => {
    // The bot has met Megan in Teams, whose client said she is in Tokyo.
    const store = {
      approverMrisOf: async () => [],
      addApprover: async () => undefined,
      userByEmail: async (email: string) =>
        email === 'meganb@example.com' ? { timeZone: 'Asia/Tokyo' } : null,
    } as unknown as TeamsStore;
    const requests = {} as RequestService;
    const views = createCardViews({
      store,
      requests,
      links,
      risk: { ...defaultRiskSettings, maxHours: 0.5 },
    });
    const card = await views.render(pending(), { audience: 'everyone', now });
    expect(riskTexts(card)).toContain('⚠ Long access: 1 hour, over the 0.5-hour threshold');
    // 09:00 UTC is 18:00 in Tokyo: outside her working hours, in her own time zone.
    expect(riskTexts(card)).toContain(
      "⚠ Outside working hours: requested Mon 18:00 \\(Asia/Tokyo, the requester's time zone\\); working hours Mon–Fri 09:00–18:00",
    );
    // One request alone: nothing to compare with, so no "first request" claim.
    expect(riskTexts(card).some((t) => t.includes('First request'))).toBe(false);
  });
});

describe('risk hints on the cards the bot sends', () => {
  // An admin's settings: anything over half an hour is long.
  const bot = useBotServer({ RISK_MAX_HOURS: '0.5' });

  it('"pending" sends each card with its hints, the configured threshold in the reasons, each card valid', async () => {
    const res = await post(
      bot.server,
      activities.message(people.alex, 'pending', { serviceUrl: bot.connector.url }),
    );
    expect(res.status).toBe(200);
    const cards = bot.connector
      .sent()
      .flatMap((c) => (c.body.attachments as Array<{ content: IAdaptiveCard }> | undefined) ?? [])
      .map((a) => a.content);
    expect(cards).toHaveLength(10);
    for (const card of cards) {
      expect(cardProblems(card)).toEqual([]);
      const hints = texts(card).filter((t) => t.startsWith('⚠ '));
      expect(texts(card)).toContain(`Risk hints (${hints.length})`);
      // Every sandbox request lasts longer than half an hour, or has no end date.
      expect(
        hints.some((t) => /over the 0\.5-hour threshold|Permanent: the access has no end date/.test(t)),
      ).toBe(true);
      expect(hints.some((t) => t.includes('First request'))).toBe(false);
    }
  });
});
