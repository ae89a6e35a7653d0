import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, loginAsAdmin, screenshot, test } from './fixtures';

// The real app against the Webroot simulator on loopback: simserve (a small Go program)
// serves it and prints its URL and credentials, and the test types that URL into "Site"
// like a user would (plain http:// is accepted for loopback addresses only). The app has no
// test-only code path for this.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const simserve = join(root, 'build', 'bin', 'simserve');

interface WebrootSim {
  url: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  gsmKey: string;
  consoleName: string;
  sites: number;
  totalSeats: number;
}

test.beforeAll(() => {
  execFileSync('go', ['build', '-o', simserve, './backend/simulator/cmd/simserve'], { cwd: root, stdio: 'inherit' });
});

let proc: ChildProcess | undefined;
let sim: WebrootSim;

test.beforeEach(async () => {
  proc = spawn(simserve, ['-seed', 'demo'], { stdio: ['pipe', 'pipe', 'inherit'] });
  sim = await new Promise<WebrootSim>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`simserve printed nothing: ${out}`)), 15_000);
    proc!.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        ok((JSON.parse(line ?? '{}') as { webroot: WebrootSim }).webroot);
      }
    });
    proc!.once('exit', (code) => fail(new Error(`simserve exited with ${code}`)));
  });
});

test.afterEach(() => {
  proc?.stdin?.end(); // simserve exits when its stdin closes
  proc?.kill('SIGTERM');
});

async function openWebrootPage(page: Page, app: Parameters<typeof loginAsAdmin>[1]): Promise<void> {
  await loginAsAdmin(page, app);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webroot', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Configure Webroot' })).toBeVisible();
  await expect(page.getByLabel('Site', { exact: true })).toHaveValue('unityapi.webrootcloudav.com');
}

/** A screenshot of the whole page: the shell scrolls inside <main>, so the viewport is made
 * as tall as its content first. */
async function shot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const height = await page.locator('main').evaluate((el) => el.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await screenshot(page, name);
  await page.setViewportSize(size);
}

async function fill(page: Page, values: Partial<Record<string, string>>): Promise<void> {
  for (const [label, value] of Object.entries(values)) {
    await page.getByLabel(label, { exact: true }).fill(value ?? '');
  }
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

  const expectError = async (label: string, text: RegExp) => {
    const input = page.getByLabel(label, { exact: true });
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(text);
  };
  await expectError('Site', /Plain http:\/\/ is only allowed for this computer/);
  await expectError('Client ID', /Client ID/);
  await expectError('Client Secret', /Client Secret/);
  await expectError('GSM Parent Key', /20 letters and digits/);
  await expectError('Super Admin', /not an email address/);
  await expectError('Admin Password', /password/);
  await expect(page.getByLabel('API Scope', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Site', { exact: true })).toBeFocused(); // the first field to fix
  // Nothing was saved.
  await expect(page.getByTestId('secret-state')).toHaveText(['Not saved', 'Not saved']);
  await expect(page.getByTestId('webroot-state')).toHaveText('Not configured');
  await shot(page, 'webroot-validation');
});
