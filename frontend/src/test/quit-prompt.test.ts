import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

// Events the component subscribes to, by name, so a test can send them as the backend would.
const handlers = new Map<string, (payload: unknown) => void>();
vi.mock('../lib/api', () => ({
  onEvent: vi.fn((name: string, fn: (p: unknown) => void) => {
    handlers.set(name, fn);
    return () => handlers.delete(name);
  }),
}));
vi.mock('../lib/desktop-api', () => ({
  desktopApi: {
    onConfirmQuit: vi.fn((fn: (p: unknown) => void) => {
      handlers.set('app:confirm-quit', fn);
      return () => handlers.delete('app:confirm-quit');
    }),
    quitNow: vi.fn(),
    quitAfterSync: vi.fn(),
    keepRunning: vi.fn(),
  },
}));
vi.mock('../lib/sync-api', () => ({
  syncEvents: { progress: 'sync:progress', done: 'sync:done' },
}));

import QuitPrompt from '../lib/components/shell/QuitPrompt.svelte';
import { desktopApi } from '../lib/desktop-api';

const desktop = vi.mocked(desktopApi);
const running = { running: true, runId: 4, phase: 'applying', toApply: 40, applied: 12, failed: 0, agreementsTotal: 30, agreementsRead: 30 };

function send(name: string, payload: unknown): void {
  const fn = handlers.get(name);
  if (!fn) throw new Error(`nobody listens to ${name}`);
  fn(payload);
}

beforeEach(() => {
  vi.clearAllMocks();
  handlers.clear();
  desktop.quitAfterSync.mockResolvedValue(true);
  desktop.keepRunning.mockResolvedValue();
  desktop.quitNow.mockResolvedValue();
});

describe('QuitPrompt', () => {
  it('asks with the sync’s progress, and "Quit when the sync finishes" shows a bar that can call it off', async () => {
    const user = userEvent.setup();
    render(QuitPrompt);
    // Nobody need be logged in: the question carries the progress.
    send('app:confirm-quit', { progress: { ...running, applied: 12 } });
    const dialog = await screen.findByRole('dialog', { name: 'Quit while a sync is running?' });
    await waitFor(() => expect(dialog).toHaveTextContent('Applying changes to Manage — 12 of 40 changes done'));
    send('sync:progress', { ...running, applied: 20 });
    await waitFor(() => expect(dialog).toHaveTextContent('20 of 40 changes done'));

    await user.click(screen.getByRole('button', { name: 'Quit when the sync finishes' }));
    expect(desktop.quitAfterSync).toHaveBeenCalledOnce();
    expect(desktop.quitNow).not.toHaveBeenCalled();
    const bar = await screen.findByTestId('quit-waiting');
    expect(bar).toHaveTextContent('Quitting when the sync finishes.');

    await user.click(screen.getByRole('button', { name: 'Keep running' }));
    expect(desktop.keepRunning).toHaveBeenCalledOnce();
    await waitFor(() => expect(screen.queryByTestId('quit-waiting')).toBeNull());
  });

  it('when the sync ends while it asks, it says so and offers a plain Quit', async () => {
    const user = userEvent.setup();
    render(QuitPrompt);
    send('app:confirm-quit', { progress: running });
    await screen.findByRole('dialog', { name: 'Quit while a sync is running?' });
    // A run-less sync:done (another sync refused) changes nothing…
    send('sync:done', { running: false, runId: 0, phase: 'done' });
    expect(screen.getByRole('dialog', { name: 'Quit while a sync is running?' })).toBeVisible();
    // …the run's own end does.
    send('sync:done', { ...running, running: false, phase: 'done', status: 'succeeded' });
    const dialog = await screen.findByRole('dialog', { name: 'The sync has finished' });
    expect(dialog).toHaveTextContent('Nothing is running any more');
    expect(screen.queryByRole('button', { name: 'Quit when the sync finishes' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Quit' }));
    expect(desktop.quitNow).toHaveBeenCalledOnce();
  });

  it('"Keep running" closes the question and quits nothing', async () => {
    const user = userEvent.setup();
    render(QuitPrompt);
    send('app:confirm-quit', { progress: running });
    await screen.findByRole('dialog', { name: 'Quit while a sync is running?' });
    await user.click(screen.getByRole('button', { name: 'Keep running' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(desktop.quitNow).not.toHaveBeenCalled();
    expect(desktop.quitAfterSync).not.toHaveBeenCalled();
    expect(desktop.keepRunning).not.toHaveBeenCalled();
  });
});
