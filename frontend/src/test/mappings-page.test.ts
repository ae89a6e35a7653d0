import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

// jsdom has no layout: bind:clientHeight needs a ResizeObserver, and heights read as 0 (the
// table then assumes a 640-pixel viewport).
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
} as unknown as typeof ResizeObserver;

type Handler = (payload: unknown) => void;
const changed: Handler[] = [];

vi.mock('../lib/manage-api', () => ({
  manageApi: {
    companies: vi.fn(async () => []),
    agreements: vi.fn(async () => []),
    additions: vi.fn(async () => []),
    status: vi.fn(),
    onStatus: vi.fn(() => () => {}),
    onCache: vi.fn(() => () => {}),
  },
}));

vi.mock('../lib/webroot-api', () => ({
  webrootApi: {
    status: vi.fn(),
    saveDeviceList: vi.fn(),
    onStatus: vi.fn(() => () => {}),
    onSites: vi.fn(() => () => {}),
  },
}));

vi.mock('../lib/mapping-api', () => ({
  mappingApi: {
    rows: vi.fn(),
    unmappedCount: vi.fn(async () => 0),
    save: vi.fn(),
    remove: vi.fn(),
    setExcluded: vi.fn(),
    importCSV: vi.fn(),
    exportCSV: vi.fn(),
    saveExport: vi.fn(),
    acceptSuggestions: vi.fn(),
    onChanged: vi.fn((fn: Handler) => (changed.push(fn), () => {})),
  },
  mappingEvents: { changed: 'mappings:changed' },
}));

import { manageApi } from '../lib/manage-api';
import { webrootApi } from '../lib/webroot-api';
import { mappingApi, type MappingRow } from '../lib/mapping-api';
import { unmapped } from '../lib/unmapped.svelte';
import Mappings from '../pages/Mappings.svelte';
import Toaster from '../lib/components/ui/Toaster.svelte';
import { mappingRow } from './mapping-rows';

const manage = vi.mocked(manageApi);
const webroot = vi.mocked(webrootApi);
const mappings = vi.mocked(mappingApi);

const connectedManage = { state: 'connected', summary: '', site: '', companyId: '', username: '', companyName: '', version: '', cache: { refreshedAt: '2025-06-15T10:00:00Z', counts: {}, warnings: [] } };
const connectedWebroot = { state: 'connected', summary: '', username: '', consoleName: '', siteCount: 3, totalSeats: 100, cachedSites: 3 };

function row(over: Partial<MappingRow>): MappingRow {
  return mappingRow({ siteId: 'S', counts: { active_without_hidden: 10 }, ...over });
}

const demoRows: MappingRow[] = [
  row({ siteId: 'A', siteName: 'Acme Corp', new: true, counts: { active_without_hidden: 42 } }),
  row({ siteId: 'A', siteName: 'Acme Corp', product: 'dns', productLabel: 'DNS Protection', counts: { devices_seen: 30 } }),
  row({
    siteId: 'G',
    siteName: 'Globex Inc.',
    state: 'mapped',
    counts: { active_without_hidden: 60, seen_30d: 67 },
    mapping: { siteId: 'G', product: 'endpoint', countBasis: 'seen_30d', companyId: 251, agreementId: 872, additionId: 3590 },
    companyName: 'Globex Corporation',
    agreementName: 'Managed Services',
    additionName: 'WEBROOT-EP · Webroot Business Endpoint Protection',
    sharedCount: 1,
  }),
  row({
    siteId: 'H',
    siteName: 'Globex Branch',
    state: 'mapped',
    counts: { active_without_hidden: 7 },
    mapping: { siteId: 'H', product: 'endpoint', countBasis: 'active_without_hidden', companyId: 251, agreementId: 872, additionId: 3590 },
    companyName: 'Globex Corporation',
    agreementName: 'Managed Services',
    additionName: 'WEBROOT-EP · Webroot Business Endpoint Protection',
    sharedCount: 1,
    problem: 'agreement 872 is cancelled',
  }),
  row({ siteId: 'V', siteName: 'Vandelay Industries', state: 'excluded', suspended: true }),
  row({
    siteId: 'N',
    siteName: 'Northwind',
    comments: 'cwm-id=264',
    suggestion: { companyId: 264, companyName: 'Northwind Traders', agreementId: 890, agreementName: 'Managed Services', additionId: 3600, additionName: 'WEBROOT-EP', countBasis: 'active_without_hidden', score: 1, reason: 'cwm-id=264 in the site comments', kind: 'hint' },
  }),
];

