import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { helpCard } from '../../api/src/teams/chat.js';
import { noticeCard, requestCard, statusLine } from '../../api/src/teams/request-card.js';
import { cardProblems, officialSchema, teamsProblems } from './adaptive-card-schema.js';

const links = { teamsAppId: 'app-123', portalUrl: 'https://app.apono.io' };
const now = new Date('2026-03-02T12:00:00Z');

function pending(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'AR-1001',
    status: 'PENDING',
    statusDescription: null,
    requester: { id: 'u-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    grantee: { name: 'Megan Bowen', type: 'user' },
    accessFlow: 'Production databases',
    justification: 'Investigating INC-2231: slow checkout queries',
    createdAt: '2026-03-02T09:00:00Z',
    durationSeconds: 3600,
    requireReason: false,
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
      approverReasons: ['You are named as an approver in this access flow'],
      cannotDecide: null,
      canDecide: true,
    },
    decision: null,
    ...overrides,
  };
}

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
    const card = requestCard(pending(), { links, audience: 'viewer', now, approverIds: ['oid-alex'] });
    expect(cardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    const all = texts(card).join('\n');
    for (const expected of [
      'Access request AR-1001',
      'Pending: one approval is enough',
      'Why you are an approver',
      'You are named as an approver in this access flow',
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
      ['Open in Apono', 'https://app.apono.io/access-requests/AR-1001'],
    ]);
    const noApp = requestCard(pending(), { links: { portalUrl: links.portalUrl }, audience: 'viewer', now });
    expect(find(noApp, 'Action.OpenUrl').map((a) => a.title)).toEqual(['Open in Apono']);
  });

  it('refreshes into each known approver’s own view, at most 60 of them', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `oid-${i}`);
    const card = requestCard(pending(), { links, audience: 'everyone', now, approverIds: ids });
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

  it('shows a decided request with outcome, who, when and reason, and no buttons', () => {
    const decided = pending({
      status: 'APPROVED',
      viewer: { ...pending().viewer, canDecide: false },
      decision: {
        outcome: 'approved',
        decidedBy: { name: 'Alex Wilber', email: 'alexw@example.com' },
        decidedAt: '2026-03-02T11:30:00Z',
        reason: 'Matches INC-2231',
      },
    });
    for (const audience of ['viewer', 'everyone'] as const) {
      const card = requestCard(decided, { links, audience, now, approverIds: ['oid-alex'] });
      expect(cardProblems(card)).toEqual([]);
      const all = texts(card).join('\n');
      expect(all).toContain('Approved by Alex Wilber');
      expect(all).toContain('Outcome: Approved');
      expect(all).toContain('Decided by: Alex Wilber');
      expect(all).toContain('When: Mon, 02 Mar 2026 11:30:00 GMT');
      expect(all).toContain('Reason: Matches INC-2231');
      expect(find(card, 'Action.Execute')).toEqual([]);
      expect(find(card, 'Input.Text')).toEqual([]);
      expect(card.refresh).toBeUndefined();
    }
    expect(
      statusLine({ ...decided, status: 'REJECTED', decision: { ...decided.decision!, outcome: 'rejected' } }),
    ).toBe('Rejected by Alex Wilber');
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
      { links, audience: 'viewer', now, approverIds: Array.from({ length: 60 }, (_, i) => `oid-${i}`) },
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

const decidedAs = (outcome: 'approved' | 'rejected'): ApprovalRequest =>
  pending({
    status: outcome === 'approved' ? 'APPROVED' : 'REJECTED',
    viewer: { ...pending().viewer, canDecide: false },
    decision: {
      outcome,
      decidedBy: { name: 'Alex Wilber', email: 'alexw@example.com' },
      decidedAt: '2026-03-02T11:30:00Z',
      reason: outcome === 'approved' ? 'Matches INC-2231' : null,
    },
  });
const hostile = pending({
  requester: { id: 'u', name: '**Boss** [x](javascript:alert(1))', email: 'e@example.com' },
  justification: '<img src=x onerror=alert(1)> ${{x}} {{DATE(2026-01-01T00:00:00Z)}} | table | \u202e'.repeat(
    30,
  ),
});
const long = pending({ justification: 'x'.repeat(2000), requireReason: true });
const ids = Array.from({ length: 60 }, (_, i) => `oid-${i}`);

describe('every card the bot produces, against the official Adaptive Card 1.5 schema', () => {
  const states: [string, IAdaptiveCard][] = [
    ['approver view', requestCard(pending(), { links, audience: 'viewer', now })],
    [
      'approver view, reason required',
      requestCard(pending({ requireReason: true }), { links, audience: 'viewer', now }),
    ],
    ['read-only shared copy', requestCard(pending(), { links, audience: 'everyone', now, approverIds: ids })],
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
      requestCard(decidedAs('approved'), { links, audience: 'everyone', now, approverIds: ids }),
    ],
    ['decided rejected', requestCard(decidedAs('rejected'), { links, audience: 'viewer', now })],
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
      requestCard(long, { links, audience: 'viewer', now, approverIds: ids }),
    ],
    ['hostile request', requestCard(hostile, { links, audience: 'viewer', now })],
    ['hostile shared copy', requestCard(hostile, { links, audience: 'everyone', now, approverIds: ids })],
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

  it('adds what Teams needs: version 1.5, known verbs with a request ID, 60 refresh users, https, 28 KB', () => {
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
    expect(teamsProblems(refresh(['a']))).toEqual([]);
    expect(teamsProblems(refresh(Array.from({ length: 61 }, (_, i) => `u${i}`)))).toHaveLength(1);
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
