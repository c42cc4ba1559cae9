import type { DecisionRecord } from '@apono-teams/domain/approval-request.js';
import { describe, expect, it } from 'vitest';
import { deciderName, describeDecisionRecord, reasonNotShared } from './decision-record.js';

const date = (iso: string) => iso.slice(0, 10);

describe('a decision, in words', () => {
  it('made through this app: who, when and the reason', () => {
    const record: DecisionRecord = {
      outcome: 'approved',
      decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: null },
      decidedAt: '2026-01-02T09:00:00.000Z',
      reason: 'On call',
      source: 'app',
    };
    expect(deciderName(record, { withEmail: true })).toBe('Adele Vance (adelev@example.com)');
    expect(describeDecisionRecord(record, date)).toBe(
      'Adele Vance approved it on 2026-01-02. Their reason: “On call”.',
    );
  });

  it('made in Apono: the approver entry, no time when Apono gives none, and that the reason is not shared', () => {
    const record: DecisionRecord = {
      outcome: 'rejected',
      decidedBy: { name: 'SRE Leads', email: null, kind: 'Group' },
      decidedAt: null,
      reason: null,
      source: 'apono',
    };
    expect(deciderName(record)).toBe('group SRE Leads');
    expect(describeDecisionRecord(record, date)).toBe(
      `Rejected in Apono by group SRE Leads. ${reasonNotShared}`,
    );
    expect(deciderName({ ...record, decidedBy: { name: 'Manager', email: null, kind: 'manager' } })).toBe(
      "the requester's manager",
    );
  });

  it('made in Apono by a person a webhook named, or by nobody Apono shows', () => {
    const named: DecisionRecord = {
      outcome: 'approved',
      decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: 'group' },
      decidedAt: '2026-01-03T09:00:00.000Z',
      reason: null,
      source: 'apono',
    };
    expect(deciderName(named, { withEmail: true })).toBe('Adele Vance (adelev@example.com)');
    expect(describeDecisionRecord(named, date)).toBe(
      `Approved in Apono by Adele Vance on 2026-01-03. ${reasonNotShared}`,
    );
    expect(describeDecisionRecord({ ...named, decidedBy: null, decidedAt: null }, date)).toBe(
      `Approved in Apono. ${reasonNotShared}`,
    );
  });
});
