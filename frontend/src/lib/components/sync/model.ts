import { formatDateTime } from '../../format';
import type { SyncChange, SyncProgress } from '../../sync-api';

export const STATE_LABELS: Record<string, string> = {
  unchanged: 'Unchanged',
  blocked: 'Blocked',
  error: 'Error',
  held: 'Needs review',
  planned: 'Planned',
  pending: 'Pending',
  approved: 'Approved',
  skipped: 'Skipped',
  applying: 'Applying',
  applied: 'Applied',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export const STATUS_LABELS: Record<string, string> = {
  planning: 'Planning',
  applying: 'Applying',
  succeeded: 'Succeeded',
  partial: 'Partly failed',
  failed: 'Failed',
  no_changes: 'No changes',
};

const PHASE_LABELS: Record<string, string> = {
  reading: 'Reading Webroot counts and Manage additions',
  planning: 'Planning the changes',
  applying: 'Applying changes to Manage',
  done: 'Done',
};

/** A running sync's phase and count in words: "Applying changes to Manage — 12 of 41 changes done". */
export function progressLine(p: SyncProgress): string {
  const phase = PHASE_LABELS[p.phase] ?? p.phase;
  const of = (n: number, total: number, noun: string) => `${n} of ${total} ${total === 1 ? noun : `${noun}s`}`;
  if (p.phase === 'reading' && p.agreementsTotal) return `${phase} — ${of(p.agreementsRead, p.agreementsTotal, 'agreement')} read`;
  if (p.phase === 'applying' && p.toApply) return `${phase} — ${of(p.applied + p.failed, p.toApply, 'change')} done`;
  return phase;
}

/** The <progress> bar's value and max for the phase, or null when there is nothing to count. */
export function progressBar(p: SyncProgress): { value: number; max: number } | null {
  if (p.phase === 'applying' && p.toApply) return { value: p.applied + p.failed, max: p.toApply };
  if (p.agreementsTotal) return { value: p.agreementsRead, max: p.agreementsTotal };
  return null;
}

export function stateLabel(s: string): string {
  return STATE_LABELS[s] ?? s;
}

export function statusLabel(s: string): string {
  return STATUS_LABELS[s] ?? s;
}

/**
 * A run's status in words, for the result summary and History. The recorded status is the
 * command line's (PRODUCT.md §2.7), where a run that applied nothing is no_changes even
 * when changes wait for review; the page says those need review, from the held count.
 */
/** A run's result in one or two words: a run that only held changes "needs review". */
export function runOutcome(run: { status: string; counts: { held: number } }): string {
  return run.status === 'no_changes' && run.counts.held > 0 ? 'Needs review' : statusLabel(run.status);
}

export function runStatusLabel(run: { status: string; counts: { held: number; approved: number } }): string {
  const { held, approved } = run.counts;
  const waiting = `${held} awaiting review`;
  if (run.status === 'no_changes') {
    if (held > 0) return `Needs review (${waiting})`;
    if (approved > 0) return `Approved, not applied yet (${approved})`;
  }
  if (held > 0 && (run.status === 'succeeded' || run.status === 'partial')) return `${statusLabel(run.status)}, ${waiting}`;
  return statusLabel(run.status);
}

export function sites(c: SyncChange): string {
  return (c.sites ?? []).map((s) => `${s.siteName || s.siteId} (${s.count})`).join(', ');
}

export function delta(c: SyncChange): string {
  if (c.before == null) return '—';
  const d = c.after - c.before;
  return d > 0 ? `+${d}` : String(d);
}

/** How much a change moves the addition's billed amount (quantity less "Less Included",
 * times the unit price), or null when Manage did not give a price or a quantity. */
export function billChange(c: SyncChange): number | null {
  if (c.unitPrice == null || c.before == null) return null;
  const lessBefore = c.lessIncludedBefore ?? 0;
  const lessAfter = c.lessIncluded ?? lessBefore; // an unmapped Less Included stays as it is
  const billedBefore = Math.max(0, c.before - lessBefore);
  const billedAfter = Math.max(0, c.after - lessAfter);
  return Math.round((billedAfter - billedBefore) * c.unitPrice * 100) / 100;
}

/** What a run's changes do to the bill, by where they stand: applied already, about to be
 * applied (planned, approved, pending), or waiting for review. Unchanged, skipped, blocked
 * and failed changes move nothing. */
export interface BillSummary {
  applied: number;
  planned: number;
  held: number;
  /** Changes with no unit price from Manage, left out of the sums. */
  unpriced: number;
}

export function billSummary(changes: SyncChange[]): BillSummary {
  const out: BillSummary = { applied: 0, planned: 0, held: 0, unpriced: 0 };
  for (const c of changes) {
    const bucket = c.state === 'applied' ? 'applied' : c.state === 'held' ? 'held' : ['planned', 'approved', 'pending'].includes(c.state) ? 'planned' : null;
    if (!bucket) continue; // a change of Less Included alone moves the bill too
    const amount = billChange(c);
    if (amount == null) out.unpriced++;
    else out[bucket] = Math.round((out[bucket] + amount) * 100) / 100;
  }
  return out;
}

/** Whether a change matches what the user typed: company, agreement, product, catalog
 * identifier, site names and ids, or the addition's id, ignoring case. Empty matches all. */
export function matchesChange(c: SyncChange, text: string): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  const hay = [c.companyName, c.agreementName, c.product, c.productIdentifier, String(c.additionId), ...(c.sites ?? []).flatMap((s) => [s.siteName, s.siteId])];
  return hay.some((h) => (h ?? '').toLowerCase().includes(q));
}

export function before(c: SyncChange): string {
  return c.before == null ? '?' : String(c.before);
}

export const TRIGGER_LABELS: Record<string, string> = { user: 'Manual', schedule: 'Scheduled', cli: 'Command line' };

/** How a run was started, in words: Manual, Scheduled or Command line. */
export function triggerLabel(trigger: string): string {
  return TRIGGER_LABELS[trigger] ?? trigger;
}

/** "Manual · finished 3 Dec 2026, 17:04" for a run's summary. */
export function runWhen(run: { trigger: string; startedAt: string; finishedAt?: string }): string {
  const at = run.finishedAt ? `finished ${formatTime(run.finishedAt)}` : `started ${formatTime(run.startedAt)}`;
  return `${triggerLabel(run.trigger)} · ${at}`;
}

/** A run's or change's time as every page shows times: "3 Dec 2026, 17:04". */
export function formatTime(s?: string | null): string {
  return formatDateTime(s) || (s ?? '');
}

/** A whole number from 0 to max, or an error message. */
export function parseQuantity(text: string, max = 1_000_000): { value?: number; error?: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: 'Enter a whole number of 0 or more.' };
  const n = Number(t);
  if (n > max) return { error: `Enter at most ${max.toLocaleString()}.` };
  return { value: n };
}

export function countByState(changes: SyncChange[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const c of changes) m[c.state] = (m[c.state] ?? 0) + 1;
  return m;
}
