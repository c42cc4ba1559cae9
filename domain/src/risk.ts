// Risk hints: what an approver should look at twice, each with a one-line reason. Deterministic
// rules over the fields of ApprovalRequest (so over what Apono sends), with admin-set patterns
// (risk-settings.ts). Nothing leaves the app and nothing is guessed: a rule whose facts are unknown
// (no flow name, no list to compare with) says nothing.
import type { ApprovalRequest } from './approval-request.js';
import { message, type Message } from './message.js';
import { DAY_NAMES, type RiskSettings } from './risk-settings.js';

export type RiskRule =
  | 'break_glass'
  | 'production'
  | 'privileged'
  | 'justification'
  | 'long_duration'
  | 'off_hours'
  | 'first_seen';

export interface RiskHint {
  rule: RiskRule;
  /** One line a person reads, as a catalogue message (common.risk.*); it may quote names from
   * Apono, so it is shown as text, escaped on cards. */
  message: Message;
  /** How much it counts towards "highest risk first": 3 high, 2 medium, 1 low. */
  weight: 1 | 2 | 3;
}

export interface RiskedRequest extends ApprovalRequest {
  risk: RiskHint[];
}

export interface RiskContext {
  /** The requester's IANA time zone when the app knows it; else the configured default is used. */
  requesterTimeZone?: string | null;
  /** The other requests in the same answer (a listing the caller can read); without them the
   * first-request rule cannot know and says nothing. */
  seen?: readonly ApprovalRequest[];
}

const contains = (text: string | null | undefined, patterns: string[]) =>
  text ? patterns.find((p) => text.toLowerCase().includes(p.toLowerCase())) : undefined;

// "(and 2 more)" after the first hit, or nothing.
const more = (n: number): Message | string => (n > 0 ? message('risk.more', { count: n }) : '');

/** Every integration the request names, from its access groups and its units. */
function integrationsOf(request: ApprovalRequest): string[] {
  return [
    ...new Set([
      ...request.integrations.map((i) => i.name),
      ...request.accessUnits.flatMap((u) => (u.integration ? [u.integration] : [])),
    ]),
  ];
}

export function productionHint(request: ApprovalRequest, settings: RiskSettings): RiskHint | null {
  const candidates = [
    ...integrationsOf(request).map((name) => ({ kind: 'integration', name, text: name })),
    ...request.accessUnits.flatMap((u) => [
      { kind: 'resource', name: u.resource, text: u.resource },
      { kind: 'resource', name: u.resource, text: u.resourcePath },
    ]),
  ];
  const hits = new Map<string, { what: Message; pattern: string }>();
  for (const c of candidates) {
    const pattern = contains(c.text, settings.prodPatterns);
    const key = `${c.kind} ${c.name}`;
    if (pattern && !hits.has(key))
      hits.set(key, { what: message(`risk.${c.kind}`, { name: c.name }), pattern });
  }
  const [first] = hits.values();
  if (!first) return null;
  return {
    rule: 'production',
    message: message('risk.production', { ...first, more: more(hits.size - 1) }),
    weight: 3,
  };
}

export function privilegedHint(request: ApprovalRequest, settings: RiskSettings): RiskHint | null {
  const hits = new Map<string, string>();
  for (const u of request.accessUnits) {
    const pattern = contains(u.permission, settings.adminPatterns);
    if (pattern && !hits.has(u.permission)) hits.set(u.permission, pattern);
  }
  const [first] = hits;
  if (!first) return null;
  return {
    rule: 'privileged',
    message: message('risk.privileged', {
      permission: first[0],
      pattern: first[1],
      more: more(hits.size - 1),
    }),
    weight: 3,
  };
}

export function durationHint(request: ApprovalRequest, settings: RiskSettings): RiskHint | null {
  const seconds = request.durationSeconds;
  // No duration (or 0) is how Apono says the access has no end date.
  if (seconds == null || seconds <= 0)
    return { rule: 'long_duration', message: message('risk.permanent'), weight: 2 };
  if (seconds <= settings.maxHours * 3600) return null;
  return {
    rule: 'long_duration',
    message: message('risk.longAccess', { duration: { seconds }, hours: settings.maxHours }),
    weight: 2,
  };
}

// Making a formatter costs far more than using one, and a listing may hold thousands of requests.
const clocks = new Map<string, Intl.DateTimeFormat>();
function clockIn(zone: string): Intl.DateTimeFormat {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(zone, clock);
  }
  return clock;
}

function knownZone(zone: string): boolean {
  try {
    clockIn(zone);
    return true;
  } catch {
    return false;
  }
}

/** Answers of localTime: formatToParts is the dearest step of a listing's hints, and a request's
 * creation time is read again at every poll. Bounded: cleared when it grows past 10,000. */
const localTimes = new Map<string, { day: number; minute: number }>();

/** The local weekday and minute of the day of `iso` in `zone`. */
function localTime(iso: string, zone: string): { day: number; minute: number } {
  const key = `${zone}\u0000${iso}`;
  const known = localTimes.get(key);
  if (known) return known;
  if (localTimes.size >= 10_000) localTimes.clear();
  const time = readLocalTime(iso, zone);
  localTimes.set(key, time);
  return time;
}

function readLocalTime(iso: string, zone: string): { day: number; minute: number } {
  const parts = clockIn(zone).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const [hour, minute] = [Number(part('hour')), Number(part('minute'))];
  const day = DAY_NAMES.indexOf(part('weekday') as (typeof DAY_NAMES)[number]);
  return { day, minute: hour * 60 + minute };
}

