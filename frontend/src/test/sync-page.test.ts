import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

vi.mock('../lib/manage-api', () => ({
  manageApi: { status: vi.fn(), onStatus: vi.fn(() => () => {}), onCache: vi.fn(() => () => {}) },
}));
vi.mock('../lib/webroot-api', () => ({
  webrootApi: { status: vi.fn(), onStatus: vi.fn(() => () => {}), onSites: vi.fn(() => () => {}) },
}));
vi.mock('../lib/sync-api', () => ({
  SETTINGS_FIELDS: { autoApply: 'Apply automatically', reviewShare: 'Review threshold', requestsPerMinute: 'Requests per minute' },
  syncApi: {
    start: vi.fn(),
    progress: vi.fn(),
    latestRun: vi.fn(),
    approve: vi.fn(),
    adjust: vi.fn(),
    skip: vi.fn(),
    approveAll: vi.fn(),
    applyApproved: vi.fn(),
    settings: vi.fn(),
    saveSettings: vi.fn(),
    onProgress: vi.fn(() => () => {}),
    onDone: vi.fn(() => () => {}),
  },
}));

import Sync from '../pages/Sync.svelte';
import { manageApi } from '../lib/manage-api';
import { webrootApi } from '../lib/webroot-api';
import { syncApi } from '../lib/sync-api';

const manage = vi.mocked(manageApi);
const webroot = vi.mocked(webrootApi);
const sync = vi.mocked(syncApi);

const counts = { total: 2, unchanged: 0, blocked: 0, errors: 0, held: 1, planned: 0, pending: 0, approved: 0, skipped: 0, applying: 0, applied: 1, failed: 0, interrupted: 0 };
const run = { id: 7, trigger: 'user', actor: 'dana@x', dryRun: false, includeHeld: false, autoApply: true, status: 'partial', message: '', startedAt: '2026-01-01T10:00:00Z', reviewShare: 20, requestsPerMinute: 1000, requests: 3, throttled: 0, counts };
function change(over: Record<string, unknown>) {
  return {
    id: 1, runId: 7, additionId: 100, agreementId: 10, companyId: 1, companyName: 'Acme', agreementName: 'Acme MSP', product: 'endpoint',
    productIdentifier: 'WEBROOT-EP', basis: 'active', sites: [{ siteId: 's1', siteName: 'Acme HQ', basis: 'active', count: 0 }],
    before: 40, proposed: 0, after: 0, plan: 'needs_review', state: 'held', reason: 'A drop to 0 needs review', message: '', requestId: '',
    adjusted: false, decidedBy: '', updatedAt: '', ...over,
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  manage.status.mockResolvedValue({ state: 'connected' } as never);
  webroot.status.mockResolvedValue({ state: 'connected' } as never);
  sync.progress.mockResolvedValue({ running: false } as never);
  sync.settings.mockResolvedValue({ autoApply: true, reviewShare: 20, requestsPerMinute: 1000 });
  sync.latestRun.mockResolvedValue({
    run,
    changes: [change({}), change({ id: 2, additionId: 101, companyName: 'Beta', state: 'applied', plan: 'change', before: 5, after: 6, reason: '' })],
  } as never);
});

