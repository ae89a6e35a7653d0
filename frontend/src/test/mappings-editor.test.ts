import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

vi.mock('../lib/manage-api', () => ({
  manageApi: {
    companies: vi.fn(),
    agreements: vi.fn(),
    additions: vi.fn(),
    catalog: vi.fn(),
    createAddition: vi.fn(),
    status: vi.fn(),
    onStatus: vi.fn(() => () => {}),
    onCache: vi.fn(() => () => {}),
  },
}));

vi.mock('../lib/mapping-api', () => ({
  mappingApi: {
    rows: vi.fn(),
    unmappedCount: vi.fn(),
    save: vi.fn(),
    remove: vi.fn(),
    setExcluded: vi.fn(),
    importCSV: vi.fn(),
    exportCSV: vi.fn(),
    saveExport: vi.fn(),
    acceptSuggestions: vi.fn(),
    onChanged: vi.fn(() => () => {}),
  },
  mappingEvents: { changed: 'mappings:changed' },
}));

import { ApiError } from '../lib/api';
import { manageApi, type ManageAddition, type ManageAgreement, type ManageCompany } from '../lib/manage-api';
import { mappingApi, type MappingRow } from '../lib/mapping-api';
import { prepare, type ViewRow } from '../lib/components/mappings/model';
import MappingEditor from '../lib/components/mappings/MappingEditor.svelte';
import { mappingRow } from './mapping-rows';

const manage = vi.mocked(manageApi);
const mappings = vi.mocked(mappingApi);

