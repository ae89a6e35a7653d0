import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

type Handler = (payload: unknown) => void;
interface Handlers {
  activity: Handler[];
  status: Handler[];
  cache: Handler[];
}
const handlers: Handlers = { activity: [], status: [], cache: [] };

vi.mock('../lib/manage-api', () => ({
  manageApi: {
    config: vi.fn(),
    save: vi.fn(),
    test: vi.fn(),
    refresh: vi.fn(),
    activity: vi.fn(),
    status: vi.fn(),
    cache: vi.fn(),
    companies: vi.fn(),
    agreements: vi.fn(),
    additions: vi.fn(),
    catalog: vi.fn(),
    onActivity: vi.fn((fn: Handler) => (handlers.activity.push(fn), () => {})),
    onStatus: vi.fn((fn: Handler) => (handlers.status.push(fn), () => {})),
    onCache: vi.fn((fn: Handler) => (handlers.cache.push(fn), () => {})),
  },
}));

import { ApiError } from '../lib/api';
import { manageApi } from '../lib/manage-api';
import ConfigureConnectWise from '../pages/ConfigureConnectWise.svelte';
import ManageStatusCard from '../lib/components/connectwise/ManageStatusCard.svelte';
import Toaster from '../lib/components/ui/Toaster.svelte';

const api = vi.mocked(manageApi);

function emit(kind: keyof Handlers, payload: unknown): void {
  for (const h of handlers[kind]) h(payload);
}

const defaultClientId = 'd64fa5a8-7402-4ba2-8774-ee3045ae3185';

const freshConfig = {
  configured: false,
  site: 'na.myconnectwise.net',
  companyId: 'bluewave',
  username: '',
  publicKey: '',
  clientId: defaultClientId,
  privateKeySaved: false,
  defaultClientId,
};

const savedConfig = {
  ...freshConfig,
  configured: true,
  site: 'http://127.0.0.1:4100',
  username: 'api-billing',
  publicKey: 'PubKey7Hq2Lm9Xc4',
  privateKeySaved: true,
};

const emptyCache = { counts: { companies: 0, agreements: 0, activeAgreements: 0, additions: 0, catalogItems: 0 }, warnings: [] };
const counts = { companies: 35, agreements: 43, activeAgreements: 39, additions: 96, catalogItems: 7 };
const fullCache = { refreshedAt: new Date().toISOString(), counts, warnings: [] };

const status = (over: Record<string, unknown>) => ({
  state: 'not_configured',
  summary: 'Not configured',
  site: '',
  companyId: '',
  username: '',
  companyName: '',
  version: '',
  cache: emptyCache,
  ...over,
});

const idle = { id: 0, kind: '', running: false, phase: '' };

const okSteps = [
  { id: 'codebase', title: 'Find the company on the site', status: 'ok', message: 'Found "Bluewave IT Services" on 127.0.0.1:4100 (codebase v4_6_release/).', durationMs: 12 },
  { id: 'authentication', title: 'Sign in with the API keys', status: 'ok', message: 'The API keys were accepted.', durationMs: 8 },
  { id: 'agreements', title: 'Read agreements', status: 'ok', message: 'The API member can read agreements.', durationMs: 5 },
  { id: 'companies', title: 'Read companies', status: 'ok', message: 'The API member can read companies.', durationMs: 5 },
  { id: 'catalog', title: 'Read the product catalog', status: 'ok', message: 'The API member can read catalog items.', durationMs: 5 },
];

const okTest = {
  ok: true,
  steps: okSteps,
  summary: 'Connected as api-billing to "Bluewave IT Services"',
  username: 'api-billing',
  companyName: 'Bluewave IT Services',
  codebase: 'v4_6_release/',
  apiBase: 'http://127.0.0.1:4100/v4_6_release/apis/3.0',
  version: 'v2025.1',
  isCloud: false,
  testedAt: new Date().toISOString(),
};

const keysRejected =
  'Manage rejected the API keys. Check the Company ID, Public Key and Private Key; if the keys were regenerated or the API member was deactivated, create new keys under System → Members → API Members → API Keys.';

