import type { Page } from '@playwright/test';
import { expect, test, type AppHandle } from './fixtures';
import { expectFieldError, fill, openConfigurePage, serveSimulator, shot, type WebrootSim } from './connections';

// The real app against the Webroot simulator on loopback (see connections.ts).

let sim: WebrootSim;
serveSimulator('webroot', (s) => (sim = s));

async function openWebrootPage(page: Page, app: AppHandle): Promise<void> {
  await openConfigurePage(page, app, 'Webroot');
  await expect(page.getByLabel('Site', { exact: true })).toHaveValue('unityapi.webrootcloudav.com');
}

function goodValues(): Record<string, string> {
  return {
    Site: sim.url,
    'Client ID': sim.clientId,
    'Client Secret': sim.clientSecret,
    'GSM Parent Key': sim.gsmKey,
    'Super Admin': sim.username,
    'Admin Password': sim.password,
  };
}

test('good credentials connect, show the console and refresh the sites', async ({ page, app }) => {
  await openWebrootPage(page, app);
  await expect(page.getByLabel('API Scope', { exact: true })).toHaveValue('*');
  await expect(page.getByTestId('webroot-state')).toHaveText('Not configured');
  await shot(page, 'webroot-empty');

  await fill(page, goodValues());
  await page.getByRole('button', { name: 'Save and test' }).click();

  const result = page.getByTestId('webroot-result');
  await expect(result).toContainText(`Connected as ${sim.username} to "${sim.consoleName}"`);
  await expect(page.getByTestId('webroot-console')).toHaveText(sim.consoleName);
  await expect(page.getByTestId('webroot-site-count')).toHaveText(String(sim.sites));
  await expect(page.getByTestId('webroot-seats')).toHaveText(sim.totalSeats.toLocaleString('en-US'));
  await expect(page.getByTestId('webroot-state')).toHaveText('Connected');
  for (const step of ['sign_in', 'console', 'reports']) {
    await expect(page.getByTestId(`step-${step}`)).toContainText('Passed');
  }

  // The test went on to read every site with its counts.
  await expect(page.getByTestId('sites-summary')).toContainText(`${sim.sites} sites`);
  const table = page.getByRole('table');
  await expect(table.getByRole('cell', { name: /^Acme Corp/ })).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(sim.sites + 1);
  // The secrets went to the keychain: the form shows only that they are saved.
  await expect(page.getByLabel('Client Secret', { exact: true })).toHaveValue('');
  await expect(page.getByTestId('secret-state')).toHaveText(['Saved', 'Saved']);
  await shot(page, 'webroot-connected');

  // A different basis changes the counts shown; the search narrows the list.
  const acme = table.getByRole('row').filter({ has: page.getByRole('cell', { name: /^Acme Corp/ }) });
  const before = await acme.getByRole('cell').nth(2).textContent();
  await page.getByLabel('Endpoint count basis').selectOption('not_deactivated');
  await expect(acme.getByRole('cell').nth(2)).not.toHaveText(before ?? '');
  await page.getByLabel('Search sites').fill('stark');
  await expect(table.getByRole('row')).toHaveCount(3);

  // After a reload the state, the saved secrets and the cached sites are still there, and
  // "Refresh sites" re-reads them in the background.
  await page.reload();
  await expect(page.getByTestId('webroot-state')).toHaveText('Connected');
  await expect(page.getByTestId('secret-state')).toHaveText(['Saved', 'Saved']);
  await expect(page.getByRole('button', { name: 'Test connection' })).toBeEnabled();
  await expect(page.getByTestId('sites-summary')).toContainText(`${sim.sites} sites`);
  await page.getByRole('button', { name: 'Refresh sites' }).click();
  await expect(page.getByText(`Sites refreshed: ${sim.sites} sites.`)).toBeVisible();

  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'webroot-connected-dark');
});

test('a wrong Client Secret says what to fix, and fixing it connects', async ({ page, app }) => {
  await openWebrootPage(page, app);
  await fill(page, { ...goodValues(), 'Client Secret': 'not-the-secret' });
  await page.getByRole('button', { name: 'Save and test' }).click();

  const result = page.getByTestId('webroot-result');
  await expect(result).toContainText('The connection test failed at “Sign in”.');
  await expect(result).toContainText('Fix the Client Secret');
  await expect(page.getByTestId('step-sign_in')).toContainText('Webroot rejected the Client ID or Client Secret. Check both under Settings → API Access');
  await expect(page.getByTestId('webroot-state')).toHaveText('Failing');
  const secret = page.getByLabel('Client Secret', { exact: true });
  await expect(secret).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Webroot rejected the Client ID or this Client Secret.')).toBeVisible();
  await expect(page.getByTestId('step-sign_in')).toContainText('Failed');
  await expect(page.getByTestId('step-console')).toContainText('Not checked');
  await expect(page.getByText('No sites yet')).toBeVisible();
  // The settings stay saved: nothing else has to be typed again.
  await expect(page.getByTestId('secret-state')).toHaveText(['Saved', 'Saved']);
  await shot(page, 'webroot-wrong-secret');

  await secret.fill(sim.clientSecret);
  await page.getByRole('button', { name: 'Save and test' }).click();
  await expect(result).toContainText(`Connected as ${sim.username}`);
  await expect(page.getByTestId('webroot-state')).toHaveText('Connected');
  await expect(page.getByTestId('sites-summary')).toContainText(`${sim.sites} sites`);
});

test('bad input is refused with a message next to each field', async ({ page, app }) => {
  await openWebrootPage(page, app);
  await fill(page, { Site: 'http://webroot.example.com', 'GSM Parent Key': '1234-5678', 'Super Admin': 'billing' });
  await page.getByRole('button', { name: 'Save and test' }).click();

  await expectFieldError(page, 'Site', /Plain http:\/\/ is only allowed for this computer/);
  await expectFieldError(page, 'Client ID', /Client ID/);
  await expectFieldError(page, 'Client Secret', /Client Secret/);
  await expectFieldError(page, 'GSM Parent Key', /20 letters and digits/);
  await expectFieldError(page, 'Super Admin', /not an email address/);
  await expectFieldError(page, 'Admin Password', /password/);
  await expect(page.getByLabel('API Scope', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Site', { exact: true })).toBeFocused(); // the first field to fix
  // Nothing was saved.
  await expect(page.getByTestId('secret-state')).toHaveText(['Not saved', 'Not saved']);
  await expect(page.getByTestId('webroot-state')).toHaveText('Not configured');
  await shot(page, 'webroot-validation');
});
