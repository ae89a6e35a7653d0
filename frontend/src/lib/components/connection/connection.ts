// Shapes and helpers shared by the connection pages (ConnectWise and Webroot). The Go side
// reports test steps in this shape for both vendors (webrootconn.Step, manage.Step).

export type StepStatus = 'ok' | 'warning' | 'failed' | 'skipped';

export interface ConnectionStep {
  id: string;
  title: string;
  /** ok, warning, failed or skipped. */
  status: string;
  message: string;
  requestId?: string;
  durationMs?: number;
}

/** not_configured, untested, connected, failing; "testing" while a test runs. */
export type ConnectionStateName = 'not_configured' | 'untested' | 'connected' | 'failing' | 'testing';

export const stateLabels: Record<ConnectionStateName, string> = {
  not_configured: 'Not configured',
  untested: 'Saved, not tested',
  connected: 'Connected',
  failing: 'Failing',
  testing: 'Testing…',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp from the backend (RFC 3339) as the user reads dates; "" for none. */
export function formatWhen(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateTime.format(d);
}

/** "just now", "5 minutes ago", "3 hours ago", else the date. */
export function formatAgo(iso: string | undefined | null, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const s = Math.round((now.getTime() - d.getTime()) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? '1 minute ago' : `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 24) return h === 1 ? '1 hour ago' : `${h} hours ago`;
  return formatWhen(iso);
}

const numbers = new Intl.NumberFormat();

export function formatCount(n: number | undefined | null): string {
  return n == null ? '—' : numbers.format(n);
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A backend field message (it reads on from the label: "enter …") starting a sentence. */
export function capitalize(msg: string): string {
  return msg.charAt(0).toUpperCase() + msg.slice(1);
}

/** msg ending in a full stop, unless it ends a sentence already. */
export function withFullStop(msg: string): string {
  return /[.!?)]$/.test(msg) ? msg : msg + '.';
}
