import type { DecisionRecord } from '@apono-teams/domain/approval-request.js';
import { describe, expect, it } from 'vitest';
import { deciderName, describeDecisionRecord } from './decision-record.js';
import { testWords } from './test-words.js';

const words = { ...testWords('en'), dateTime: (iso: string) => iso.slice(0, 10) };
const reasonNotShared = words.t('decision.reasonNotShared');

describe('a decision, in words', () => {
  it('made through this app: who, when and the reason', () => {
    const record: DecisionRecord = {
      outcome: 'approved',
      decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: null },
      decidedAt: '2026-01-02T09:00:00.000Z',
      reason: 'On call',
      source: 'app',
    };
    expect(deciderName(record, words, { withEmail: true })).toBe('Adele Vance (adelev@example.com)');
    expect(describeDecisionRecord(record, words)).toBe(
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
    expect(deciderName(record, words)).toBe('group SRE Leads');
    expect(describeDecisionRecord(record, words)).toBe(
      `Rejected in Apono by group SRE Leads. ${reasonNotShared}`,
    );
    expect(
      deciderName({ ...record, decidedBy: { name: 'Manager', email: null, kind: 'manager' } }, words),
    ).toBe("the requester's manager");
  });

  it('made in Apono by a person a webhook named, or by nobody Apono shows', () => {
    const named: DecisionRecord = {
      outcome: 'approved',
      decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: 'group' },
      decidedAt: '2026-01-03T09:00:00.000Z',
      reason: null,
      source: 'apono',
    };
    expect(deciderName(named, words, { withEmail: true })).toBe('Adele Vance (adelev@example.com)');
    expect(describeDecisionRecord(named, words)).toBe(
      `Approved in Apono by Adele Vance on 2026-01-03. ${reasonNotShared}`,
    );
    expect(describeDecisionRecord({ ...named, decidedBy: null, decidedAt: null }, words)).toBe(
      `Approved in Apono. ${reasonNotShared}`,
    );
  });
});

describe('a decision, in German', () => {
  it('is worded from the German catalogue, the name and reason as typed', () => {
    const de = { ...testWords('de'), dateTime: (iso: string) => iso.slice(0, 10) };
    const record: DecisionRecord = {
      outcome: 'rejected',
      decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: null },
      decidedAt: '2026-01-02T09:00:00.000Z',
      reason: 'Nicht nötig',
      source: 'app',
    };
    expect(describeDecisionRecord(record, de)).toBe(
      'Adele Vance hat am 2026-01-02 abgelehnt. Begründung: „Nicht nötig“.',
    );
  });
});
