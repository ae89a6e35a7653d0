import { describe, expect, it } from 'vitest';
import { formatAgo, formatAmountChange, formatDate, formatDateTime, formatFull, formatSoon, sentence } from '../lib/format';
import { billChange, billSummary } from '../lib/components/sync/model';

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

describe('bill impact', () => {
  it('prices the billed quantity (less "Less Included") and sums changes by where they stand', () => {
    const c = (over: Record<string, unknown>) =>
      ({ before: 10, after: 14, unitPrice: 3.5, lessIncludedBefore: null, lessIncluded: null, state: 'applied', ...over }) as never;
    expect(billChange(c({}))).toBe(14);
    // Less Included 5 → 8 while the quantity goes 10 → 14: billed 5 → 6.
    expect(billChange(c({ lessIncludedBefore: 5, lessIncluded: 8 }))).toBe(3.5);
    // An unmapped Less Included stays as Manage has it.
    expect(billChange(c({ lessIncludedBefore: 12 }))).toBe(7);
    expect(billChange(c({ unitPrice: null }))).toBeNull();
    expect(billChange(c({ before: null }))).toBeNull();
    const sum = billSummary([
      c({}),
      c({ state: 'planned', before: 20, after: 18 }),
      c({ state: 'held', before: 12, after: 0 }),
      c({ state: 'skipped', after: 30 }),
      c({ state: 'failed', after: 30 }),
      c({ state: 'applied', unitPrice: null }),
      c({ state: 'unchanged', after: 10 }),
    ]);
    expect(sum).toEqual({ applied: 14, planned: -7, held: -42, unpriced: 1 });
    // Less Included 2 → 4 with the quantity unchanged: two seats fewer on the bill.
    expect(billSummary([c({ before: 10, after: 10, lessIncludedBefore: 2, lessIncluded: 4 })]).applied).toBe(-7);
    expect(formatAmountChange(1234.5)).toBe('+1,234.50');
    expect(formatAmountChange(-3.5)).toBe('−3.50');
    expect(formatAmountChange(0)).toBe('0.00');
  });
});
