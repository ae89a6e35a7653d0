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

/** A timestamp from the backend (RFC 3339), "3 Dec 2026, 17:04"; "" for none. */
export { formatDateTime as formatWhen, formatAgo } from '../../format';

// en-US grouping (2,500) on every engine: WebKitGTK without a LANG would print 2500.
const numbers = new Intl.NumberFormat('en-US');

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
