import { describe, expect, it } from 'vitest';
import { formatAgo, formatDate, formatDateTime, formatFull, formatSoon, sentence } from '../lib/format';

// One format on every page, the same in WebKitGTK and Chromium: "3 Dec 2026, 17:04".
describe('dates and times', () => {
  const iso = '2026-12-03T23:04:33Z';

  it('writes day, short month, year and a 24-hour time', () => {
    expect(formatDateTime(iso, 'America/Chicago')).toBe('3 Dec 2026, 17:04');
    expect(formatDateTime('2026-09-14T08:05:00Z', 'UTC')).toBe('14 Sep 2026, 08:05');
    expect(formatDate(iso, 'America/Chicago')).toBe('3 Dec 2026');
  });

  it('writes a time in the coming days with its weekday, and every detail for a tooltip', () => {
    expect(formatSoon('2026-12-04T12:00:00Z', 'America/Chicago')).toBe('Fri 4 Dec, 06:00');
    expect(formatFull(iso, 'America/Chicago')).toBe('Thu 3 Dec 2026, 17:04:33 CST');
  });

  it('gives nothing for no time or a wrong one, and falls back on this computer for an unknown zone', () => {
    expect(formatDateTime('')).toBe('');
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('yesterday')).toBe('');
    expect(formatSoon(iso, 'Not/AZone')).toMatch(/^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}$/);
  });

  it('says how long ago, then the date', () => {
    const now = new Date('2026-12-03T23:10:00Z');
    expect(formatAgo('2026-12-03T23:09:40Z', now)).toBe('just now');
    expect(formatAgo('2026-12-03T23:05:00Z', now)).toBe('5 minutes ago');
    expect(formatAgo('2026-12-03T21:10:00Z', now)).toBe('2 hours ago');
    expect(formatAgo('2026-11-30T12:00:00Z', now)).toBe(formatDateTime('2026-11-30T12:00:00Z'));
  });
});

describe('messages as sentences', () => {
  it('capitalizes and ends with a full stop once', () => {
    expect(sentence('this account is locked')).toBe('This account is locked.');
    expect(sentence('Already a sentence.')).toBe('Already a sentence.');
    expect(sentence('')).toBe('');
  });
});
