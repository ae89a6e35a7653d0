import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

type Handler = (payload: unknown) => void;
const handlers: { activity: Handler[]; status: Handler[]; sites: Handler[] } = { activity: [], status: [], sites: [] };

vi.mock('../lib/webroot-api', () => ({
  webrootApi: {
    config: vi.fn(),
    save: vi.fn(),
    test: vi.fn(),
    refresh: vi.fn(),
    activity: vi.fn(),
    sites: vi.fn(),
    status: vi.fn(),
    onActivity: vi.fn((fn: Handler) => (handlers.activity.push(fn), () => {})),
    onStatus: vi.fn((fn: Handler) => (handlers.status.push(fn), () => {})),
    onSites: vi.fn((fn: Handler) => (handlers.sites.push(fn), () => {})),
  },
}));

import { ApiError } from '../lib/api';
import { webrootApi } from '../lib/webroot-api';
import ConfigureWebroot from '../pages/ConfigureWebroot.svelte';
import WebrootStatusCard from '../lib/components/webroot/WebrootStatusCard.svelte';

const api = vi.mocked(webrootApi);

function emit(kind: 'activity' | 'status' | 'sites', payload: unknown): void {
  for (const h of handlers[kind]) h(payload);
}

const freshConfig = {
  configured: false,
  site: 'unityapi.webrootcloudav.com',
  scope: '*',
  clientId: '',
  gsmKey: '',
  username: '',
  clientSecretSaved: false,
  passwordSaved: false,
  defaultSite: 'unityapi.webrootcloudav.com',
  defaultScope: '*',
};

const savedConfig = {
  ...freshConfig,
  configured: true,
  site: 'http://127.0.0.1:4000',
  clientId: 'client_7Q2M9XKD@bluewave-it.example',
  gsmKey: '1C86-7AFC-FDFF-4562-AB91',
  username: 'billing@bluewave-it.example',
  clientSecretSaved: true,
  passwordSaved: true,
};

const bases = [
  { basis: 'active_without_hidden', label: 'Active devices (without hidden)', product: 'endpoint', productLabel: 'Endpoint Protection', default: true, read: true, reportDate: '2025-06-13' },
  { basis: 'active', label: 'Active devices (including hidden)', product: 'endpoint', productLabel: 'Endpoint Protection', default: false, read: true, reportDate: '2025-06-13' },
  { basis: 'devices_seen', label: 'DNS devices seen', product: 'dns', productLabel: 'DNS Protection', default: true, read: true, reportDate: '2025-06-13' },
  { basis: 'users_seen', label: 'Training users seen', product: 'wsat', productLabel: 'Security Awareness Training', default: true, read: true, reportDate: '2025-06-13' },
];

const site = (over: Record<string, unknown>) => ({
  id: 'x',
  name: 'x',
  keyCode: '',
  comments: '',
  devicesAllowed: 50,
  totalEndpoints: 40,
  suspended: false,
  deactivated: false,
  modules: [],
  firstSeenAt: '2025-06-15T10:00:00Z',
  new: false,
  overSeatLimit: false,
  counts: {},
  missing: [],
  errors: {},
  ...over,
});

const siteList = {
  refreshedAt: '2025-06-15T10:00:00Z',
  totalSeatsAllowed: 2500,
  reportOnlySites: 0,
  bases,
  sites: [
    site({ id: 'a', name: 'Acme Corp', modules: ['DNSP'], counts: { active_without_hidden: 44, active: 45, devices_seen: 37 } }),
    site({ id: 'h', name: 'Hooli', modules: ['DNSP'], counts: { active_without_hidden: 60, active: 62, devices_seen: 0 }, missing: ['devices_seen'] }),
    site({ id: 'v', name: 'Vandelay Industries', suspended: true, new: true, counts: { active_without_hidden: 18, active: 19 } }),
  ],
};

const emptySites = { totalSeatsAllowed: 0, reportOnlySites: 0, bases, sites: [] };
const idle = { id: 0, kind: '', running: false, phase: '' };
const untested = { state: 'untested', summary: 'Saved, not tested yet', username: '', consoleName: '', siteCount: 0, totalSeats: 0, cachedSites: 0 };

