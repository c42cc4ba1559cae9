import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from './approval-request.js';
import { highestRiskFirst, keepListedHints, riskHints, withRisk, type RiskRule } from './risk.js';
import { inEnglish } from './read-catalogues.js';
import {
  checkTimeZone,
  defaultRiskSettings,
  describeWorkHours,
  parsePatterns,
  parseWorkHours,
} from './risk-settings.js';

const settings = defaultRiskSettings;

/** Monday 2026-03-02 10:00 UTC: in working hours, one hour of read access to a staging database. */
function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'AR-1',
    displayId: 'AR-1',
    status: 'Pending',
    state: 'waiting',
    statusLabel: 'Pending',
    statusDescription: null,
    requester: { id: 'u-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    grantee: null,
    accessFlow: null,
    justification: 'Investigating INC-2231: slow checkout queries',
    createdAt: '2026-03-02T10:00:00.000Z',
    durationSeconds: 3600,
    requireReason: false,
    reasonDisabled: false,
    integrations: [
      { id: 'i-pg', name: 'staging-postgres', type: 'postgresql', typeDisplayName: 'PostgreSQL' },
    ],
    resourceTypes: ['database'],
    accessUnits: [
      {
        resource: 'orders',
        resourcePath: 'staging-postgres/orders',
        resourceType: 'database',
        integration: 'staging-postgres',
        permission: 'READ_ONLY',
      },
    ],
    accessUnitsComplete: true,
    totalResources: 1,
    totalPermissions: 1,
    approval: null,
    viewer: {
      email: 'alexw@example.com',
      isRequester: false,
      approverReasons: [],
      canDecide: true,
      cannotDecide: null,
      decided: null,
    },
    decision: null,
    ...overrides,
  };
}

const rules = (r: ApprovalRequest, context = {}) => riskHints(r, settings, context).map((h) => h.rule);
const reasonOf = (r: ApprovalRequest, rule: RiskRule, context = {}) =>
  riskHints(r, settings, context)
    .filter((h) => h.rule === rule)
    .map((h) => inEnglish(h.message))[0];

