import { describe, expect, it } from 'vitest';
import { inQuietHours, localMinutes, parseDuration, parseQuietHours } from './quiet-hours.js';

describe('quiet hours', () => {
  const night = parseQuietHours('20:00-08:00');

  it('read HH:MM-HH:MM, possibly past midnight, or off', () => {
    expect(night).toEqual({ from: 1200, to: 480 });
    expect(parseQuietHours('off')).toBeNull();
    expect(() => parseQuietHours('8pm-8am')).toThrow(/HH:MM-HH:MM/);
  });

  it("are the person's own: the same instant is night in Tokyo and morning in London", () => {
    const at = new Date('2026-12-02T12:30:00Z'); // 21:30 in Tokyo, 12:30 in London
    expect(localMinutes(at, 'Asia/Tokyo')).toBe(21 * 60 + 30);
    expect(inQuietHours(at, 'Asia/Tokyo', night)).toBe(true);
    expect(inQuietHours(at, 'Europe/London', night)).toBe(false);
    expect(inQuietHours(new Date('2026-12-02T07:59:00Z'), 'UTC', night)).toBe(true);
    expect(inQuietHours(new Date('2026-12-02T08:00:00Z'), 'UTC', night)).toBe(false);
  });

  it('take a daytime span too, and fall back to UTC for a zone nobody knows', () => {
    expect(inQuietHours(new Date('2026-12-02T13:00:00Z'), 'UTC', parseQuietHours('12:00-14:00'))).toBe(true);
    expect(localMinutes(new Date('2026-12-02T13:00:00Z'), 'Mars/Olympus')).toBe(13 * 60);
  });

  it('durations read as m, h or d', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('4h')).toBe(14_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(() => parseDuration('4 hours')).toThrow();
    expect(() => parseDuration('0h')).toThrow();
  });
});
