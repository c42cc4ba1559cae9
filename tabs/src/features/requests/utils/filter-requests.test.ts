import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  filterRequests,
  integrationOptions,
  noFilter,
  requesterOptions,
} from '@apono-teams/domain/request-query.js';
import { pendingRequest } from '../../../lib/test-requests.js';
import { highestRiskFirst, withRisk } from '@apono-teams/domain/risk.js';
import { defaultRiskSettings } from '@apono-teams/domain/risk-settings.js';

const older = pendingRequest({ id: 'AR-1', createdAt: '2026-01-01T08:00:00.000Z' });
const newer = pendingRequest({
  id: 'AR-2',
  createdAt: '2026-01-02T08:00:00.000Z',
  requester: { id: 'u-lynne', name: 'Lynne Robbins', email: 'lynner@example.com' },
  justification: 'Deploy the billing fix',
  integrations: [{ id: 'i-aws', name: 'AWS prod', type: 'aws', typeDisplayName: 'AWS' }],
  accessUnits: [
    {
      resource: 'billing-bucket',
      resourcePath: null,
      resourceType: 's3',
      integration: 'AWS prod',
      permission: 'write',
    },
  ],
});

describe('the pending list filter', () => {
  it('lists the oldest request first by default, the newest first on request', () => {
    expect(filterRequests([newer, older], noFilter).map((r) => r.id)).toEqual(['AR-1', 'AR-2']);
    expect(filterRequests([older, newer], { ...noFilter, sort: 'newest' }).map((r) => r.id)).toEqual([
      'AR-2',
      'AR-1',
    ]);
  });

  it('lists the highest risk first on request, equal risk oldest first', () => {
    const [a, b, c] = withRisk(
      [older, newer, pendingRequest({ id: 'AR-3', createdAt: '2026-01-03T08:00:00.000Z' })],
      defaultRiskSettings,
    );
    // AR-2 asks for write on AWS prod: production and write outrank AR-1's and AR-3's production alone.
    const sorted = filterRequests([a!, b!, c!], { ...noFilter, sort: 'risk' }).map((r) => r.id);
    expect(sorted).toEqual(['AR-2', 'AR-1', 'AR-3']);
  });

  it('sorts highest risk first exactly as the risk rule orders requests (the server pages by that order)', () => {
    const listed = withRisk(
      [
        newer,
        older,
        pendingRequest({ id: 'AR-3', createdAt: '2026-01-03T08:00:00.000Z', justification: null }),
        pendingRequest({ id: 'AR-4', createdAt: '2026-01-01T08:00:00.000Z' }),
      ],
      defaultRiskSettings,
    );
    const byRule = [...listed].sort(highestRiskFirst).map((r) => r.id);
    expect(filterRequests(listed, { ...noFilter, sort: 'risk' }).map((r) => r.id)).toEqual(byRule);
  });

  it('finds requests by any word of their ID, resource, permission or justification', () => {
    expect(filterRequests([older, newer], { ...noFilter, text: 'billing WRITE' }).map((r) => r.id)).toEqual([
      'AR-2',
    ]);
    expect(filterRequests([older, newer], { ...noFilter, text: 'ar-1' }).map((r) => r.id)).toEqual(['AR-1']);
  });

  it('finds a request by the ID people know from Apono, when it differs from the API one', () => {
    const known = pendingRequest({ id: 'b7e1c9d2', displayId: 'AR-1042' });
    expect(filterRequests([older, known], { ...noFilter, text: 'AR-1042' }).map((r) => r.id)).toEqual([
      'b7e1c9d2',
    ]);
  });

  it('narrows to one requester and one integration', () => {
    expect(filterRequests([older, newer], { ...noFilter, requester: 'lynner@example.com' })).toEqual([newer]);
    expect(filterRequests([older, newer], { ...noFilter, integration: 'Postgres prod' })).toEqual([older]);
  });

  it('offers each requester and integration once, by name', () => {
    expect(requesterOptions([newer, older, older]).map((r) => r.name)).toEqual([
      'Lynne Robbins',
      'Megan Bowen',
    ]);
    expect(integrationOptions([newer, older])).toEqual(['AWS prod', 'Postgres prod']);
  });

  it('counts the filters in use for the folded Filter button; sorting and blank search are not filters', () => {
    expect(activeFilterCount(noFilter)).toBe(0);
    expect(activeFilterCount({ ...noFilter, sort: 'newest', text: '   ' })).toBe(0);
    expect(activeFilterCount({ ...noFilter, text: 'orders', requester: 'lynner@example.com' })).toBe(2);
    expect(activeFilterCount({ text: 'x', requester: 'y', integration: 'z', sort: 'oldest' })).toBe(3);
  });
});