describe('Sync page', () => {
  it('shows NeedsConnections when a connection is missing', async () => {
    webroot.status.mockResolvedValue({ state: 'not_configured' } as never);
    render(Sync);
    expect(await screen.findByText('Connect ConnectWise and Webroot first')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
  });

  it('lists the latest run and approves a held row', async () => {
    sync.approve.mockResolvedValue(change({ state: 'approved' }) as never);
    render(Sync);
    const rows = await screen.findAllByTestId('change-row');
    expect(rows).toHaveLength(2);
    expect(screen.getByTestId('run-status').textContent).toBe('Partly failed, 1 awaiting review');
    const heldRow = rows.find((r) => r.dataset.state === 'held')!;
    expect(within(heldRow).getByText('40 → 0')).toBeTruthy();
    // Compact icon buttons, named for screen readers, in a group naming the row.
    const review = within(heldRow).getByRole('group', { name: 'Review Acme WEBROOT-EP' });
    expect(within(review).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Approve', 'Adjust', 'Skip']);
    await userEvent.click(within(heldRow).getByRole('button', { name: 'Approve' }));
    expect(sync.approve).toHaveBeenCalledWith(7, 100);
    await waitFor(() => expect(screen.getAllByTestId('change-row').find((r) => r.dataset.addition === '100')!.dataset.state).toBe('approved'));
    // The summary follows the review.
    expect(screen.getByTestId('count-held').textContent).toBe('0');
    expect(screen.getByTestId('run-status').textContent).toBe('Partly failed');
    expect(screen.getByRole('button', { name: 'Apply approved' }).hasAttribute('disabled')).toBe(false);
  });

  it('says a run whose only changes are held needs review', async () => {
    sync.latestRun.mockResolvedValue({
      run: { ...run, status: 'no_changes', counts: { ...counts, total: 1, held: 1, applied: 0 } },
      changes: [change({})],
    } as never);
    render(Sync);
    await screen.findAllByTestId('change-row');
    expect(screen.getByTestId('run-status').textContent).toBe('Needs review (1 awaiting review)');
  });

  it('adjust accepts only a whole number', async () => {
    sync.adjust.mockResolvedValue(change({ state: 'approved', after: 12, adjusted: true }) as never);
    render(Sync);
    const rows = await screen.findAllByTestId('change-row');
    const heldRow = rows.find((r) => r.dataset.state === 'held')!;
    await userEvent.click(within(heldRow).getByRole('button', { name: 'Adjust' }));
    const input = within(heldRow).getByLabelText('Quantity');
    await userEvent.clear(input);
    await userEvent.type(input, '12.5');
    await userEvent.click(within(heldRow).getByRole('button', { name: 'Save' }));
    expect(within(heldRow).getByRole('alert').textContent).toMatch(/whole number/);
    expect(sync.adjust).not.toHaveBeenCalled();
    await userEvent.clear(input);
    await userEvent.type(input, '12');
    await userEvent.click(within(heldRow).getByRole('button', { name: 'Save' }));
    expect(sync.adjust).toHaveBeenCalledWith(7, 100, 12);
  });

  it('starts a dry run and filters by state', async () => {
    sync.start.mockResolvedValue({ started: true, message: '' });
    render(Sync);
    await screen.findAllByTestId('change-row');
    await userEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    expect(sync.start).toHaveBeenCalledWith(true);
    await userEvent.selectOptions(screen.getByLabelText('Filter by state'), 'applied');
    expect(screen.getAllByTestId('change-row')).toHaveLength(1);
  });

  it('finds changes by company, site or addition id, within the state filter', async () => {
    render(Sync);
    await screen.findAllByTestId('change-row');
    const find = screen.getByLabelText('Find in the changes');
    await userEvent.type(find, 'beta');
    expect(screen.getAllByTestId('change-row').map((r) => r.dataset.addition)).toEqual(['101']);
    await userEvent.clear(find);
    await userEvent.type(find, 'acme hq'); // a site's name
    expect(screen.getAllByTestId('change-row')).toHaveLength(2);
    await userEvent.clear(find);
    await userEvent.type(find, '100');
    expect(screen.getAllByTestId('change-row').map((r) => r.dataset.addition)).toEqual(['100']);
    await userEvent.selectOptions(screen.getByLabelText('Filter by state'), 'applied');
    expect(screen.queryAllByTestId('change-row')).toHaveLength(0);
    expect(screen.getByText(/No mapped addition matches “100” and this filter/)).toBeTruthy();
  });

  it('shows settings field errors from the backend', async () => {
    const { ApiError } = await import('../lib/api');
    sync.saveSettings.mockRejectedValue(new ApiError('invalid', [{ field: 'Requests per minute', message: 'Enter 10 to 100,000.' }]));
    render(Sync);
    const card = await screen.findByTestId('sync-settings');
    await userEvent.click(within(card).getByRole('button', { name: 'Save settings' }));
    expect(await within(card).findByText('Enter 10 to 100,000.')).toBeTruthy();
  });
});