export function offHoursHint(
  request: ApprovalRequest,
  settings: RiskSettings,
  requesterTimeZone?: string | null,
): RiskHint | null {
  // A zone the runtime does not know (a Teams client may report anything) counts as not known.
  const known = !!requesterTimeZone && knownZone(requesterTimeZone);
  const zone = known ? requesterTimeZone : settings.timeZone;
  const { day, minute } = localTime(request.createdAt, zone);
  const { start, end, days } = settings.workHours;
  const inHours = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (days.includes(day) && inHours) return null;
  return {
    rule: 'off_hours',
    message: message('risk.offHours', {
      time: { weekdayTime: request.createdAt, timeZone: zone },
      where: message(known ? 'risk.requesterZone' : 'risk.defaultZone', { zone }),
      // The admin's working hours (RISK_WORK_HOURS), the days and times written the reader's way.
      hours: { workHours: settings.workHours },
    }),
    weight: 1,
  };
}

const requesterKey = (r: ApprovalRequest) => r.requester.email.trim().toLowerCase() || `id:${r.requester.id}`;

const earlier = (a: ApprovalRequest, b: ApprovalRequest) =>
  a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

/** The earliest request of each requester for each integration; built once per listing (thousands). */
const firstsCache = new WeakMap<readonly ApprovalRequest[], Map<string, ApprovalRequest>>();
function firstsOf(seen: readonly ApprovalRequest[]): Map<string, ApprovalRequest> {
  let firsts = firstsCache.get(seen);
  if (firsts) return firsts;
  firsts = new Map();
  for (const r of seen)
    for (const name of integrationsOf(r)) {
      const key = `${requesterKey(r)}\u0000${name}`;
      const known = firsts.get(key);
      if (!known || earlier(r, known)) firsts.set(key, r);
    }
  firstsCache.set(seen, firsts);
  return firsts;
}

/**
 * The requester's first request for an integration among `seen`: the only requests this app has
 * seen are those in the answer being built, so the reason says exactly that much.
 */
export function firstSeenHint(request: ApprovalRequest, seen?: readonly ApprovalRequest[]): RiskHint | null {
  if (!seen) return null;
  const firsts = firstsOf(seen);
  const fresh = integrationsOf(request).filter((name) => {
    const first = firsts.get(`${requesterKey(request)}\u0000${name}`);
    return !first || first.id === request.id || earlier(request, first);
  });
  if (!fresh.length) return null;
  return {
    rule: 'first_seen',
    message: message('risk.firstSeen', {
      name: request.requester.name,
      integration: fresh[0]!,
      more: more(fresh.length - 1),
      count: seen.length,
    }),
    weight: 1,
  };
}

/** Lower case, one space between words and straight apostrophes, so a phrase matches however typed. */
const normal = (text: string) => text.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ');

export function justificationHint(request: ApprovalRequest, settings: RiskSettings): RiskHint | null {
  const text = normal(request.justification ?? '').trim();
  if (!text) return { rule: 'justification', message: message('risk.noJustification'), weight: 2 };
  const phrase = settings.instructionPatterns.find((p) => text.includes(normal(p)));
  if (!phrase) return null;
  return {
    rule: 'justification',
    message: message('risk.instruction', { phrase }),
    weight: 3,
  };
}

export function breakGlassHint(request: ApprovalRequest, settings: RiskSettings): RiskHint | null {
  // Apono's client API has no flow name; only a webhook delivery tells it (accessFlow), else no hint.
  const pattern = contains(request.accessFlow, settings.breakGlassPatterns);
  if (!pattern) return null;
  return {
    rule: 'break_glass',
    message: message('risk.breakGlass', { flow: request.accessFlow!, pattern }),
    weight: 3,
  };
}

/** Every hint that applies, highest weight first. */
export function riskHints(
  request: ApprovalRequest,
  settings: RiskSettings,
  context: RiskContext = {},
): RiskHint[] {
  return [
    breakGlassHint(request, settings),
    productionHint(request, settings),
    privilegedHint(request, settings),
    justificationHint(request, settings),
    durationHint(request, settings),
    offHoursHint(request, settings, context.requesterTimeZone),
    firstSeenHint(request, context.seen),
  ]
    .filter((h): h is RiskHint => h !== null)
    .sort((a, b) => b.weight - a.weight);
}

/** Each request of a listing with its hints, the listing itself being what "first seen" compares with. */
export function withRisk(requests: readonly ApprovalRequest[], settings: RiskSettings): RiskedRequest[] {
  return requests.map((r) => ({ ...r, risk: riskHints(r, settings, { seen: requests }) }));
}

export const riskScore = (hints: readonly RiskHint[] | undefined): number =>
  (hints ?? []).reduce((sum, h) => sum + h.weight, 0);

/** Highest score first; equal scores oldest first, so nothing ages out unseen. */
export function highestRiskFirst(
  a: ApprovalRequest & { risk?: RiskHint[] },
  b: ApprovalRequest & { risk?: RiskHint[] },
): number {
  return (
    riskScore(b.risk) - riskScore(a.risk) ||
    a.createdAt.localeCompare(b.createdAt) ||
    a.id.localeCompare(b.id)
  );
}

/** A single request read alone (the details) cannot know "first seen"; keep that hint from the listing. */
export function keepListedHints(fresh: RiskHint[], listed: readonly RiskHint[] | undefined): RiskHint[] {
  const kept = (listed ?? []).filter((h) => h.rule === 'first_seen' && !fresh.some((f) => f.rule === h.rule));
  return [...fresh, ...kept].sort((a, b) => b.weight - a.weight);
}
