import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

vi.mock('../lib/sync-api', () => ({
  syncApi: {
    runsPage: vi.fn(),
    changes: vi.fn(),
    timeline: vi.fn(),
    saveHistoryExport: vi.fn(),
    onDone: vi.fn(() => () => {}),
  },
}));

import History from '../pages/History.svelte';
import { syncApi, type SyncRun } from '../lib/sync-api';
import { runStatusLabel } from '../lib/components/sync/model';
import { toasts } from '../lib/toast.svelte';

const sync = vi.mocked(syncApi);

const zero = { total: 0, unchanged: 0, blocked: 0, errors: 0, held: 0, planned: 0, pending: 0, approved: 0, skipped: 0, applying: 0, applied: 0, failed: 0, interrupted: 0 };
function run(id: number, over: Partial<SyncRun> = {}): SyncRun {
  return {
    id, trigger: 'user', actor: 'dana@x', dryRun: false, includeHeld: false, autoApply: true, status: 'succeeded', message: '',
    startedAt: '2026-01-01T10:00:00Z', reviewShare: 20, requestsPerMinute: 1000, requests: 3, throttled: 0, counts: { ...zero, total: 1, applied: 1 }, ...over,
  } as SyncRun;
}
/** Runs from id down to id-n+1, newest first. */
const runs = (id: number, n: number): SyncRun[] => Array.from({ length: n }, (_, i) => run(id - i));

beforeEach(() => {
  vi.clearAllMocks();
  toasts.items = [];
});

describe('run status in words', () => {
  it('says a run whose only changes are held needs review, keeping the recorded status', () => {
    expect(runStatusLabel({ status: 'no_changes', counts: { ...zero, held: 3 } })).toBe('Needs review (3 awaiting review)');
    expect(runStatusLabel({ status: 'no_changes', counts: { ...zero } })).toBe('No changes');
    expect(runStatusLabel({ status: 'no_changes', counts: { ...zero, approved: 2 } })).toBe('Approved, not applied yet (2)');
    expect(runStatusLabel({ status: 'succeeded', counts: { ...zero, held: 1 } })).toBe('Succeeded, 1 awaiting review');
    expect(runStatusLabel({ status: 'partial', counts: { ...zero, held: 2 } })).toBe('Partly failed, 2 awaiting review');
    expect(runStatusLabel({ status: 'failed', counts: { ...zero, held: 2 } })).toBe('Failed');
  });
});

describe('History page', () => {
  it('shows held-only runs as needing review', async () => {
    sync.runsPage.mockResolvedValue({ runs: [run(2, { status: 'no_changes', counts: { ...zero, total: 5, held: 2, unchanged: 3 } }), run(1)], more: false });
    render(History);
    const rows = await screen.findAllByTestId('run-row');
    expect(rows[0]).toHaveTextContent('Needs review (2 awaiting review)');
    expect(rows[1]).toHaveTextContent('Succeeded');
    expect(screen.getByTestId('runs-shown')).toHaveTextContent('2 runs shown — all of them');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('loads older runs a page at a time, after the last one shown', async () => {
    sync.runsPage.mockResolvedValueOnce({ runs: runs(120, 50), more: true });
    render(History);
    expect(await screen.findAllByTestId('run-row')).toHaveLength(50);
    expect(sync.runsPage).toHaveBeenLastCalledWith({ search: '', trigger: '', status: '', realOnly: false, limit: 50 });

    sync.runsPage.mockResolvedValueOnce({ runs: runs(70, 50), more: true });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(sync.runsPage).toHaveBeenLastCalledWith({ search: '', trigger: '', status: '', realOnly: false, limit: 50, beforeId: 71 });
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(100));

    sync.runsPage.mockResolvedValueOnce({ runs: runs(20, 20), more: false });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(120));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByTestId('runs-shown')).toHaveTextContent('120 runs shown — all of them');
    const ids = screen.getAllByTestId('run-row').map((r) => r.querySelector('button')?.textContent);
    expect(ids[0]).toBe('#120');
    expect(ids[119]).toBe('#1');
  });

  it('filters by trigger and status, leaves dry runs out, and keeps the filters when loading more', async () => {
    sync.runsPage.mockResolvedValue({ runs: runs(60, 50), more: true });
    render(History);
    await screen.findAllByTestId('run-row');
    await userEvent.selectOptions(screen.getByLabelText('Started by'), 'Scheduled');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Partly failed');
    await userEvent.click(screen.getByLabelText('Hide dry runs'));
    await waitFor(() =>
      expect(sync.runsPage).toHaveBeenLastCalledWith({ search: '', trigger: 'schedule', status: 'partial', realOnly: true, limit: 50 }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(sync.runsPage).toHaveBeenLastCalledWith({ search: '', trigger: 'schedule', status: 'partial', realOnly: true, limit: 50, beforeId: 11 });

    sync.runsPage.mockResolvedValue({ runs: [], more: false });
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Failed');
    expect(await screen.findByText('No runs match these filters')).toBeTruthy();
  });

  it('exports through the native save dialog and names the file', async () => {
    sync.runsPage.mockResolvedValue({ runs: [run(1)], more: false });
    sync.saveHistoryExport.mockResolvedValue('/home/dana/cwm-webroot-history.csv');
    render(History);
    await screen.findAllByTestId('run-row');
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(sync.saveHistoryExport).toHaveBeenCalledOnce();
    await waitFor(() => expect(toasts.items.map((t) => [t.kind, t.message])).toEqual([['success', 'Sync history exported to /home/dana/cwm-webroot-history.csv']]));

    // Cancelled: nothing is said. Failed: the reason is.
    toasts.items = [];
    sync.saveHistoryExport.mockResolvedValue('');
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(sync.saveHistoryExport).toHaveBeenCalledTimes(2));
    expect(toasts.items).toEqual([]);
    sync.saveHistoryExport.mockRejectedValue(new Error('Permission denied'));
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(toasts.items.map((t) => t.message)).toEqual(['The history was not exported: Permission denied']));
  });
});