const failedTest = {
  ...okTest,
  ok: false,
  companyName: 'Bluewave IT Services',
  field: 'Private Key',
  summary: keysRejected,
  steps: [
    okSteps[0],
    { id: 'authentication', title: 'Sign in with the API keys', status: 'failed', kind: 'keys_rejected', message: keysRejected, requestId: 'f00d-1234', durationMs: 9 },
    { id: 'agreements', title: 'Read agreements', status: 'skipped', message: 'Not checked because an earlier step failed.', durationMs: 0 },
    { id: 'companies', title: 'Read companies', status: 'skipped', message: 'Not checked because an earlier step failed.', durationMs: 0 },
    { id: 'catalog', title: 'Read the product catalog', status: 'skipped', message: 'Not checked because an earlier step failed.', durationMs: 0 },
  ],
};

beforeEach(() => {
  vi.clearAllMocks();
  handlers.activity = [];
  handlers.status = [];
  handlers.cache = [];
  api.config.mockResolvedValue(freshConfig as never);
  api.status.mockResolvedValue(status({}) as never);
  api.activity.mockResolvedValue(idle as never);
});

async function loaded(): Promise<void> {
  await waitFor(() => expect(screen.getByLabelText('Site')).not.toHaveValue(''));
}

describe('Configure ConnectWise page', () => {
  it('shows the fields with their labels, the key as not saved and the Client ID under Advanced', async () => {
    render(ConfigureConnectWise);
    await loaded();
    // Suggested from the sign-up.
    expect(screen.getByLabelText('Site')).toHaveValue('na.myconnectwise.net');
    expect(screen.getByLabelText('Company ID')).toHaveValue('bluewave');
    for (const label of ['Username', 'Public Key', 'Private Key']) {
      expect(screen.getByLabelText(label)).toHaveValue('');
    }
    expect(screen.getByLabelText('Private Key')).toHaveAttribute('type', 'password');
    expect(screen.getByTestId('secret-state')).toHaveTextContent('Not saved');
    const advanced = screen.getByText('Advanced').closest('details') as HTMLDetailsElement;
    expect(advanced.open).toBe(false);
    expect(within(advanced).getByLabelText('Client ID')).toHaveValue(defaultClientId);
    expect(screen.getByRole('button', { name: 'Save and test' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    expect(screen.getByText('Nothing read from ConnectWise yet')).toBeInTheDocument();
    expect(screen.getByTestId('connectwise-state')).toHaveTextContent('Not configured');
  });

  it('shows each validation error next to its field, opens Advanced for the Client ID and does not test', async () => {
    api.save.mockRejectedValue(
      new ApiError('Please correct the highlighted fields.', [
        { field: 'Username', message: "enter the API member's username" },
        { field: 'Public Key', message: "enter the API member's public key" },
        { field: 'Private Key', message: "enter the API member's private key" },
        { field: 'Client ID', message: 'the Client ID is a GUID such as 3f2c9a4e-8b1d-4c7e-9f0a-2b6d5e8c1a7f' },
      ]),
    );
    const user = userEvent.setup();
    render(ConfigureConnectWise);
    await loaded();
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    const username = screen.getByLabelText('Username');
    await waitFor(() => expect(username).toHaveAttribute('aria-invalid', 'true'));
    expect(username).toHaveAccessibleDescription(/^Enter the API member's username/);
    expect(screen.getByLabelText('Public Key')).toHaveAccessibleDescription(/public key/);
    expect(screen.getByLabelText('Private Key')).toHaveAccessibleDescription(/private key/);
    expect(screen.getByLabelText('Client ID')).toHaveAccessibleDescription(/is a GUID/);
    expect((screen.getByText('Advanced').closest('details') as HTMLDetailsElement).open).toBe(true);
    expect(screen.getByLabelText('Site')).not.toHaveAttribute('aria-invalid');
    expect(document.activeElement).toBe(username);
    expect(api.test).not.toHaveBeenCalled();
  });

  it('saves, tests in the background, then shows the company, the steps and the cached counts', async () => {
    api.save.mockResolvedValue({ config: savedConfig, changed: ['Site', 'Username', 'Public Key', 'Private Key'], cacheCleared: false } as never);
    api.test.mockResolvedValue({ id: 1, kind: 'test', running: true, phase: 'testing' } as never);
    const user = userEvent.setup();
    render(ConfigureConnectWise);
    render(Toaster);
    await loaded();
    const site = screen.getByLabelText('Site');
    await user.clear(site);
    await user.type(site, savedConfig.site);
    await user.type(screen.getByLabelText('Username'), 'api-billing');
    await user.type(screen.getByLabelText('Public Key'), savedConfig.publicKey);
    await user.type(screen.getByLabelText('Private Key'), 'fake-sim-private-key-8kW3');
    await user.click(screen.getByRole('button', { name: 'Save and test' }));

    expect(api.save).toHaveBeenCalledWith({
      site: savedConfig.site,
      companyId: 'bluewave',
      username: 'api-billing',
      publicKey: savedConfig.publicKey,
      privateKey: 'fake-sim-private-key-8kW3',
      clientId: defaultClientId,
    });
    expect(await screen.findByText('Looking up the company, signing in and checking access…')).toBeInTheDocument();
    expect(screen.getByTestId('connectwise-state')).toHaveTextContent('Testing…');
    // The typed key is gone from the form once saved; the field says "Saved".
    expect(screen.getByLabelText('Private Key')).toHaveValue('');
    expect(screen.getByTestId('secret-state')).toHaveTextContent('Saved');

    emit('activity', { id: 1, kind: 'test', running: true, phase: 'agreements', test: okTest });
    const cacheCard = screen.getByTestId('connectwise-cache');
    expect(await within(cacheCard).findByText('Reading agreements…')).toBeInTheDocument();
    expect(screen.getByTestId('connectwise-result')).toHaveTextContent('Connected as api-billing');
    emit('status', status({ state: 'connected', summary: okTest.summary, username: 'api-billing', companyName: 'Bluewave IT Services', connectedSince: okTest.testedAt }));
    emit('cache', fullCache);
    const refresh = { ok: true, refreshedAt: fullCache.refreshedAt, counts, durationMs: 300, requests: 48, warnings: [] };
    emit('activity', { id: 1, kind: 'test', running: false, phase: '', test: okTest, refresh });

    expect(await screen.findByTestId('cw-count-companies')).toHaveTextContent('35');
    expect(screen.getByTestId('cw-count-agreements')).toHaveTextContent('43');
    expect(screen.getByTestId('cw-count-agreements')).toHaveTextContent('39 active');
    expect(screen.getByTestId('cw-count-additions')).toHaveTextContent('96');
    expect(screen.getByTestId('cw-count-catalog')).toHaveTextContent('7');
    expect(cacheCard).toHaveTextContent(/Refreshed just now/);
    expect(screen.getByTestId('cw-company')).toHaveTextContent('Bluewave IT Services');
    expect(screen.getByTestId('step-catalog')).toHaveTextContent('Read the product catalog');
    expect(screen.getByTestId('connectwise-state')).toHaveTextContent('Connected');
    expect(screen.getByRole('button', { name: 'Test connection' })).toBeEnabled();
    expect(await screen.findByText(/ConnectWise data refreshed: 35 companies, 39 active agreements, 96 additions/)).toBeInTheDocument();
  });

  it('says what to fix when the keys are rejected and points at the Private Key', async () => {
    api.config.mockResolvedValue(savedConfig as never);
    api.status.mockResolvedValue(status({ state: 'untested', summary: 'Saved, not tested yet', username: 'api-billing' }) as never);
    api.test.mockResolvedValue({ id: 4, kind: 'test', running: true, phase: 'testing' } as never);
    const user = userEvent.setup();
    render(ConfigureConnectWise);
    const button = await screen.findByRole('button', { name: 'Test connection' });
    await user.click(button);
    expect(api.save).not.toHaveBeenCalled();
    emit('activity', { id: 4, kind: 'test', running: false, phase: '', test: failedTest });
    const result = await screen.findByTestId('connectwise-result');
    expect(result).toHaveTextContent('The connection test failed at “Sign in with the API keys”.');
    expect(result).toHaveTextContent('Check the Company ID, Public Key and Private Key, save and test again.');
    expect(screen.getByTestId('step-authentication')).toHaveTextContent('Manage rejected the API keys');
    expect(screen.getByLabelText('Private Key')).toHaveAccessibleDescription(/check the Company ID, the Public Key and this Private Key/);
    expect(screen.getByTestId('step-authentication')).toHaveTextContent('Failed');
    expect(screen.getByTestId('step-authentication')).toHaveTextContent('f00d-1234');
    expect(screen.getByTestId('step-agreements')).toHaveTextContent('Not checked');
    // Typing a new key is an edit: the hint goes, and the button saves first.
    await user.type(screen.getByLabelText('Private Key'), 'new');
    expect(screen.getByLabelText('Private Key')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('button', { name: 'Save and test' })).toBeInTheDocument();
  });

  it('keeps the saved key unless replaced, and never shows it', async () => {
    api.config.mockResolvedValue(savedConfig as never);
    api.status.mockResolvedValue(status({ state: 'connected', summary: okTest.summary, username: 'api-billing', companyName: 'Bluewave IT Services', cache: fullCache }) as never);
    api.save.mockResolvedValue({ config: { ...savedConfig, username: 'api-other' }, changed: ['Username'], cacheCleared: false } as never);
    api.test.mockResolvedValue({ id: 2, kind: 'test', running: true, phase: 'testing' } as never);
    const user = userEvent.setup();
    render(ConfigureConnectWise);
    await waitFor(() => expect(screen.getByLabelText('Username')).toHaveValue('api-billing'));
    expect(screen.getByLabelText('Private Key')).toHaveValue('');
    expect(screen.getByLabelText('Private Key')).toHaveAccessibleDescription(/Saved in the OS keychain/);
    expect(screen.getByTestId('cw-count-companies')).toHaveTextContent('35');
    const username = screen.getByLabelText('Username');
    await user.clear(username);
    await user.type(username, 'api-other');
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    expect(api.save).toHaveBeenCalledWith(expect.objectContaining({ username: 'api-other', privateKey: '' }));
  });

  it('refreshes the cached data in the background and reports a failure in words', async () => {
    api.config.mockResolvedValue(savedConfig as never);
    api.status.mockResolvedValue(status({ state: 'connected', summary: okTest.summary, username: 'api-billing', companyName: 'Bluewave IT Services', cache: fullCache }) as never);
    api.refresh.mockResolvedValue({ id: 7, kind: 'refresh', running: true, phase: 'companies' } as never);
    const user = userEvent.setup();
    render(ConfigureConnectWise);
    await user.click(await screen.findByRole('button', { name: 'Refresh' }));
    expect(api.refresh).toHaveBeenCalled();
    expect(await screen.findByText('Connected. Reading your companies…')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    emit('activity', { id: 7, kind: 'refresh', running: false, phase: '', refresh: { ok: false, message: 'Could not reach 127.0.0.1:4100. Check the Site name and this computer’s network connection (VPN, proxy or firewall), then try again.', counts: emptyCache.counts, warnings: [], durationMs: 0, requests: 2, refreshedAt: '' } });
    expect(await screen.findByText(/The ConnectWise data was not refreshed: Could not reach/)).toBeInTheDocument();
    // The old counts are still there.
    expect(screen.getByTestId('cw-count-companies')).toHaveTextContent('35');
  });

  it('offers to go back to the app’s own Client ID', async () => {
    api.config.mockResolvedValue({ ...savedConfig, clientId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' } as never);
    const user = userEvent.setup();
    render(ConfigureConnectWise);
    await loaded();
    expect((screen.getByText('Advanced').closest('details') as HTMLDetailsElement).open).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Use the app’s Client ID' }));
    expect(screen.getByLabelText('Client ID')).toHaveValue(defaultClientId);
    expect(screen.queryByRole('button', { name: 'Use the app’s Client ID' })).not.toBeInTheDocument();
  });
});

describe('ConnectWise dashboard card', () => {
  it('says connected as whom with the cache, and follows status events', async () => {
    api.status.mockResolvedValue(status({ state: 'connected', username: 'api-billing', companyName: 'Bluewave IT Services', cache: fullCache }) as never);
    render(ManageStatusCard);
    expect(await screen.findByText('api-billing')).toBeInTheDocument();
    expect(screen.getByTestId('connectwise-state')).toHaveTextContent('Connected');
    expect(screen.getByText(/35 companies · 39 active agreements · refreshed just now/)).toBeInTheDocument();
    emit('status', status({ state: 'failing', failingSince: '2025-06-15T10:00:00Z', problem: keysRejected }));
    expect(await screen.findByText(/Failing since/)).toBeInTheDocument();
    expect(screen.getByText(/rejected the API keys/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Configure ConnectWise' })).toHaveAttribute('href', '#/configure/connectwise');
  });
});
