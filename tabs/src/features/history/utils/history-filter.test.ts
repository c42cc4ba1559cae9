import { describe, expect, it } from 'vitest';
import { pendingRequest } from '../../../lib/test-requests.js';
import { decidedByViewer, filterHistory, myHistory } from './history-filter.js';

const viewer = { email: 'alexw@example.com', isRequester: false, approverReasons: [] };
const decided = (id: string, by: { name: string; email: string | null }, mine: boolean) =>
  pendingRequest({
    id,
    status: 'Active',
    state: 'active',
    viewer: { ...viewer, canDecide: false, cannotDecide: 'not_pending', decided: mine ? 'approved' : null },
    decision: {
      outcome: 'approved',
      decidedBy: { ...by, kind: null },
      decidedAt: null,
      reason: null,
      source: 'apono',
    },
  });

const mineRecorded = decided('AR-1', { name: 'Alex Wilber', email: 'alexw@example.com' }, true);
const mineByWebhook = decided('AR-2', { name: 'Alex Wilber', email: 'AlexW@example.com' }, false);
const adeles = decided('AR-3', { name: 'Adele Vance', email: 'adelev@example.com' }, false);
// Decided through a group entry: Apono does not say by whom.
const group = decided('AR-4', { name: 'SRE Leads', email: null }, false);

describe('the history filter', () => {
  it('counts a decision as mine when it was recorded as mine or a webhook named me', () => {
    expect([mineRecorded, mineByWebhook, adeles, group].map(decidedByViewer)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('shows only my decisions by default, and every decision when asked', () => {
    const all = [mineRecorded, mineByWebhook, adeles, group];
    expect(filterHistory(all, myHistory).map((r) => r.id)).toEqual(['AR-1', 'AR-2']);
    expect(filterHistory(all, { mine: false, text: '' }).map((r) => r.id)).toEqual([
      'AR-1',
      'AR-2',
      'AR-3',
      'AR-4',
    ]);
  });

  it('searches by ID, requester, resource and who decided', () => {
    const all = [mineRecorded, adeles, group];
    expect(filterHistory(all, { mine: false, text: 'adele' }).map((r) => r.id)).toEqual(['AR-3']);
    expect(filterHistory(all, { mine: false, text: 'ar-4' }).map((r) => r.id)).toEqual(['AR-4']);
    expect(filterHistory(all, { mine: true, text: 'orders megan' }).map((r) => r.id)).toEqual(['AR-1']);
  });
});