const okSteps = [
  { id: 'sign_in', title: 'Sign in', status: 'ok', message: 'Signed in.', durationMs: 120 },
  { id: 'console', title: 'GSM console', status: 'ok', message: 'Connected to "Bluewave IT Services": 43 sites, 2500 seats.', durationMs: 40 },
  { id: 'reports', title: 'Usage reports', status: 'ok', message: 'Usage reports are readable.', durationMs: 30 },
];

const okTest = {
  ok: true,
  steps: okSteps,
  summary: 'Connected as billing@bluewave-it.example to "Bluewave IT Services"',
  username: 'billing@bluewave-it.example',
  consoleName: 'Bluewave IT Services',
  siteCount: 43,
  deactivatedSites: 1,
  totalSeats: 2500,
  grantedScopes: [],
  testedAt: '2025-06-15T10:00:00Z',
};

const failedTest = {
  ...okTest,
  ok: false,
  consoleName: '',
  siteCount: 0,
  totalSeats: 0,
  field: 'Client Secret',
  summary: 'Webroot rejected the Client ID or Client Secret. Check both under Settings → API Access in the GSM console and enter them again.',
  steps: [
    { id: 'sign_in', title: 'Sign in', status: 'failed', kind: 'client_rejected', message: 'Webroot rejected the Client ID or Client Secret.', durationMs: 80 },
    { id: 'console', title: 'GSM console', status: 'skipped', message: 'Not checked because the previous step failed.', durationMs: 0 },
    { id: 'reports', title: 'Usage reports', status: 'skipped', message: 'Not checked because the previous step failed.', durationMs: 0 },
  ],
};

beforeEach(() => {
  vi.clearAllMocks();
  handlers.activity = [];
  handlers.status = [];
  handlers.sites = [];
  api.config.mockResolvedValue(freshConfig as never);
  api.status.mockResolvedValue({ ...untested, state: 'not_configured', summary: 'Not configured' } as never);
  api.activity.mockResolvedValue(idle as never);
  api.sites.mockResolvedValue(emptySites as never);
});

