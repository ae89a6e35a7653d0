import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, loginAsAdmin, screenshot, startApp, test } from './fixtures';
import { goTo } from './connections';

// Settings for life beyond the window: the schedule, start at login and notifications,
// and the dashboard's sync card that shows the next run.

test('schedule: defaults, field errors, weekly save, pause and resume, shown on the dashboard', async ({ page, app }) => {
  await loginAsAdmin(page, app);
  const sync = page.getByTestId('dashboard-sync');
  await expect(sync.getByTestId('dashboard-last-sync')).toContainText('No sync yet.');
  // Nothing to sync before both connections exist: the button says so instead of recording an empty run.
  await expect(sync.getByRole('button', { name: 'Sync now' })).toBeDisabled();
  await expect(sync.getByTestId('dashboard-sync-needs')).toBeVisible();
  await expect(sync.getByTestId('dashboard-next-sync')).toContainText('Daily at 06:00 (America/Chicago)');
  await expect(sync.getByTestId('dashboard-next-sync')).toContainText(/\d{2}:\d{2}/);
  // A fresh installation needs both connections, ConnectWise first.
  const attention = page.getByTestId('dashboard-attention');
  await expect(attention.getByRole('listitem')).toHaveCount(2);
  await expect(attention.getByRole('listitem').first()).toContainText('ConnectWise Manage is not connected');
  await attention.getByRole('link', { name: 'Webroot is not connected' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Configure Webroot' })).toBeVisible();
  await goTo(page, 'Dashboard');

  await goTo(page, 'Settings');
  const card = page.getByTestId('schedule-card');
  await expect(card.getByTestId('schedule-status')).toContainText('Daily at 06:00 (America/Chicago). Next sync:');
  await expect(card.getByTestId('schedule-status')).toContainText('06:00');

  await card.getByLabel('Frequency').selectOption('weekly');
  await card.getByLabel('Day of week').selectOption('Wednesday');
  await card.getByLabel('Time').fill('25:00');
  await card.getByRole('button', { name: 'Save schedule' }).click();
  await expect(card.getByText('Enter a time as HH:MM, for example 06:00.')).toBeVisible();
  await expect(card.getByLabel('Time')).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByTestId('schedule-status')).toContainText('Daily at 06:00', { useInnerText: true });

  await card.getByLabel('Time').fill('07:30');
  await card.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByText('Schedule saved: Weekly on Wednesday at 07:30 (America/Chicago).')).toBeVisible();
  await expect(card.getByTestId('schedule-status')).toContainText(/Next sync: Wed \d+ \w+, 07:30/);
  await screenshot(page, 'settings-schedule');

  await card.getByRole('button', { name: 'Pause schedule' }).click();
  await expect(card.getByTestId('schedule-status')).toContainText('Paused.');
  await goTo(page, 'Dashboard');
  await expect(page.getByTestId('dashboard-next-sync')).toContainText('Paused');
  await screenshot(page, 'dashboard-sync-card');

  // The pause survives a reload (it is saved, not just shown).
  await page.reload();
  await expect(page.getByTestId('dashboard-next-sync')).toContainText('Paused');
  await goTo(page, 'Settings');
  await card.getByRole('button', { name: 'Resume schedule' }).click();
  await expect(card.getByTestId('schedule-status')).toContainText('Weekly on Wednesday at 07:30 (America/Chicago). Next sync:');
});

