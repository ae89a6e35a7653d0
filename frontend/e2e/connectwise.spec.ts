import type { Page } from '@playwright/test';
import { expect, test, type AppHandle } from './fixtures';
import { expectFieldError, fill, openConfigurePage, serveSimulator, shot, type ManageSim } from './connections';

// The real app against the ConnectWise Manage simulator on loopback, serving a demo MSP's
// Manage site (see connections.ts).

let sim: ManageSim;
serveSimulator('manage', (s) => (sim = s));

async function openConnectWisePage(page: Page, app: AppHandle): Promise<void> {
  await openConfigurePage(page, app, 'ConnectWise');
  // The Site and Company ID the company signed up with are suggested.
  await expect(page.getByLabel('Site', { exact: true })).toHaveValue('na.myconnectwise.net');
  await expect(page.getByLabel('Company ID', { exact: true })).toHaveValue('bluewave');
}

function goodValues(): Record<string, string> {
  return {
    Site: sim.url,
    'Company ID': sim.companyId,
    Username: 'api-billing',
    'Public Key': sim.publicKey,
    'Private Key': sim.privateKey,
  };
}

/** Everything the frontend can see of the connection, for checks that the key never shows. */
async function visibleToFrontend(page: Page): Promise<string> {
  const fromGo = await page.evaluate(async () => {
    const m = (window as unknown as { go: { main: { ManageAPI: Record<string, () => Promise<unknown>> } } }).go.main.ManageAPI;
    return JSON.stringify([await m.GetConfig!(), await m.Status!(), await m.Activity!(), await m.CacheSummary!()]);
  });
  return fromGo + (await page.content());
}

test('good keys connect, show the company and cache companies, agreements and additions', async ({ page, app }) => {
  await openConnectWisePage(page, app);
  await expect(page.getByTestId('connectwise-state')).toHaveText('Not configured');
  await expect(page.getByTestId('secret-state')).toHaveText('Not saved');
  // The Client ID is advanced: hidden until asked for, pre-filled with the app's own.
  await expect(page.getByLabel('Client ID', { exact: true })).toBeHidden();
  await page.getByText('Advanced', { exact: true }).click();
  await expect(page.getByLabel('Client ID', { exact: true })).toHaveValue(sim.clientId);
  await shot(page, 'connectwise-empty', { dismissToasts: true });

  await fill(page, goodValues());
  await page.getByRole('button', { name: 'Save and test' }).click();

  const result = page.getByTestId('connectwise-result');
  await expect(result).toContainText(`Connected as api-billing to "${sim.companyName}"`);
  await expect(page.getByTestId('cw-company')).toHaveText(sim.companyName);
  for (const step of ['codebase', 'authentication', 'agreements', 'companies', 'catalog']) {
    await expect(page.getByTestId(`step-${step}`)).toContainText('Passed');
  }
  // The test went on to read the data the mapping pickers choose from.
  await expect(page.getByTestId('cw-count-companies')).toContainText(String(sim.companies));
  await expect(page.getByTestId('cw-count-agreements')).toContainText(String(sim.agreements));
  await expect(page.getByTestId('cw-count-catalog')).toContainText(String(sim.catalogItems));
  await expect(page.getByTestId('connectwise-cache')).toContainText('Refreshed just now');
  await expect(page.getByTestId('connectwise-state')).toHaveText('Connected');
  await expect(page.getByText(/ConnectWise data refreshed: \d+ companies/)).toBeVisible();
  // The key went to the keychain: the form shows only that it is saved.
  await expect(page.getByLabel('Private Key', { exact: true })).toHaveValue('');
  await expect(page.getByTestId('secret-state')).toHaveText('Saved');
  expect(await visibleToFrontend(page)).not.toContain(sim.privateKey);
  await shot(page, 'connectwise-connected', { dismissToasts: true });

  // The pickers' readers answer from the cache.
  const picked = await page.evaluate(async () => {
    const m = (window as unknown as { go: { main: { ManageAPI: Record<string, (...a: unknown[]) => Promise<unknown>> } } }).go.main.ManageAPI;
    const companies = (await m.Companies!('northwind')) as { id: number; name: string }[];
    const agreements = (await m.Agreements!(companies[0]!.id, false)) as { id: number }[];
    const additions = (await m.Additions!(agreements[0]!.id)) as { productIdentifier: string }[];
    return { companies: companies.map((c) => c.name), additions: additions.map((a) => a.productIdentifier) };
  });
  expect(picked.companies).toEqual(['Northwind Traders', 'Northwind Traders']);
  expect(picked.additions).toContain('WEBROOT-EP');

  // After a reload the state, the saved key and the cache are still there, and Refresh
  // re-reads the data in the background.
  await page.reload();
  await expect(page.getByTestId('connectwise-state')).toHaveText('Connected');
  await expect(page.getByTestId('secret-state')).toHaveText('Saved');
  await expect(page.getByRole('button', { name: 'Test connection' })).toBeEnabled();
  await expect(page.getByTestId('cw-count-companies')).toContainText(String(sim.companies));
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(page.getByText(/ConnectWise data refreshed/)).toBeVisible();

  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'connectwise-connected-dark', { dismissToasts: true });
});

