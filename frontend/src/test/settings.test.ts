import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

vi.mock('../lib/api', async (orig) => {
  const real = await orig<typeof import('../lib/api')>();
  return {
    ...real,
    api: {
      about: vi.fn(),
      preferences: vi.fn(),
      setTheme: vi.fn(),
    },
  };
});

vi.mock('../lib/account-api', () => ({
  accountApi: { users: vi.fn(async () => []), setIdleLockMinutes: vi.fn(), state: vi.fn() },
}));

vi.mock('../lib/desktop-api', async (orig) => {
  const real = await orig<typeof import('../lib/desktop-api')>();
  return {
    ...real,
    desktopApi: {
      schedule: vi.fn(async () => ({
        schedule: { kind: 'daily', time: '06:00', weekday: 1, monthDay: 1, enabled: true, paused: false },
        status: { enabled: true, paused: false, kind: 'daily', nextRun: '2026-12-04T12:00:00Z', description: 'Daily at 06:00 (America/Chicago)' },
        timeZone: 'America/Chicago',
      })),
      onSchedule: vi.fn(() => () => {}),
    },
  };
});

import { api, ApiError } from '../lib/api';
import Settings from '../pages/Settings.svelte';
import Toaster from '../lib/components/ui/Toaster.svelte';
import { theme } from '../lib/theme.svelte';

const about = {
  productName: 'Manage Webroot Integration',
  version: '1.2.3',
  commit: 'abc1234',
  dataDir: '/home/u/.config/cwm-webroot',
  databasePath: '/home/u/.config/cwm-webroot/cwm-webroot.db',
  schemaVersion: 2,
  keychainService: 'cwm-webroot',
  keychainProblem: '',
  demo: false,
};

describe('Settings page', () => {
  beforeEach(() => {
    vi.mocked(api.about).mockResolvedValue(about as never);
    vi.mocked(api.setTheme).mockReset();
    theme.set('system');
  });

  it('shows version, data folder and keychain state', async () => {
    render(Settings);
    expect(await screen.findByTestId('about-version')).toHaveTextContent('1.2.3');
    expect(screen.getByTestId('about-data-dir')).toHaveTextContent('/home/u/.config/cwm-webroot');
    expect(screen.getByTestId('about-keychain')).toHaveTextContent('Available');
  });

  it('shows the schedule and its next run in the company zone', async () => {
    render(Settings);
    // 12:00 UTC is 06:00 in Chicago in December.
    expect(await screen.findByTestId('schedule-status')).toHaveTextContent('Daily at 06:00 (America/Chicago). Next sync: Fri 4 Dec, 06:00.');
  });

  it('names a keychain problem instead of hiding it', async () => {
    vi.mocked(api.about).mockResolvedValue({ ...about, keychainProblem: 'the OS keychain is not available' } as never);
    render(Settings);
    expect(await screen.findByText('the OS keychain is not available')).toBeInTheDocument();
  });

  it('applies and saves the theme', async () => {
    vi.mocked(api.setTheme).mockResolvedValue();
    const user = userEvent.setup();
    render(Settings);
    await user.click(screen.getByLabelText('Dark'));
    expect(api.setTheme).toHaveBeenCalledWith('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('reverts the theme and says so when saving fails', async () => {
    vi.mocked(api.setTheme).mockRejectedValue(new ApiError('database is locked'));
    const user = userEvent.setup();
    render(Toaster);
    render(Settings);
    await user.click(screen.getByLabelText('Light'));
    expect(await screen.findByRole('alert')).toHaveTextContent('The theme was not saved: database is locked');
    expect(theme.choice).toBe('system');
  });
});
