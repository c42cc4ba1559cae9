// When a person should not be reminded: their quiet hours ("20:00-08:00", which may run past
// midnight) in their own time zone (an IANA name, as Teams gives in an activity's localTimezone).

export interface QuietHours {
  from: number;
  to: number;
}

/** Minutes after midnight, from "HH:MM". */
const minutesOf = (hhmm: string): number | null => {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(hhmm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** "20:00-08:00" → { from: 1200, to: 480 }; "off" or "" → null; anything else throws. */
export function parseQuietHours(text: string): QuietHours | null {
  const value = text.trim().toLowerCase();
  if (!value || value === 'off' || value === 'none') return null;
  const [a, b, ...rest] = value.split('-');
  const from = minutesOf(a ?? '');
  const to = minutesOf(b ?? '');
  if (from === null || to === null || rest.length)
    throw new Error('write quiet hours as HH:MM-HH:MM, e.g. 20:00-08:00');
  return { from, to };
}

/** "30m", "4h", "2d" in milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*(m|h|d)$/i.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new Error('write a duration as a number and m, h or d, e.g. 4h');
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 'm' | 'h' | 'd'];
}

/** The wall-clock minutes after midnight at `at` in `timeZone` (UTC when the zone is unknown). */
export function localMinutes(at: Date, timeZone: string): number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return Number(parts.hour) * 60 + Number(parts.minute);
}

export function inQuietHours(at: Date, timeZone: string, quiet: QuietHours | null): boolean {
  if (!quiet || quiet.from === quiet.to) return false;
  const now = localMinutes(at, timeZone);
  return quiet.from < quiet.to ? now >= quiet.from && now < quiet.to : now >= quiet.from || now < quiet.to;
}
