// Which language a person reads and how dates, durations and counts are written for them. One rule
// for the tab (Teams' context.app.locale, teams-js) and the cards (the Bot Framework activity's
// `locale`): both are BCP 47 tags such as "de-DE", "ar-SA" or "en-us". Every number and date goes
// through Intl, in the reader's IANA time zone, so nothing here carries a sentence of its own.

/** The languages with a catalogue in domain/locales/<language>.json; English is the source. */
export const LANGUAGES = ['en', 'de', 'fr', 'ja', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

// Languages written right to left (CLDR's character order), whether or not a catalogue ships for
// them: a Hebrew reader still gets a right-to-left layout around the English fallback text.
const RTL_LANGUAGES = new Set([
  'ar',
  'arc',
  'ckb',
  'dv',
  'fa',
  'he',
  'iw',
  'ks',
  'ps',
  'sd',
  'ug',
  'ur',
  'yi',
]);
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg']);

function parse(tag: string | null | undefined): Intl.Locale | null {
  if (!tag || typeof tag !== 'string') return null;
  try {
    // Teams sends "en-us"; a Bot Framework activity may carry "en_US" from older clients.
    return new Intl.Locale(tag.trim().replace(/_/g, '-'));
  } catch {
    return null;
  }
}

const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

/** The shipped language of a tag ("de-DE" → de), or null for one that does not ship, or junk. */
export function shippedLanguage(tag: string | null | undefined): Language | null {
  const language = parse(tag)?.language;
  return language && isLanguage(language) ? language : null;
}

/** The shipped language for a tag: "de-DE" → de, "fr-CA" → fr, "es-ES", "" or junk → `fallback`. */
export function languageOf(tag: string | null | undefined, fallback: Language = DEFAULT_LANGUAGE): Language {
  return shippedLanguage(tag) ?? fallback;
}

/** Whether text in this tag's language (or script) reads right to left: ar, he, fa, ur… */
export function isRtl(tag: string | null | undefined): boolean {
  const locale = parse(tag);
  if (!locale) return false;
  if (locale.script) return RTL_SCRIPTS.has(locale.script);
  return RTL_LANGUAGES.has(locale.language);
}

/**
 * The tag Intl formats with: the reader's own tag when its language ships (so fr-CA keeps Canadian
 * dates), else the fallback language, so the numbers never disagree with the words around them.
 */
export function formatLocale(tag: string | null | undefined, fallback: Language = DEFAULT_LANGUAGE): string {
  const locale = parse(tag);
  if (!locale || !isLanguage(locale.language)) return fallback;
  try {
    return Intl.getCanonicalLocales(locale.toString())[0] ?? fallback;
  } catch {
    return fallback;
  }
}

/** An IANA zone Intl knows, else `fallback` (a Teams client may report anything, or nothing). */
export function timeZoneOr(zone: string | null | undefined, fallback = 'UTC'): string {
  if (!zone) return fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return fallback;
  }
}

// Building an Intl formatter costs far more than using one, and a listing holds thousands of rows.
const cache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

const units = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
] as const;

export interface Formatters {
  locale: string;
  timeZone: string;
  /** "2 Mar 2026, 11:00 CET": date and time in the reader's zone, with the zone's short name. */
  dateTime(iso: string): string;
  /** "2 Stunden", "1 day 2 hours" (two largest units); null when the access has no end date. */
  duration(seconds: number | null | undefined): string | null;
  /** How long ago `iso` was: "now", "12 min", "3 hr", "2 days". */
  waited(iso: string, now?: Date): string;
  /** 1,234 / 1.234 / ١٬٢٣٤ */
  count(n: number): string;
  /** "A, B, C" in the reader's language (a list of names, not a sentence). */
  list(items: readonly string[]): string;
  /** "Sat 10:00" as the reader writes it, in `zone` (the requester's, for the off-hours hint). */
  weekdayTime(iso: string, zone: string): string;
  /** A weekday's short name, 0 = Sunday: "Mon", "Mo.", "lun.", "月", "الاثنين". */
  weekday(day: number): string;
  /** A time of day from minutes after midnight, on a 24-hour clock: "09:00", "١٨:٠٠". */
  clock(minutes: number): string;
}

/** Intl formatters for a BCP 47 tag and an IANA zone; both fall back rather than throw. */
export function formatters(tag: string | null | undefined, zone?: string | null): Formatters {
  const locale = formatLocale(tag);
  const timeZone = timeZoneOr(zone);
  const unit = (name: string, display: 'long' | 'short') =>
    cached(
      `unit|${locale}|${name}|${display}`,
      () => new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: display }),
    );
  const number = cached(`number|${locale}`, () => new Intl.NumberFormat(locale));
  return {
    locale,
    timeZone,
    dateTime: (iso) =>
      cached(
        `date|${locale}|${timeZone}`,
        () =>
          new Intl.DateTimeFormat(locale, {
            timeZone,
            year: 'numeric',
            month: 'short',
            day: 'numeric',
            hour: 'numeric',
            minute: '2-digit',
            timeZoneName: 'short',
          }),
      ).format(new Date(iso)),
    duration: (seconds) => {
      if (seconds == null || !Number.isFinite(seconds) || seconds <= 0) return null;
      const parts: string[] = [];
      let rest = Math.round(seconds);
      for (const [size, name] of units) {
        const n = Math.floor(rest / size);
        if (n > 0 && parts.length < 2) parts.push(unit(name, 'long').format(n));
        rest -= n * size;
      }
      if (!parts.length) return unit('second', 'long').format(Math.round(seconds));
      // Node 20 has no Intl.DurationFormat: units joined as a list of measures ("unit" lists).
      return cached(
        `units|${locale}`,
        () => new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }),
      ).format(parts);
    },
    waited: (iso, now = new Date()) => {
      const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60000));
      if (!(minutes >= 1))
        return cached(
          `relative|${locale}`,
          () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
        ).format(0, 'second');
      if (minutes < 60) return unit('minute', 'short').format(minutes);
      if (minutes < 48 * 60) return unit('hour', 'short').format(Math.floor(minutes / 60));
      return unit('day', 'short').format(Math.floor(minutes / 1440));
    },
    count: (n) => number.format(n),
    list: (items) =>
      cached(`list|${locale}`, () => new Intl.ListFormat(locale, { type: 'unit', style: 'short' })).format(
        items,
      ),
    // 1 January 2023 was a Sunday: day n of that week, read in UTC.
    weekday: (day) =>
      cached(
        `weekdayName|${locale}`,
        () => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }),
      ).format(Date.UTC(2023, 0, 1 + day)),
    clock: (minutes) =>
      cached(
        `clock|${locale}`,
        () =>
          new Intl.DateTimeFormat(locale, {
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
            timeZone: 'UTC',
          }),
      ).format(Date.UTC(2023, 0, 1, 0, minutes)),
    weekdayTime: (iso, zone) =>
      cached(
        `weekday|${locale}|${zone}`,
        () =>
          new Intl.DateTimeFormat(locale, {
            timeZone: timeZoneOr(zone),
            weekday: 'short',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }),
      ).format(new Date(iso)),
  };
}