beforeEach(() => {
  vi.clearAllMocks();
  changed.length = 0;
  manage.status.mockResolvedValue(connectedManage as never);
  webroot.status.mockResolvedValue(connectedWebroot as never);
  mappings.rows.mockResolvedValue(demoRows);
});

const rowFor = (name: RegExp): HTMLElement => {
  const r = screen.getAllByTestId('mapping-row').find((tr) => name.test(tr.textContent ?? ''));
  if (!r) throw new Error(`no row ${name}`);
  return r;
};

describe('Mappings page', () => {
  it('explains what is missing until both connections work', async () => {
    manage.status.mockResolvedValue({ ...connectedManage, state: 'connected' } as never);
    webroot.status.mockResolvedValue({ ...connectedWebroot, state: 'not_configured', cachedSites: 0 } as never);
    render(Mappings);
    expect(await screen.findByRole('heading', { name: 'Connect ConnectWise and Webroot first' })).toBeVisible();
    expect(screen.getByRole('list', { name: 'Connections' })).toHaveTextContent('Webroot GSM Not configured');
    expect(mappings.rows).not.toHaveBeenCalled();
  });

  it('lists every line with its count and basis, state, mapping and tags', async () => {
    render(Mappings);
    await screen.findAllByTestId('mapping-row');
    expect(screen.getByTestId('mapping-summary')).toHaveTextContent('Showing 6 of 6 product lines · 5 sites · 3 waiting for a mapping');
    expect(unmapped.count).toBe(3);

    const globex = rowFor(/Globex Inc/);
    expect(within(globex).getByTestId('row-count')).toHaveTextContent('67');
    expect(globex).toHaveTextContent('Devices seen in the last 30 days');
    expect(globex).toHaveTextContent('Mapped');
    expect(globex).toHaveTextContent('Globex Corporation #251');
    expect(globex).toHaveTextContent('shared with 1 other site (summed)');
    expect(within(globex).getByText(/shared with 1 other site/)).toHaveAttribute('title', 'Summed with Globex Branch into the same addition');
    expect(globex).toHaveTextContent('Managed Services #872 → WEBROOT-EP #3590');

    const branch = rowFor(/Globex Branch/);
    expect(branch).toHaveTextContent('⚠ Problem');
    expect(branch).toHaveTextContent('agreement 872 is cancelled');

    const acme = rowFor(/Acme Corp.*Endpoint/);
    expect(acme).toHaveTextContent('New');
    expect(acme).toHaveTextContent('Active devices (without hidden)');
    expect(within(acme).getByRole('button', { name: 'Map Acme Corp, Endpoint Protection' })).toBeVisible();

    expect(rowFor(/Vandelay/)).toHaveTextContent('Suspended');
    expect(within(rowFor(/Vandelay/)).getByRole('button', { name: 'Include Vandelay Industries, Endpoint Protection again' })).toBeVisible();
    expect(rowFor(/Northwind/)).toHaveTextContent('Suggested: Northwind Traders #264');
    expect(rowFor(/Northwind/)).toHaveTextContent('score 100');
  });

  it('filters by state and product chips with counts, searches after a pause, and sorts', async () => {
    const user = userEvent.setup();
    render(Mappings);
    await screen.findAllByTestId('mapping-row');
    const chips = screen.getByRole('group', { name: 'State' });
    expect(within(chips).getByRole('button', { name: 'Unmapped 3' })).toBeVisible();
    expect(within(chips).getByRole('button', { name: 'Problems 1' })).toBeVisible();
    await user.click(within(chips).getByRole('button', { name: 'Unmapped 3' }));
    expect(screen.getAllByTestId('mapping-row')).toHaveLength(3);
    await user.click(screen.getByRole('group', { name: 'Product' }).querySelector('button[aria-pressed="false"]:nth-child(3)') as HTMLElement);
    expect(screen.getAllByTestId('mapping-row')).toHaveLength(1);
    expect(screen.getAllByTestId('mapping-row')[0]).toHaveTextContent('DNS Protection');

    await user.click(within(screen.getByRole('group', { name: 'Product' })).getByRole('button', { name: /All products/ }));
    await user.click(within(chips).getByRole('button', { name: /^All/ }));
    await user.type(screen.getByLabelText('Search sites, companies and agreements'), 'globex corp');
    await waitFor(() => expect(screen.getAllByTestId('mapping-row')).toHaveLength(2));
    await user.clear(screen.getByLabelText('Search sites, companies and agreements'));
    await user.type(screen.getByLabelText('Search sites, companies and agreements'), 'zzz');
    expect(await screen.findByText('No row matches “zzz”.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Clear the search' }));
    await waitFor(() => expect(screen.getAllByTestId('mapping-row')).toHaveLength(6));

    await user.click(screen.getByRole('button', { name: /^Count/ }));
    expect(screen.getByRole('columnheader', { name: /Count/ })).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getAllByTestId('mapping-row')[0]).toHaveTextContent('Globex Inc.');
  });

  it('excludes an unmapped line at once, and asks first when the line is mapped', async () => {
    const user = userEvent.setup();
    mappings.setExcluded.mockResolvedValue(undefined);
    render(Mappings);
    render(Toaster);
    await screen.findAllByTestId('mapping-row');
    await user.click(within(rowFor(/Acme Corp.*Endpoint/)).getByRole('button', { name: /^Exclude/ }));
    expect(mappings.setExcluded).toHaveBeenCalledWith('A', 'endpoint', true);
    expect(await screen.findByText('Acme Corp (Endpoint Protection) is excluded from billing.')).toBeVisible();

    await user.click(within(rowFor(/Globex Inc/)).getByRole('button', { name: /^Exclude/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Exclude from billing?' });
    expect(dialog).toHaveTextContent('Excluding it removes that mapping');
    expect(mappings.setExcluded).toHaveBeenCalledTimes(1);
    await user.click(within(dialog).getByRole('button', { name: 'Exclude and remove the mapping' }));
    await waitFor(() => expect(mappings.setExcluded).toHaveBeenCalledWith('G', 'endpoint', true));
  });

  it('exports a site’s device list from its Endpoint Protection row, saying where it went or why not', async () => {
    const user = userEvent.setup();
    render(Mappings);
    render(Toaster);
    await screen.findAllByTestId('mapping-row');
    // One button a site, on its Endpoint Protection row (the device list is its agents).
    expect(screen.getAllByRole('button', { name: 'Export device list for Acme Corp' })).toHaveLength(1);
    expect(within(rowFor(/Acme Corp.*DNS/)).queryByRole('button', { name: /device list/ })).toBeNull();
    expect(within(rowFor(/Vandelay/)).getByRole('button', { name: 'Export device list for Vandelay Industries' })).toBeEnabled();

    let finish: (path: string) => void = () => {};
    webroot.saveDeviceList.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const button = within(rowFor(/Globex Inc/)).getByRole('button', { name: 'Export device list for Globex Inc.' });
    await user.click(button);
    expect(webroot.saveDeviceList).toHaveBeenCalledWith('G');
    // While the list is read, the buttons wait (one export at a time).
    await waitFor(() => expect(button).toBeDisabled());
    expect(screen.getByRole('button', { name: 'Export device list for Acme Corp' })).toBeDisabled();
    finish('/home/dana/devices-Globex-Inc.-2025-06-15.csv');
    expect(await screen.findByText('Device list of Globex Inc. exported to /home/dana/devices-Globex-Inc.-2025-06-15.csv')).toBeVisible();
    await waitFor(() => expect(button).toBeEnabled());

    webroot.saveDeviceList.mockRejectedValueOnce(new Error('Webroot refused the request: the account lacks access'));
    await user.click(screen.getByRole('button', { name: 'Export device list for Acme Corp' }));
    expect(await screen.findByText('The device list of Acme Corp was not exported: Webroot refused the request: the account lacks access')).toBeVisible();

    // Cancelled in the dialog: nothing is said.
    webroot.saveDeviceList.mockResolvedValueOnce('');
    await user.click(screen.getByRole('button', { name: 'Export device list for Northwind' }));
    await waitFor(() => expect(webroot.saveDeviceList).toHaveBeenLastCalledWith('N'));
    expect(screen.queryByText(/Device list of Northwind/)).toBeNull();
  });

  it('lists every bad line of an import and says nothing changed', async () => {
    const user = userEvent.setup();
    mappings.importCSV.mockResolvedValueOnce({
      result: { created: 0, updated: 0, unchanged: 0 },
      errors: [
        { line: 3, field: 'agreement_id', message: 'agreement 880 (Managed Services 2022) is cancelled: choose an active agreement' },
        { line: 5, field: 'count_basis', message: '"devices" is not a count basis' },
      ],
    });
    mappings.importCSV.mockResolvedValueOnce({ result: { created: 2, updated: 1, unchanged: 4 }, errors: [] });
    render(Mappings);
    await screen.findAllByTestId('mapping-row');
    const input = screen.getByTestId('import-file') as HTMLInputElement;
    await user.upload(input, new File(['site_id,…\n'], 'mappings.csv', { type: 'text/csv' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nothing was imported' });
    expect(dialog).toHaveTextContent('mappings.csv has 2 problems. Nothing was changed');
    const lines = within(screen.getByTestId('import-errors')).getAllByRole('listitem');
    expect(lines.map((l) => l.textContent)).toEqual([
      'Line 3, agreement_id: agreement 880 (Managed Services 2022) is cancelled: choose an active agreement',
      'Line 5, count_basis: "devices" is not a count basis',
    ]);
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));

    await user.upload(input, new File(['site_id,…\n'], 'good.csv', { type: 'text/csv' }));
    expect(await screen.findByTestId('import-summary')).toHaveTextContent('good.csv: 2 created, 1 updated, 4 unchanged.');
  });

  it('reviews suggestions and accepts only what is chosen, reporting failures', async () => {
    const user = userEvent.setup();
    mappings.acceptSuggestions.mockResolvedValueOnce({ accepted: 0, failed: [{ siteId: 'N', product: 'endpoint', message: 'addition 3600 is no longer current' }] });
    render(Mappings);
    await screen.findAllByTestId('mapping-row');
    await user.click(screen.getByRole('button', { name: 'Review suggestions (1)' }));
    const review = screen.getByTestId('suggestion-review');
    expect(within(review).getByTestId('suggestion')).toHaveTextContent('cwm-id=264 in the site comments');
    expect(within(review).getByRole('button', { name: 'Accept selected' })).toBeDisabled();
    await user.click(within(review).getByRole('checkbox', { name: 'Accept the suggestion for Northwind, Endpoint Protection' }));
    expect(mappings.acceptSuggestions).not.toHaveBeenCalled();
    await user.click(within(review).getByRole('button', { name: 'Accept selected (1)' }));
    await waitFor(() => expect(mappings.acceptSuggestions).toHaveBeenCalledTimes(1));
    expect(mappings.acceptSuggestions.mock.calls[0]?.[0]).toEqual([{ siteId: 'N', product: 'endpoint' }]);
    expect(await screen.findByTestId('accept-result')).toHaveTextContent('No suggestion was accepted. 1 suggestion could not be accepted:');
    expect(screen.getByTestId('accept-result')).toHaveTextContent('Northwind (Endpoint Protection): addition 3600 is no longer current');
  });

  it('reloads when the mappings change', async () => {
    render(Mappings);
    await screen.findAllByTestId('mapping-row');
    mappings.rows.mockResolvedValue([...demoRows, row({ siteId: 'Z', siteName: 'Zenith', new: true })]);
    changed.forEach((fn) => fn(null));
    await waitFor(() => expect(screen.getByTestId('mapping-summary')).toHaveTextContent('Showing 7 of 7'));
  });
});

function book(sites: number): MappingRow[] {
  const out: MappingRow[] = [];
  for (let i = 0; i < sites; i++) {
    const products = i % 5 === 0 ? ['endpoint', 'dns', 'wsat'] : i % 4 === 0 ? ['endpoint', 'dns'] : ['endpoint'];
    for (const p of products) {
      out.push(
        row({
          siteId: `s${i}`,
          siteName: `Customer ${i} ${['Dental', 'Legal', 'Clinic', 'Builders'][i % 4]}`,
          product: p,
          productLabel: p,
          counts: { active_without_hidden: i % 300, devices_seen: i % 200, users_seen: i % 90 },
          state: i % 3 === 1 ? 'mapped' : 'unmapped',
          mapping: i % 3 === 1 ? { siteId: `s${i}`, product: p, countBasis: '', companyId: i, agreementId: i, additionId: i } : null,
          companyName: i % 3 === 1 ? `Company ${i}` : '',
        }),
      );
    }
  }
  return out;
}

describe('Mappings page with 5,000 sites', () => {
  it('renders only the rows in view and stays quick to filter and sort (timings printed, not asserted)', async () => {
    const user = userEvent.setup();
    const rows = book(5000);
    mappings.rows.mockResolvedValue(rows);
    const t0 = performance.now();
    render(Mappings);
    await screen.findAllByTestId('mapping-row');
    const tLoad = performance.now() - t0;
    const inDom = screen.getAllByTestId('mapping-row').length;
    expect(inDom).toBeLessThan(40);
    expect(screen.getByRole('table')).toHaveAttribute('aria-rowcount', String(rows.length + 1));
    expect(screen.getByTestId('mapping-summary')).toHaveTextContent(`Showing 8,000 of 8,000 product lines · 5,000 sites`);

    const t1 = performance.now();
    await user.click(within(screen.getByRole('group', { name: 'State' })).getByRole('button', { name: /^Unmapped/ }));
    await waitFor(() => expect(screen.getByTestId('mapping-summary')).toHaveTextContent('Showing 5,333 of'));
    const tChip = performance.now() - t1;

    const search = screen.getByLabelText('Search sites, companies and agreements');
    await user.type(search, 'dental');
    const t2 = performance.now();
    await waitFor(() => expect(screen.getByTestId('mapping-summary')).toHaveTextContent('Showing 1,833 of'));
    const tSearch = performance.now() - t2; // includes the 150 ms pause after typing

    const t3 = performance.now();
    await user.click(screen.getByRole('button', { name: /^Count/ }));
    await waitFor(() => expect(screen.getByRole('columnheader', { name: /Count/ })).toHaveAttribute('aria-sort', 'descending'));
    const tSort = performance.now() - t3;
    expect(screen.getAllByTestId('mapping-row')[0]).toHaveTextContent('296');

    console.log(
      `[perf] jsdom page, ${rows.length} rows: first render ${tLoad.toFixed(0)} ms (${inDom} rows in the DOM) · state chip ${tChip.toFixed(0)} ms · ` +
        `search ${tSearch.toFixed(0)} ms incl. 150 ms debounce · sort ${tSort.toFixed(0)} ms`,
    );
  });
});
