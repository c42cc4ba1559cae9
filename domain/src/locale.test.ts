import { describe, expect, it } from 'vitest';
import { formatLocale, formatters, isRtl, languageOf, timeZoneOr } from './locale.js';

describe('the reader’s language', () => {
  it('is the shipped language of a BCP 47 tag, English otherwise', () => {
    expect(languageOf('de-DE')).toBe('de');
    expect(languageOf('ar-SA')).toBe('ar');
    expect(languageOf('fr-CA')).toBe('fr');
    expect(languageOf('ja')).toBe('ja');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('en_US')).toBe('en');
    expect(languageOf('es-ES')).toBe('en');
    expect(languageOf('not a tag!')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
    expect(languageOf('')).toBe('en');
  });

  it('reads right to left for Arabic, Hebrew, Persian and Urdu, whatever ships', () => {
    for (const tag of ['ar', 'ar-SA', 'he-IL', 'fa', 'ur-PK', 'az-Arab']) expect(isRtl(tag), tag).toBe(true);
    for (const tag of ['en-US', 'de-DE', 'ja', 'fr-CA', 'junk!', null])
      expect(isRtl(tag), String(tag)).toBe(false);
  });

  it('formats in the tag itself when its language ships, else in English', () => {
    expect(formatLocale('fr-CA')).toBe('fr-CA');
    expect(formatLocale('en-us')).toBe('en-US');
    expect(formatLocale('es-ES')).toBe('en');
    expect(timeZoneOr('Not/AZone')).toBe('UTC');
    expect(timeZoneOr('Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});

describe('dates, durations and counts', () => {
  const at = '2026-03-02T10:00:00Z';
  it('write a moment in the reader’s zone and language, never GMT by default', () => {
    expect(formatters('de-DE', 'Europe/Berlin').dateTime(at)).toBe('2. März 2026, 11:00 MEZ');
    expect(formatters('en-US', 'America/New_York').dateTime(at)).toBe('Mar 2, 2026, 5:00 AM EST');
    expect(formatters('ja', 'Asia/Tokyo').dateTime(at)).toContain('19:00');
    expect(formatters('en', 'Bad/Zone').timeZone).toBe('UTC');
  });

  it('write durations with Intl units in two largest parts', () => {
    expect(formatters('de-DE').duration(7200)).toBe('2 Stunden');
    expect(formatters('en').duration(93600)).toBe('1 day 2 hours');
    expect(formatters('fr').duration(3600)).toBe('1\u00a0heure');
    expect(formatters('ar').duration(7200)).toBe('ساعتان');
    expect(formatters('en').duration(null)).toBeNull();
    expect(formatters('en').duration(0)).toBeNull();
    expect(formatters('en').duration(30)).toBe('30 seconds');
  });

  it('write ages and counts as the reader does', () => {
    const created = '2026-01-01T00:00:00Z';
    expect(formatters('en').waited(created, new Date('2026-01-01T03:10:00Z'))).toBe('3 hr');
    expect(formatters('de').waited(created, new Date('2026-01-01T00:00:20Z'))).toBe('jetzt');
    expect(formatters('en').waited(created, new Date('2026-01-05T00:00:00Z'))).toBe('4 days');
    expect(formatters('de-DE').count(1234)).toBe('1.234');
    expect(formatters('ar-SA').count(25)).toBe('٢٥');
    expect(formatters('en').count(1234)).toBe('1,234');
  });
});
