// One way to show dates, times and counts on every page. Dates read "3 Dec 2026, 17:04":
// the day before the month (no 12/3 versus 3/12 doubt between US and European users), the
// month as a word and a 24-hour clock, as the schedule has always shown them.

type When = string | undefined | null;

const LOCALE = 'en-GB';

function parse(iso: When): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Formats in timeZone, or in this computer's zone when it is not given or not known. */
function format(d: Date, opts: Intl.DateTimeFormatOptions, timeZone?: string): string {
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat(LOCALE, { ...opts, timeZone }).format(d);
    } catch {
      /* an unknown zone: this computer's */
    }
  }
  return new Intl.DateTimeFormat(LOCALE, opts).format(d);
}

const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** "3 Dec 2026, 17:04"; "" for no or an unreadable time. */
export function formatDateTime(iso: When, timeZone?: string): string {
  const d = parse(iso);
  return d ? format(d, { day: 'numeric', month: 'short', year: 'numeric', ...time }, timeZone) : '';
}

/** "3 Dec 2026"; "" for none. */
export function formatDate(iso: When, timeZone?: string): string {
  const d = parse(iso);
  return d ? format(d, { day: 'numeric', month: 'short', year: 'numeric' }, timeZone) : '';
}

/** "Fri 4 Dec, 06:00": a time in the coming days, such as the next scheduled sync. */
export function formatSoon(iso: When, timeZone?: string): string {
  const d = parse(iso);
  return d ? format(d, { weekday: 'short', day: 'numeric', month: 'short', ...time }, timeZone) : '';
}

/** "Thursday 3 December 2026, 17:04:33 CST": every detail, for a tooltip. */
export function formatFull(iso: When, timeZone?: string): string {
  const d = parse(iso);
  return d
    ? format(d, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }, timeZone)
    : '';
}

/** "just now", "5 minutes ago", "3 hours ago", else the date and time. */
export function formatAgo(iso: When, now: Date = new Date()): string {
  const d = parse(iso);
  if (!d) return '';
  const s = Math.round((now.getTime() - d.getTime()) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? '1 minute ago' : `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 24) return h === 1 ? '1 hour ago' : `${h} hours ago`;
  return formatDateTime(iso);
}