describe('Configure Webroot page', () => {
  it('pre-fills Site and API Scope and says the secrets are not saved', async () => {
    render(ConfigureWebroot);
    await waitFor(() => expect(screen.getByLabelText('Site')).toHaveValue('unityapi.webrootcloudav.com'));
    expect(screen.getByLabelText('API Scope')).toHaveValue('*');
    for (const label of ['Client ID', 'GSM Parent Key', 'Super Admin', 'Client Secret', 'Admin Password']) {
      expect(screen.getByLabelText(label)).toHaveValue('');
    }
    expect(screen.getByLabelText('Client Secret')).toHaveAttribute('type', 'password');
    expect(screen.getAllByTestId('secret-state').map((b) => b.textContent)).toEqual(['Not saved', 'Not saved']);
    expect(screen.getByRole('button', { name: 'Save and test' })).toBeEnabled();
    expect(screen.getByText('No sites yet')).toBeInTheDocument();
    expect(screen.getByTestId('webroot-state')).toHaveTextContent('Not configured');
  });

  it('shows each validation error next to its field and does not test', async () => {
    api.save.mockRejectedValue(
      new ApiError('Please correct the highlighted fields.', [
        { field: 'Client ID', message: 'enter the Client ID from Settings → API Access' },
        { field: 'GSM Parent Key', message: 'a GSM Parent Key has 20 letters and digits' },
        { field: 'Admin Password', message: "enter the Super Admin's GSM console password" },
      ]),
    );
    const user = userEvent.setup();
    render(ConfigureWebroot);
    await waitFor(() => expect(screen.getByLabelText('Site')).toHaveValue('unityapi.webrootcloudav.com'));
    await user.type(screen.getByLabelText('GSM Parent Key'), '1234');
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    const clientId = screen.getByLabelText('Client ID');
    await waitFor(() => expect(clientId).toHaveAttribute('aria-invalid', 'true'));
    expect(clientId).toHaveAccessibleDescription('Enter the Client ID from Settings → API Access.');
    expect(screen.getByLabelText('GSM Parent Key')).toHaveAccessibleDescription(/20 letters and digits/);
    expect(screen.getByLabelText('Admin Password')).toHaveAccessibleDescription(/console password/);
    expect(screen.getByLabelText('Site')).not.toHaveAttribute('aria-invalid');
    expect(document.activeElement).toBe(clientId);
    expect(api.test).not.toHaveBeenCalled();
    expect(api.save).toHaveBeenCalledWith(expect.objectContaining({ gsmKey: '1234', site: 'unityapi.webrootcloudav.com', scope: '*' }));
  });

  it('saves, tests in the background and shows the console, its sites and seats', async () => {
    api.save.mockResolvedValue({ config: savedConfig, changed: ['Client ID'] } as never);
    api.test.mockResolvedValue({ id: 1, kind: 'test', running: true, phase: 'testing' } as never);
    const user = userEvent.setup();
    render(ConfigureWebroot);
    await waitFor(() => expect(screen.getByLabelText('Site')).toHaveValue('unityapi.webrootcloudav.com'));
    await user.type(screen.getByLabelText('Client ID'), savedConfig.clientId);
    await user.type(screen.getByLabelText('Client Secret'), 'the-secret');
    await user.type(screen.getByLabelText('GSM Parent Key'), savedConfig.gsmKey);
    await user.type(screen.getByLabelText('Super Admin'), savedConfig.username);
    await user.type(screen.getByLabelText('Admin Password'), 'the-password');
    await user.click(screen.getByRole('button', { name: 'Save and test' }));

    expect(api.save).toHaveBeenCalledWith(expect.objectContaining({ clientSecret: 'the-secret', password: 'the-password' }));
    expect(await screen.findByText('Signing in and reading the GSM console…')).toBeInTheDocument();
    expect(screen.getByTestId('webroot-state')).toHaveTextContent('Testing…');
    // The typed secrets are gone from the form once saved; the fields say "Saved".
    expect(screen.getByLabelText('Client Secret')).toHaveValue('');
    expect(screen.getAllByTestId('secret-state').map((b) => b.textContent)).toEqual(['Saved', 'Saved']);

    emit('activity', { id: 1, kind: 'test', running: true, phase: 'refreshing', test: okTest });
    expect(await screen.findByText(/Reading your sites/)).toBeInTheDocument();
    api.sites.mockResolvedValue(siteList as never);
    emit('status', { ...untested, state: 'connected', summary: okTest.summary, username: okTest.username, consoleName: 'Bluewave IT Services', siteCount: 43, totalSeats: 2500 });
    emit('sites', { refreshedAt: siteList.refreshedAt, siteCount: 3, newSites: 0 });
    emit('activity', { id: 1, kind: 'test', running: false, phase: '', test: okTest, refresh: { ok: true, siteCount: 3, newSites: 0, removedSites: 0, warnings: [], refreshedAt: siteList.refreshedAt } });

    expect(await screen.findByTestId('webroot-result')).toHaveTextContent('Connected as billing@bluewave-it.example to "Bluewave IT Services"');
    expect(screen.getByTestId('webroot-console')).toHaveTextContent('Bluewave IT Services');
    expect(screen.getByTestId('webroot-site-count')).toHaveTextContent('43');
    expect(screen.getByTestId('webroot-seats')).toHaveTextContent(/2[,.\s]?500/);
    expect(screen.getByTestId('webroot-state')).toHaveTextContent('Connected');
    expect(screen.getByTestId('step-console')).toHaveTextContent('GSM console');
    expect(await screen.findByRole('cell', { name: /Acme Corp/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Test connection' })).toBeEnabled();
  });

  it('says what to fix when the test fails and points at the field', async () => {
    api.config.mockResolvedValue(savedConfig as never);
    api.status.mockResolvedValue(untested as never);
    api.test.mockResolvedValue({ id: 4, kind: 'test', running: true, phase: 'testing' } as never);
    const user = userEvent.setup();
    render(ConfigureWebroot);
    const button = await screen.findByRole('button', { name: 'Test connection' });
    await user.click(button);
    expect(api.save).not.toHaveBeenCalled();
    emit('activity', { id: 4, kind: 'test', running: false, phase: '', test: failedTest });
    const result = await screen.findByTestId('webroot-result');
    expect(result).toHaveTextContent('The connection test failed at “Sign in”.');
    expect(result).toHaveTextContent('Client Secret');
    expect(screen.getByLabelText('Client Secret')).toHaveAccessibleDescription(/rejected the Client ID or this Client Secret/);
    expect(screen.getByTestId('step-sign_in')).toHaveTextContent('Failed');
    expect(screen.getByTestId('step-console')).toHaveTextContent('Not checked');
    // Typing a new secret is an edit: the hint goes, and the button saves first.
    await user.type(screen.getByLabelText('Client Secret'), 'new');
    expect(screen.getByLabelText('Client Secret')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('button', { name: 'Save and test' })).toBeInTheDocument();
  });

  it('keeps saved secrets unless replaced and never shows them', async () => {
    api.config.mockResolvedValue(savedConfig as never);
    api.status.mockResolvedValue(untested as never);
    api.save.mockResolvedValue({ config: { ...savedConfig, username: 'other@bluewave-it.example' }, changed: ['Super Admin'] } as never);
    api.test.mockResolvedValue({ id: 2, kind: 'test', running: true, phase: 'testing' } as never);
    const user = userEvent.setup();
    render(ConfigureWebroot);
    await waitFor(() => expect(screen.getByLabelText('Client ID')).toHaveValue(savedConfig.clientId));
    expect(screen.getByLabelText('Client Secret')).toHaveValue('');
    expect(screen.getByLabelText('Client Secret')).toHaveAccessibleDescription(/Saved in the OS keychain/);
    const username = screen.getByLabelText('Super Admin');
    await user.clear(username);
    await user.type(username, 'other@bluewave-it.example');
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    expect(api.save).toHaveBeenCalledWith(expect.objectContaining({ username: 'other@bluewave-it.example', clientSecret: '', password: '' }));
  });

  it('offers every basis of a product and marks missing and absent counts', async () => {
    api.config.mockResolvedValue(savedConfig as never);
    api.status.mockResolvedValue(untested as never);
    api.sites.mockResolvedValue(siteList as never);
    const user = userEvent.setup();
    render(ConfigureWebroot);
    const table = await screen.findByRole('table');
    const row = (name: string) => within(table).getByRole('cell', { name: new RegExp(name) }).closest('tr') as HTMLElement;
    expect(within(row('Acme Corp')).getAllByRole('cell')[2]).toHaveTextContent('44');
    await user.selectOptions(screen.getByLabelText('Endpoint count basis'), 'active');
    expect(within(row('Acme Corp')).getAllByRole('cell')[2]).toHaveTextContent('45');
    expect(within(row('Hooli')).getAllByRole('cell')[3]).toHaveTextContent(/counted as 0/);
    expect(within(row('Vandelay')).getAllByRole('cell')[3]).toHaveTextContent(/does not have DNS/);
    expect(row('Vandelay')).toHaveTextContent('Suspended');
    expect(row('Vandelay')).toHaveTextContent('New');
    expect(screen.getByTestId('sites-summary')).toHaveTextContent('3 sites');
    await user.type(screen.getByLabelText('Search sites'), 'hoo');
    expect(within(table).getAllByRole('row')).toHaveLength(2);
  });
});

describe('Webroot dashboard card', () => {
  it('says connected as whom, and follows status events', async () => {
    api.status.mockResolvedValue({ ...untested, state: 'connected', username: 'billing@bluewave-it.example', consoleName: 'Bluewave IT Services', siteCount: 43, totalSeats: 2500 } as never);
    render(WebrootStatusCard);
    expect(await screen.findByText('billing@bluewave-it.example')).toBeInTheDocument();
    expect(screen.getByTestId('webroot-state')).toHaveTextContent('Connected');
    emit('status', { ...untested, state: 'failing', failingSince: '2025-06-15T10:00:00Z', problem: 'Webroot rejected the Super Admin email or the Admin Password.' });
    expect(await screen.findByText(/Failing since/)).toBeInTheDocument();
    expect(screen.getByText(/rejected the Super Admin/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Configure Webroot' })).toHaveAttribute('href', '#/configure/webroot');
  });
});