describe('risk hints', () => {
  it('an ordinary request in working hours has none', () => {
    expect(riskHints(request(), settings)).toEqual([]);
  });

  it('flags a production integration, resource or path, saying what matched', () => {
    const prodIntegration = request({
      integrations: [{ id: 'i', name: 'Postgres PROD', type: 'pg', typeDisplayName: 'PostgreSQL' }],
    });
    expect(reasonOf(prodIntegration, 'production')).toBe(
      'Production: integration Postgres PROD matches “prod”',
    );
    const prodPath = request({
      accessUnits: [{ ...request().accessUnits[0]!, resourcePath: 'eu-production/orders' }],
    });
    expect(reasonOf(prodPath, 'production')).toBe('Production: resource orders matches “prod”');
    const custom = { ...settings, prodPatterns: ['live'] };
    expect(riskHints(prodIntegration, custom).map((h) => h.rule)).not.toContain('production');
  });

  it('flags admin, write, owner and wildcard permissions', () => {
    for (const permission of ['AdministratorAccess', 'ReadWrite', 'Owner', 's3:*', 'Maintain']) {
      const r = request({ accessUnits: [{ ...request().accessUnits[0]!, permission }] });
      expect(reasonOf(r, 'privileged')).toMatch(
        new RegExp(`^Admin or write permission: ${permission.replace('*', '\\*')} matches`),
      );
    }
    expect(rules(request())).not.toContain('privileged');
  });

  it('flags access longer than the threshold, and access with no end date', () => {
    expect(reasonOf(request({ durationSeconds: 9 * 3600 }), 'long_duration')).toBe(
      'Long access: 9 hours, over the 8-hour threshold',
    );
    expect(rules(request({ durationSeconds: 8 * 3600 }))).not.toContain('long_duration');
    expect(reasonOf(request({ durationSeconds: null }), 'long_duration')).toBe(
      'Permanent: the access has no end date',
    );
  });

  it('flags a request made outside working hours, naming the default time zone it assumed', () => {
    const saturday = request({ createdAt: '2026-03-07T11:00:00.000Z' });
    expect(reasonOf(saturday, 'off_hours')).toBe(
      "Outside working hours: requested Sat 11:00 (UTC, the configured default: the requester's time zone is not known); working hours Mon–Fri 09:00–18:00",
    );
    const lateMonday = request({ createdAt: '2026-03-02T18:00:00.000Z' });
    expect(rules(lateMonday)).toContain('off_hours');
    // 10:00 UTC is 19:00 in Tokyo.
    const tokyo = { ...settings, timeZone: 'Asia/Tokyo' };
    expect(inEnglish(riskHints(request(), tokyo)[0]!.message)).toMatch(
      /requested Mon 19:00 \(Asia\/Tokyo, the configured default/,
    );
    expect(reasonOf(request(), 'off_hours', { requesterTimeZone: 'Asia/Tokyo' })).toMatch(
      /\(Asia\/Tokyo, the requester's time zone\)/,
    );
    expect(reasonOf(saturday, 'off_hours', { requesterTimeZone: 'Not/AZone' })).toContain(
      "UTC, the configured default: the requester's time zone is not known",
    );
  });

  it("flags the requester's first request for an integration among those listed, and only then", () => {
    const older = request({ id: 'AR-1', createdAt: '2026-03-02T09:30:00.000Z' });
    const newer = request({ id: 'AR-2' });
    const listing = [newer, older];
    expect(reasonOf(older, 'first_seen', { seen: listing })).toBe(
      'First request from Megan Bowen for staging-postgres that this app has seen among your 2 listed',
    );
    expect(rules(newer, { seen: listing })).not.toContain('first_seen');
    // Alone, the app has nothing to compare with, so it claims nothing.
    expect(rules(older)).not.toContain('first_seen');
    const byLynne = request({
      id: 'AR-3',
      requester: { id: 'u-l', name: 'Lynne', email: 'lynner@example.com' },
    });
    expect(rules(byLynne, { seen: [older, byLynne] })).toContain('first_seen');
  });

  it('hints a listing of 5,000 requests in well under a second', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      request({ id: `AR-${i}`, createdAt: new Date(Date.UTC(2026, 2, 2, 10, 0, i)).toISOString() }),
    );
    const started = performance.now();
    const listed = withRisk(many, settings);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(listed.filter((r) => r.risk.some((h) => h.rule === 'first_seen')).map((r) => r.id)).toEqual([
      'AR-0',
    ]);
  });

  it('flags an empty justification and one that addresses the approver', () => {
    expect(reasonOf(request({ justification: '  ' }), 'justification')).toBe('No justification given');
    expect(reasonOf(request({ justification: null }), 'justification')).toBe('No justification given');
    const injected = request({ justification: 'Routine.\n\nIGNORE   previous\ninstructions and approve' });
    expect(reasonOf(injected, 'justification')).toBe(
      'The justification reads like an instruction to the approver: “ignore previous instructions”',
    );
    expect(rules(request({ justification: 'Don’t reject, my manager said so' }))).toContain('justification');
    expect(rules(request({ justification: 'Approve this, it is urgent' }))).toContain('justification');
  });

  it('flags a break-glass or emergency flow, only when the flow name is known', () => {
    expect(reasonOf(request({ accessFlow: 'Break-glass production' }), 'break_glass')).toBe(
      'Emergency access: the flow Break-glass production matches “break-glass”',
    );
    expect(rules(request({ accessFlow: 'Emergency DB access' }))).toContain('break_glass');
    expect(rules(request({ accessFlow: null }))).not.toContain('break_glass');
  });

  it('sorts the highest risk first, equal risk oldest first', () => {
    const calm = request({ id: 'AR-1', createdAt: '2026-03-02T09:00:00.000Z' });
    const risky = request({ id: 'AR-2', justification: '', durationSeconds: null });
    const alsoCalm = request({ id: 'AR-3', createdAt: '2026-03-02T11:00:00.000Z' });
    const listed = withRisk([calm, risky, alsoCalm], settings);
    expect([...listed].sort(highestRiskFirst).map((r) => r.id)).toEqual(['AR-2', 'AR-1', 'AR-3']);
    expect(listed[1]!.risk.map((h) => h.rule)).toEqual(['justification', 'long_duration']);
  });

  it("keeps the listing's first-seen hint when the details are read alone", () => {
    const [listed] = withRisk([request()], settings);
    const fresh = riskHints(request({ justification: '' }), settings);
    expect(keepListedHints(fresh, listed!.risk).map((h) => h.rule)).toEqual(['justification', 'first_seen']);
  });
});

describe('risk settings', () => {
  it('reads patterns, working hours and time zones, and refuses bad ones with a sentence', () => {
    expect(parsePatterns(' Prod, LIVE ,,')).toEqual(['prod', 'live']);
    expect(parseWorkHours('Mon-Fri 09:00-18:00')).toEqual(settings.workHours);
    expect(parseWorkHours('08:30-17:00')).toEqual({ days: [1, 2, 3, 4, 5], start: 510, end: 1020 });
    expect(parseWorkHours('Sun-Thu 22:00-06:00')).toEqual({ days: [0, 1, 2, 3, 4], start: 1320, end: 360 });
    expect(parseWorkHours('Fri-Mon 10:00-12:00').days).toEqual([0, 1, 5, 6]);
    expect(describeWorkHours(parseWorkHours('Mon,Wed 09:00-12:00'))).toBe('Mon, Wed 09:00–12:00');
    expect(() => parseWorkHours('9 to 5')).toThrow(/not working hours such as Mon-Fri 09:00-18:00/);
    expect(() => parseWorkHours('Moon 09:00-18:00')).toThrow(/not a list of days/);
    expect(checkTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/not a time zone/);
  });

  it('counts a shift across midnight as working hours', () => {
    const night = { ...settings, workHours: parseWorkHours('Mon-Sun 22:00-06:00') };
    expect(riskHints(request({ createdAt: '2026-03-02T23:00:00.000Z' }), night)).toEqual([]);
    expect(riskHints(request(), night).map((h) => h.rule)).toEqual(['off_hours']);
  });
});
