// The admin-set thresholds and patterns of the risk hints (risk.ts), with their defaults and the
// parsing of their environment variables (RISK_*). A bad value throws a sentence naming what is wrong.

export interface WorkHours {
  /** Local weekdays that are working days, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** Minutes after local midnight; an end before the start is a shift across midnight. */
  start: number;
  end: number;
}

export interface RiskSettings {
  /** Matched, ignoring case, inside integration names, resource names and resource paths. */
  prodPatterns: string[];
  /** Matched inside permission names; `*` is a literal asterisk (a wildcard grant such as `s3:*`). */
  adminPatterns: string[];
  /** Access for longer than this, or with no end date, is a hint. */
  maxHours: number;
  workHours: WorkHours;
  /** IANA time zone used when the requester's own is not known (Apono sends none). */
  timeZone: string;
  /** Matched inside the access flow's name. */
  breakGlassPatterns: string[];
  /** Phrases in a justification that address the approver instead of explaining the need. */
  instructionPatterns: string[];
}

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export const defaultRiskSettings: RiskSettings = {
  prodPatterns: ['prod'],
  adminPatterns: [
    'admin',
    'write',
    'owner',
    '*',
    'maintain',
    'root',
    'superuser',
    'full',
    'manage',
    'delete',
  ],
  maxHours: 8,
  workHours: { days: [1, 2, 3, 4, 5], start: 9 * 60, end: 18 * 60 },
  timeZone: 'UTC',
  breakGlassPatterns: ['break-glass', 'break glass', 'breakglass', 'emergency'],
  instructionPatterns: [
    'ignore previous instructions',
    'ignore all previous',
    'ignore the above',
    'disregard previous',
    'disregard the above',
    'approve this',
    'approve immediately',
    'approve without',
    'auto-approve',
    'must approve',
    'do not reject',
    "don't reject",
    'already approved',
    'pre-approved',
    'system prompt',
  ],
};

/** Comma-separated patterns, trimmed and lower-cased; an empty list turns that rule off. */
export function parsePatterns(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
}

const clock = (text: string): number | null => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h <= 24 && min < 60 && h * 60 + min <= 24 * 60 ? h * 60 + min : null;
};

function parseDays(text: string): number[] {
  const index = (name: string) => DAY_NAMES.findIndex((d) => d.toLowerCase() === name.toLowerCase());
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to, ...rest] = part.split('-').map((s) => index(s.trim()));
    if (from === undefined || from < 0 || rest.length || (to !== undefined && to < 0))
      throw new Error(`"${text}" is not a list of days such as Mon-Fri or Mon,Wed,Fri`);
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === (to ?? from)) break;
    }
  }
  return [...days].sort();
}

/** `Mon-Fri 09:00-18:00`, or only the hours (`08:30-17:00`, every day Mon–Fri). */
export function parseWorkHours(text: string): WorkHours {
  const m = /^\s*(?:([A-Za-z,\- ]+?)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(text);
  const start = m ? clock(m[2]!) : null;
  const end = m ? clock(m[3]!) : null;
  if (!m || start === null || end === null || start === end)
    throw new Error(`"${text}" is not working hours such as Mon-Fri 09:00-18:00`);
  return { days: m[1] ? parseDays(m[1]) : defaultRiskSettings.workHours.days, start, end };
}

/** Throws when `zone` is not an IANA time zone this runtime knows. */
export function checkTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    throw new Error(`"${zone}" is not a time zone such as Europe/Berlin or UTC`);
  }
}

/** "Mon–Fri 09:00–18:00" */
export function describeWorkHours(hours: WorkHours): string {
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const d = hours.days;
  const run = d.length > 1 && d.every((day, i) => i === 0 || day === d[i - 1]! + 1);
  const days =
    d.length === 7
      ? 'every day'
      : run
        ? `${DAY_NAMES[d[0]!]}–${DAY_NAMES[d.at(-1)!]}`
        : d.map((x) => DAY_NAMES[x]).join(', ');
  return `${days} ${hhmm(hours.start)}–${hhmm(hours.end)}`;
}
