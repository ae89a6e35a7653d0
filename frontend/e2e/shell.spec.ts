import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, loginAsAdmin, screenshot, test } from './fixtures';

test('the shell loads, the sidebar navigates and a bound Go method answers', async ({ page, app }) => {
  await loginAsAdmin(page, app);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Configurations' })).toBeVisible();
  await screenshot(page, 'shell-dashboard');

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [link, heading] of [
    ['Mappings', 'Mappings'],
    ['Sync', 'Sync'],
    ['History', 'History'],
    ['ConnectWise', 'Configure ConnectWise'],
    ['Webroot', 'Configure Webroot'],
    ['Settings', 'Settings'],
    ['Dashboard', 'Dashboard'],
  ] as const) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(nav.getByRole('link', { name: link, exact: true })).toHaveAttribute('aria-current', 'page');
  }

  // Pages that need both connections say what is missing and link to it.
  await nav.getByRole('link', { name: 'Sync', exact: true }).click();
  await page.getByRole('link', { name: 'Configure ConnectWise' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Configure ConnectWise' })).toBeVisible();

  // Settings → About comes from the Go backend: the data folder is this test's own.
  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('about-data-dir')).toHaveText(app.dataDir);
  await expect(page.getByTestId('about-keychain')).toContainText('Available');
  // The app logs to a file in that folder from its start: what a diagnostics report includes.
  const logFile = join(app.dataDir, 'logs', 'cwm-webroot.log');
  await expect(page.getByTestId('about-log-file')).toHaveText(logFile);
  expect(readFileSync(logFile, 'utf8')).toMatch(/msg=started version=/);
  await expect(page.getByRole('button', { name: 'Save diagnostics report…' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Back up data…' })).toBeEnabled();
  await expect(page.getByTestId('about-last-crash')).toHaveCount(0);
  // A crash the runtime wrote (as applog's test shows it does) is told on the About card.
  writeFileSync(join(app.dataDir, 'logs', 'crash.log'), 'panic: the sky is falling\n\ngoroutine 1 [running]:\n');
  await page.reload();
  await expect(page.getByTestId('about-last-crash')).toContainText(/\d+ \w{3} \d{4}, \d\d:\d\d/);
  await page.getByTestId('about-log-file').scrollIntoViewIfNeeded();
  await screenshot(page, 'shell-settings');
});

test('the theme choice is saved in the database and survives a reload', async ({ page, app }) => {
  await loginAsAdmin(page, app, '#/settings');
  await page.getByText('Dark', { exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'shell-settings-dark');
  // The session lives in the Go process: a reload keeps the user logged in.
  await page.reload();
  await page.waitForFunction(() => Boolean((window as unknown as { go?: { main?: { App?: unknown } } }).go?.main?.App));
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByLabel('Dark')).toBeChecked();
  // A direct call of the binding: an unknown theme is refused with the field named.
  const err = await page.evaluate(async () => {
    const go = (window as unknown as { go: { main: { App: { SetTheme: (t: string) => Promise<void> } } } }).go;
    try {
      await go.main.App.SetTheme('purple');
      return 'accepted';
    } catch (e) {
      return JSON.stringify(e);
    }
  });
  expect(err).toContain('Theme');
  expect(err).toContain('choose system, light or dark');
});