test('wrong keys say what to fix, the settings stay saved, and fixing the key connects', async ({ page, app }) => {
  await openConnectWisePage(page, app);
  await fill(page, { ...goodValues(), 'Private Key': 'not-the-private-key' });
  await page.getByRole('button', { name: 'Save and test' }).click();

  const result = page.getByTestId('connectwise-result');
  await expect(result).toContainText('The connection test failed at “Sign in with the API keys”.');
  await expect(result).toContainText('Check the Company ID, Public Key and Private Key');
  await expect(page.getByTestId('step-authentication')).toContainText('Manage rejected the API keys');
  await expect(page.getByTestId('step-authentication')).toContainText('Failed');
  await expect(page.getByTestId('step-agreements')).toContainText('Not checked');
  await expect(page.getByTestId('step-codebase')).toContainText(`Found "${sim.companyName}"`);
  await expect(page.getByTestId('connectwise-state')).toHaveText('Failing');
  const key = page.getByLabel('Private Key', { exact: true });
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await expect(key).toHaveAccessibleDescription(/check the Company ID, the Public Key and this Private Key/);
  await expect(page.getByText('Nothing read from ConnectWise yet')).toBeVisible();
  // The settings stay saved: nothing else has to be typed again.
  await expect(page.getByTestId('secret-state')).toHaveText('Saved');
  expect(await visibleToFrontend(page)).not.toContain('not-the-private-key');
  await shot(page, 'connectwise-wrong-key', { dismissToasts: true });

  // An unknown company is named as such, pointing at the Company ID.
  await fill(page, { 'Company ID': 'nosuchco' });
  await page.getByRole('button', { name: 'Save and test' }).click();
  await expect(result).toContainText('The connection test failed at “Find the company on the site”.');
  await expect(page.getByTestId('step-codebase')).toContainText('does not know this company ID');
  await expect(page.getByLabel('Company ID', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await fill(page, { 'Company ID': sim.companyId, 'Private Key': sim.privateKey });
  await page.getByRole('button', { name: 'Save and test' }).click();
  await expect(result).toContainText('Connected as api-billing');
  await expect(page.getByTestId('connectwise-state')).toHaveText('Connected');
  await expect(page.getByTestId('cw-count-companies')).toContainText(String(sim.companies));
});

test('bad input is refused with a message next to each field', async ({ page, app }) => {
  await openConnectWisePage(page, app);
  await page.getByText('Advanced', { exact: true }).click();
  await fill(page, { Site: 'http://cw.example.com', 'Company ID': 'blue wave', 'Client ID': 'not-a-guid' });
  await page.getByRole('button', { name: 'Save and test' }).click();

  await expectFieldError(page, 'Site', /http/i);
  await expectFieldError(page, 'Company ID', /spaces/);
  await expectFieldError(page, 'Username', /username/);
  await expectFieldError(page, 'Public Key', /public key/);
  await expectFieldError(page, 'Private Key', /private key/);
  await expectFieldError(page, 'Client ID', /GUID/);
  await expect(page.getByLabel('Site', { exact: true })).toBeFocused(); // the first field to fix
  // Nothing was saved.
  await expect(page.getByTestId('secret-state')).toHaveText('Not saved');
  await expect(page.getByTestId('connectwise-state')).toHaveText('Not configured');
  await shot(page, 'connectwise-validation', { dismissToasts: true });
});