test('start at login writes the login entry that starts the app hidden, and removes it', async ({ page }) => {
  const config = mkdtempSync(join(tmpdir(), 'cwm-xdg-'));
  const { app, stop } = await startApp([], { XDG_CONFIG_HOME: config });
  try {
    await loginAsAdmin(page, app);
    await goTo(page, 'Settings');
    const card = page.getByTestId('start-at-login-card');
    const box = card.getByLabel('Start at login');
    await expect(box).not.toBeChecked();
    await box.check();
    await expect(page.getByText('The app will start in the tray when you log in.')).toBeVisible();
    await expect(card).toContainText('--autostart');

    const dir = join(config, 'autostart');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^cwm-webroot-[0-9a-f]{8}\.desktop$/);
    const entry = readFileSync(join(dir, files[0]!), 'utf8');
    expect(entry).toContain('Name=Manage Webroot Integration');
    expect(entry).toMatch(/^Exec=".*cwm-webroot-dev" "--autostart" "--data-dir" ".*cwm-e2e-[^"]*"$/m);
    expect(entry).toContain(app.dataDir);

    await page.reload();
    await expect(card.getByLabel('Start at login')).toBeChecked();
    await card.getByLabel('Start at login').uncheck();
    await expect(page.getByText('The app will no longer start at login.')).toBeVisible();
    expect(existsSync(join(dir, files[0]!))).toBe(false);
  } finally {
    await stop();
    rmSync(config, { recursive: true, force: true });
  }
});

test('notifications: digest needs recipients and email, preferences are saved', async ({ page, app }) => {
  await loginAsAdmin(page, app);
  await goTo(page, 'Settings');
  const card = page.getByTestId('notifications-card');
  for (const label of ['Failed syncs', 'Changes awaiting review', 'Rejected credentials', 'New unmapped sites', 'Sites over their seat limit']) {
    await expect(card.getByRole('checkbox', { name: label })).toBeChecked();
  }
  await card.getByRole('checkbox', { name: 'Sites over their seat limit' }).uncheck();
  await card.getByRole('checkbox', { name: /Email a summary/ }).check();
  await expect(card.getByText('Outgoing email is not set up yet')).toBeVisible();
  await card.getByRole('button', { name: 'Save notifications' }).click();
  await expect(card.getByLabel('Digest recipients')).toHaveAttribute('aria-invalid', 'true');

  await card.getByLabel('Digest recipients').fill('billing@bluewave.example, not-an-address');
  await card.getByRole('button', { name: 'Save notifications' }).click();
  await expect(card.getByText(/not-an-address/)).toBeVisible();

  await card.getByLabel('Digest recipients').fill('billing@bluewave.example, dana@bluewave.example');
  await card.getByLabel('Days without a successful sync').fill('5');
  await card.getByRole('button', { name: 'Save notifications' }).click();
  await expect(page.getByText('Notification settings saved.')).toBeVisible();
  await screenshot(page, 'settings-notifications');

  await page.reload();
  await expect(card.getByLabel('Digest recipients')).toHaveValue('billing@bluewave.example, dana@bluewave.example');
  await expect(card.getByLabel('Days without a successful sync')).toHaveValue('5');
  await expect(card.getByRole('checkbox', { name: 'Sites over their seat limit' })).not.toBeChecked();
});

test('the activity log shows who changed what, newest first, and finds it by search', async ({ page, app }) => {
  await loginAsAdmin(page, app);
  await goTo(page, 'Settings');
  const card = page.getByTestId('schedule-card');
  await card.getByLabel('Frequency').selectOption('monthly');
  await card.getByLabel('Day of month').fill('25');
  await card.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByText(/Schedule saved: Monthly/)).toBeVisible();

  await goTo(page, 'Activity');
  const rows = page.getByTestId('activity-table').getByRole('row');
  // The newest entry first: the schedule change, by whom, from what to what.
  await expect(rows.nth(1)).toContainText('Schedule changed');
  await expect(rows.nth(1)).toContainText('dana@bluewave.example');
  await expect(rows.nth(1)).toContainText('Frequency: daily → monthly');
  await expect(rows.nth(1)).toContainText('Day of month: 1 → 25');
  await expect(rows.nth(1)).not.toContainText('Time'); // unchanged values are not listed
  await expect(page.getByText('Logged in').first()).toBeVisible();
  await screenshot(page, 'activity');

  await page.getByLabel('Search activity').fill('monthly');
  await expect(rows).toHaveCount(2); // the header and the one change
  await page.getByLabel('Search activity').fill('no such thing');
  await expect(page.getByText('Nothing matches “no such thing”')).toBeVisible();
});
