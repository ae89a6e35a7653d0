// One way to show dates, times and counts on every page. Dates read "3 Dec 2026, 17:04":
// the day before the month (no 12/3 versus 3/12 doubt between US and European users), the
// month as a word and a 24-hour clock, as the schedule has always shown them.

type When = string | undefined | null;

function parse(iso: When): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

/** The parts of d in timeZone (this computer's when not given or not known), in English. The
 * text is put together here, not by the engine: WebKitGTK and Chromium punctuate the same
 * options differently ("Fri, 4 Dec" and "Fri 4 Dec"). */
function parts(d: Date, timeZone?: string): Parts {
  const opts: Intl.DateTimeFormatOptions = {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  };
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-GB', timeZone ? { ...opts, timeZone } : opts);
  } catch {
    f = new Intl.DateTimeFormat('en-GB', opts); // an unknown zone: this computer's
  }
  const out: Parts = {};
  for (const p of f.formatToParts(d)) out[p.type] = p.value;
  // Some engines write the month with a full stop ("Sept."); the short form is three letters.
  if (out.month) out.month = out.month.replace(/\.$/, '').slice(0, 3);
  return out;
}

/** "CST", as US users know their zones (en-GB writes GMT-6); "" when the engine cannot say. */
function zoneName(d: Date, timeZone?: string): string {
  try {
    const f = new Intl.DateTimeFormat('en-US', timeZone ? { timeZoneName: 'short', timeZone } : { timeZoneName: 'short' });
    return f.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

const amounts = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

/** An amount of money with its sign and two decimals, "+1,234.50" or "−3.50", without a
 * currency: Manage keeps prices in the agreement's currency, which the app does not read. */
export function formatAmountChange(n: number): string {
  return amounts.format(n).replace('-', '−');
}

/** "3 Dec 2026, 17:04"; "" for no or an unreadable time. */
export function formatDateTime(iso: When, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return '';
  const p = parts(d, timeZone);
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** "3 Dec 2026"; "" for none. */
export function formatDate(iso: When, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return '';
  const p = parts(d, timeZone);
  return `${p.day} ${p.month} ${p.year}`;
}

/** "Fri 4 Dec, 06:00": a time in the coming days, such as the next scheduled sync. */
export function formatSoon(iso: When, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return '';
  const p = parts(d, timeZone);
  return `${p.weekday} ${p.day} ${p.month}, ${p.hour}:${p.minute}`;
}

/** "Thu 3 Dec 2026, 17:04:33 CST": every detail, for a tooltip. */
export function formatFull(iso: When, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return '';
  const p = parts(d, timeZone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}:${p.second} ${zoneName(d, timeZone) || p.timeZoneName}`.trim();
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

/** A backend message as a sentence: a capital first letter and a full stop at the end. */
export function sentence(msg: string): string {
  const t = msg.trim();
  if (!t) return t;
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)…:]$/.test(s) ? s : s + '.';
}