const companies: ManageCompany[] = [
  { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation', status: 'Active', activeAgreements: 1 },
  { id: 264, identifier: 'Northwind', name: 'Northwind Traders', status: 'Active', activeAgreements: 1 },
  { id: 265, identifier: 'NorthwindWest', name: 'Northwind Traders', status: 'Active', activeAgreements: 0 },
];

const agreement = (over: Partial<ManageAgreement>): ManageAgreement => ({
  id: 871,
  companyId: 250,
  companyName: 'Acme Corporation',
  name: 'Managed Services',
  type: 'Managed Services',
  status: 'Active',
  cancelled: false,
  noEndingDate: true,
  isChild: false,
  blockedReason: '',
  additions: 3,
  ...over,
});

const addition = (over: Partial<ManageAddition>): ManageAddition => ({
  id: 3581,
  agreementId: 871,
  productId: 750,
  productIdentifier: 'WEBROOT-EP',
  productDescription: 'Webroot Business Endpoint Protection',
  description: 'Webroot Business Endpoint Protection',
  quantity: 40,
  billCustomer: 'Billable',
  ...over,
});

function viewRow(over: Partial<MappingRow> = {}): ViewRow {
  const r = mappingRow({
    siteId: '0d5b4a0e-acme',
    siteName: 'Acme Corp',
    counts: { active_without_hidden: 42, active: 44, seen_30d: 47, not_deactivated: 45 },
    devicesAllowed: 50,
    ...over,
  });
  return prepare([r])[0] as ViewRow;
}

function open(row: ViewRow, usedBy = new Map<number, { key: string; name: string; product: string }[]>()) {
  const onsaved = vi.fn();
  const onremoved = vi.fn();
  render(MappingEditor, { open: true, row, usedBy, onsaved, onremoved });
  return { onsaved, onremoved };
}

beforeEach(() => {
  vi.clearAllMocks();
  manage.companies.mockImplementation(async (q = '') =>
    companies.filter((c) => !q || c.name.toLowerCase().includes(q.toLowerCase()) || c.identifier.toLowerCase().includes(q.toLowerCase())),
  );
  manage.agreements.mockImplementation(async (id: number) =>
    id === 250
      ? [agreement({}), agreement({ id: 880, name: 'Managed Services 2022', status: 'Cancelled', cancelled: true, blockedReason: 'cancelled' })]
      : id === 264
        ? [agreement({ id: 890, companyId: 264, companyName: 'Northwind Traders' })]
        : [],
  );
  manage.additions.mockImplementation(async (id: number) =>
    id === 871
      ? [
          addition({}),
          addition({ id: 3582, productIdentifier: 'WEBROOT-DNS', productDescription: 'Webroot DNS Protection', quantity: 38 }),
          addition({ id: 3583, productIdentifier: 'M365-BP', productDescription: 'Microsoft 365 Business Premium', quantity: 12 }),
        ]
      : [],
  );
});

/** Types into the company type-ahead and picks the highlighted option with the keyboard. */
async function pickCompany(user: ReturnType<typeof userEvent.setup>, text: string, downs = 0): Promise<void> {
  const box = screen.getByRole('combobox', { name: 'Company' });
  await user.click(box);
  await user.clear(box);
  await user.type(box, text);
  await waitFor(() => expect(screen.getByRole('listbox', { name: 'Companies' })).toBeVisible());
  await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option').length).toBeGreaterThan(0));
  for (let i = 0; i < downs; i++) await user.keyboard('{ArrowDown}');
  await user.keyboard('{Enter}');
}

describe('MappingEditor', () => {
  it('cascades company → active agreement → additions, telling same-name companies apart by id', async () => {
    const user = userEvent.setup();
    open(viewRow());
    expect(await screen.findByRole('dialog', { name: 'Map to a Manage addition' })).toBeVisible();
    expect(screen.getByLabelText('Agreement')).toBeDisabled();

    const box = screen.getByRole('combobox', { name: 'Company' });
    await user.type(box, 'northwind');
    const list = await screen.findByRole('listbox', { name: 'Companies' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(2));
    const [first, second] = within(list).getAllByRole('option');
    expect(first).toHaveTextContent('Northwind Traders');
    expect(first).toHaveTextContent('#264');
    expect(second).toHaveTextContent('NorthwindWest');
    expect(second).toHaveTextContent('#265');
    expect(second).toHaveTextContent('no active agreement');

    // The second Northwind has no active agreement: the page says so instead of an empty list.
    await user.keyboard('{ArrowDown}{Enter}');
    expect(screen.getByRole('combobox', { name: 'Company' })).toHaveAccessibleDescription('NorthwindWest · #265');
    expect(await screen.findByTestId('no-agreements')).toHaveTextContent('Northwind Traders (#265) has no active agreement');

    // Acme has one active agreement (picked for the user) and a cancelled one (not offered).
    await pickCompany(user, 'acme');
    await waitFor(() => expect(screen.getByLabelText('Agreement')).toHaveValue('871'));
    expect(screen.getByLabelText('Agreement')).toHaveAccessibleDescription('1 cancelled, expired or inactive agreement is not offered.');
    const additions = await screen.findByRole('radiogroup', { name: 'Additions of Managed Services' });
    const radios = within(additions).getAllByRole('radio');
    expect(radios).toHaveLength(3);
    // The one Endpoint Protection addition is chosen; each shows its quantity and id.
    expect(within(additions).getByRole('radio', { name: /WEBROOT-EP/ })).toBeChecked();
    expect(additions).toHaveTextContent('quantity 40 · #3581');
    expect(additions).toHaveTextContent('#3583');
  });

  it('says a child agreement is supported, and which agreement is its parent', async () => {
    const user = userEvent.setup();
    manage.agreements.mockImplementation(async () => [agreement({ id: 872, name: 'Branch office', isChild: true, parentId: 871 })]);
    manage.additions.mockImplementation(async () => [addition({ agreementId: 872 })]);
    open(viewRow());
    await pickCompany(user, 'acme');
    await waitFor(() => expect(screen.getByLabelText('Agreement')).toHaveValue('872'));
    expect(screen.getByLabelText('Agreement')).toHaveAccessibleDescription("A child agreement (of #871): its additions sync like any other's.");
  });

  it('shows each field error the backend names next to its field, and saves nothing silently', async () => {
    const user = userEvent.setup();
    mappings.save.mockRejectedValueOnce(
      new ApiError('addition_id: addition 3581 belongs to agreement 871, not to agreement 872; minimum: must be 0 or more', [
        { field: 'Addition', message: 'addition 3581 belongs to agreement 871, not to agreement 872' },
        { field: 'Count basis', message: 'devices_seen counts DNS Protection, not Endpoint Protection' },
        { field: 'Minimum', message: 'must be 0 or more' },
        { field: 'Site', message: 'this GSM site is not in the Webroot data: refresh the Webroot sites' },
      ]),
    );
    const { onsaved } = open(viewRow());
    await pickCompany(user, 'acme');
    await waitFor(() => expect(within(screen.getByRole('radiogroup')).getByRole('radio', { name: /WEBROOT-EP/ })).toBeChecked());
    await user.type(screen.getByLabelText('Less Included'), '5');
    await user.click(screen.getByRole('button', { name: 'Save mapping' }));

    await waitFor(() => expect(mappings.save).toHaveBeenCalledTimes(1));
    expect(mappings.save).toHaveBeenCalledWith({
      siteId: '0d5b4a0e-acme',
      product: 'endpoint',
      countBasis: 'active_without_hidden',
      companyId: 250,
      agreementId: 871,
      additionId: 3581,
      lessIncluded: 5,
      minimum: undefined,
    });
    expect(await screen.findByText('Addition 3581 belongs to agreement 871, not to agreement 872.')).toBeVisible();
    expect(screen.getByLabelText('Count basis')).toHaveAccessibleDescription('Devices_seen counts DNS Protection, not Endpoint Protection.');
    expect(screen.getByLabelText('Minimum')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Minimum')).toHaveAccessibleDescription('Must be 0 or more.');
    // A problem with no field of its own is shown above the form.
    expect(screen.getByText(/Site: This GSM site is not in the Webroot data/)).toBeVisible();
    expect(screen.getByRole('dialog')).toBeVisible();
    expect(onsaved).not.toHaveBeenCalled();
  });

  it('checks the form before asking the backend', async () => {
    const user = userEvent.setup();
    open(viewRow());
    await screen.findByRole('dialog');
    await user.type(screen.getByLabelText('Minimum'), '2.5');
    await user.click(screen.getByRole('button', { name: 'Save mapping' }));
    const company = screen.getByRole('combobox', { name: 'Company' });
    expect(company).toHaveAttribute('aria-invalid', 'true');
    expect(company).toHaveAccessibleDescription('Choose the Manage company that is billed for this site.');
    expect(company).toHaveFocus();
    expect(screen.getByLabelText('Minimum')).toHaveAccessibleDescription('Enter a whole number, 0 or more, or leave it empty.');
    expect(mappings.save).not.toHaveBeenCalled();
  });

  it('saves a mapping and reports it', async () => {
    const user = userEvent.setup();
    mappings.save.mockResolvedValueOnce(undefined);
    const usedBy = new Map([[3581, [{ key: 'x/endpoint', name: 'Acme Denver', product: 'endpoint' }]]]);
    const { onsaved } = open(viewRow(), usedBy);
    await pickCompany(user, 'acme');
    const additions = await screen.findByRole('radiogroup');
    expect(additions).toHaveTextContent('also billed for Acme Denver: the counts are summed');
    await user.selectOptions(screen.getByLabelText('Count basis'), 'seen_30d');
    await user.click(screen.getByRole('button', { name: 'Save mapping' }));
    await waitFor(() => expect(onsaved).toHaveBeenCalledTimes(1));
    expect(mappings.save.mock.calls[0]?.[0]).toMatchObject({ countBasis: 'seen_30d', additionId: 3581 });
    expect(onsaved.mock.calls[0]?.[1]).toBe('Acme Corp (Endpoint Protection) is mapped to Acme Corporation, WEBROOT-EP, summed with 1 other site.');
  });

  it('opens an existing mapping with its values and can remove it after a confirmation', async () => {
    const user = userEvent.setup();
    mappings.remove.mockResolvedValueOnce(undefined);
    const row = viewRow({
      state: 'mapped',
      mapping: { siteId: '0d5b4a0e-acme', product: 'endpoint', countBasis: 'seen_30d', companyId: 250, agreementId: 871, additionId: 3581, lessIncluded: 2, minimum: 10 },
      companyName: 'Acme Corporation',
      agreementName: 'Managed Services',
      additionName: 'WEBROOT-EP · Webroot Business Endpoint Protection',
    });
    const { onremoved } = open(row);
    expect(await screen.findByRole('dialog', { name: 'Edit mapping' })).toBeVisible();
    expect(screen.getByRole('combobox', { name: 'Company' })).toHaveValue('Acme Corporation');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Company' })).toHaveAccessibleDescription('AcmeCorp · #250'));
    await waitFor(() => expect(screen.getByLabelText('Agreement')).toHaveValue('871'));
    await waitFor(() => expect(screen.getByRole('radio', { name: /WEBROOT-EP/ })).toBeChecked());
    expect(screen.getByLabelText('Count basis')).toHaveValue('seen_30d');
    expect(screen.getByLabelText('Less Included')).toHaveValue('2');
    expect(screen.getByLabelText('Minimum')).toHaveValue('10');

    await user.click(screen.getByRole('button', { name: 'Remove mapping' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Remove this mapping?');
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(onremoved).toHaveBeenCalledTimes(1));
    expect(mappings.remove).toHaveBeenCalledWith('0d5b4a0e-acme', 'endpoint');
  });

  it('starts from a suggestion but saves only on the user’s click', async () => {
    const user = userEvent.setup();
    mappings.save.mockResolvedValueOnce(undefined);
    const row = viewRow({
      suggestion: { companyId: 250, companyName: 'Acme Corporation', agreementId: 0, agreementName: '', additionId: 0, additionName: '', countBasis: '', score: 0.91, reason: 'same name after removing “Corp”', kind: 'similar' },
    });
    open(row);
    expect(await screen.findByRole('dialog', { name: 'Review suggestion' })).toBeVisible();
    expect(screen.getByText(/same name after removing “Corp” \(score 91\)/)).toBeVisible();
    expect(screen.getByText(/no single matching addition/)).toBeVisible();
    await waitFor(() => expect(screen.getByLabelText('Agreement')).toHaveValue('871'));
    await waitFor(() => expect(screen.getByRole('radio', { name: /WEBROOT-EP/ })).toBeChecked());
    expect(mappings.save).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Save mapping' }));
    await waitFor(() => expect(mappings.save).toHaveBeenCalledTimes(1));
  });

  it('Escape closes the company list without closing the dialog', async () => {
    const user = userEvent.setup();
    open(viewRow());
    const box = await screen.findByRole('combobox', { name: 'Company' });
    await user.type(box, 'a');
    await waitFor(() => expect(box).toHaveAttribute('aria-expanded', 'true'));
    await user.keyboard('{Escape}');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByRole('dialog')).toBeVisible();
  });

  it('creates a missing addition only on request, then selects it', async () => {
    const user = userEvent.setup();
    manage.catalog.mockResolvedValue([
      { id: 12, identifier: 'M365-BP', description: 'Microsoft 365', inactive: false, productClass: 'Agreement', recurring: true },
      { id: 11, identifier: 'WEBROOT-DNS', description: 'Webroot DNS Protection', inactive: false, productClass: 'Agreement', recurring: true },
    ]);
    manage.createAddition.mockResolvedValue(addition({ id: 3599, productIdentifier: 'WEBROOT-DNS', productDescription: 'Webroot DNS Protection', quantity: 0 }));
    // Northwind's agreement has no additions at all.
    open(viewRow({ siteName: 'Northwind Traders', product: 'dns', productLabel: 'DNS Protection', counts: { devices_seen: 9 } }));
    expect(await screen.findByRole('dialog', { name: 'Map to a Manage addition' })).toBeVisible();
    await user.type(screen.getByRole('combobox', { name: 'Company' }), 'northwind');
    const list = await screen.findByRole('listbox', { name: 'Companies' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(2));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Company' })).toHaveAccessibleDescription('Northwind · #264'));
    await waitFor(() => expect(screen.getByLabelText('Agreement')).toHaveValue('890'));
    expect(await screen.findByTestId('no-additions')).toHaveTextContent('has no current additions');
    const create = await screen.findByTestId('create-addition');
    expect(manage.createAddition).not.toHaveBeenCalled();
    await user.click(within(create).getByRole('button', { name: /Create a DNS Protection addition/ }));
    const select = await within(create).findByLabelText('Catalog product');
    // The product that looks like DNS Protection is offered first.
    await waitFor(() => expect(select).toHaveValue('11'));
    await user.click(within(create).getByRole('button', { name: 'Create in Manage' }));
    expect(manage.createAddition).toHaveBeenCalledWith(890, 11);
    const created = await screen.findByRole('radio', { name: /WEBROOT-DNS/ });
    expect(created).toBeChecked();
    expect(screen.queryByTestId('create-addition')).toBeNull();
  });
});
