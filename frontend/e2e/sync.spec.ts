import type { Page } from '@playwright/test';
import { admin, expect, test } from './fixtures';
import { acceptSuggestions, connectAndOpen, goCall, goTo, serveSimulator, shot, type ManageSim, type WebrootSim } from './connections';

// The Sync and History pages of the real app, connected to both simulators through the
// command line, with a few suggested mappings accepted.

let manage: ManageSim;
let webroot: WebrootSim;
serveSimulator('manage', (s) => (manage = s));
serveSimulator('webroot', (s) => (webroot = s));


test('dry run plans, Sync now applies, History lists the run and its changes', async ({ page, app }) => {
  test.setTimeout(120_000);
  await connectAndOpen(page, app, manage, webroot);
  // Connected: the dashboard offers Sync now.
  await expect(page.getByTestId('dashboard-sync').getByRole('button', { name: 'Sync now' })).toBeEnabled();
  await expect(page.getByTestId('dashboard-sync-needs')).toHaveCount(0);

  // Map a few lines by accepting suggestions that name a single addition.
  expect(await acceptSuggestions(page, 8)).toBeGreaterThan(2);

  await goTo(page, 'Sync');
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeVisible();

  // Dry run: planned changes, nothing applied.
  await page.getByRole('button', { name: 'Dry run' }).click();
  await expect(page.getByTestId('sync-summary')).toContainText('Dry run #1');
  await expect(page.getByTestId('change-row').first()).toBeVisible();
  await expect(page.getByTestId('count-applied')).toHaveText('0');
  await expect(page.getByTestId('change-row').and(page.locator('[data-state="applied"]'))).toHaveCount(0);
  const planned = Number(await page.getByTestId('count-planned').textContent());
  expect(planned + Number(await page.getByTestId('count-held').textContent())).toBeGreaterThan(0);
  // What the changes do to the bill, at the additions' unit prices from Manage.
  await expect(page.getByTestId('bill-summary')).toContainText(/On the bill\s*[+−][\d,]+\.\d\d (planned|awaiting review)/);
  await expect(page.getByTestId('change-amount').first()).toHaveText(/^[+−][\d,]+\.\d\d$/);
  await shot(page, 'sync-dry-run');

  // Sync now: the changes that need no review are applied ("Apply automatically" is on).
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-summary')).toContainText('Sync #2');
  await expect(page.getByTestId('run-status')).not.toHaveText(/Planning|Applying/);
  if (planned > 0) {
    await expect(page.getByTestId('change-row').and(page.locator('[data-state="applied"]')).first()).toBeVisible();
    expect(Number(await page.getByTestId('count-applied').textContent())).toBe(planned);
  }
  await shot(page, 'sync-applied');

  // Held changes: approve all and apply them.
  const held = Number(await page.getByTestId('count-held').textContent());
  if (held > 0) {
    await page.getByRole('button', { name: 'Approve all' }).click();
    await page.getByRole('button', { name: 'Apply approved' }).click();
    await expect(page.getByTestId('count-held')).toHaveText('0');
    await expect(page.getByTestId('change-row').and(page.locator('[data-state="approved"]'))).toHaveCount(0);
    await shot(page, 'sync-approved-applied');
  }

  // History: both runs, the sync's changes, an addition's timeline.
  await goTo(page, 'History');
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('run-row').first()).toContainText(admin.email);
  await page.getByTestId('run-row').first().getByRole('button', { name: '#2' }).click();
  const changes = page.getByTestId('run-changes').getByTestId('change-row');
  await expect(changes.first()).toBeVisible();
  await changes.first().getByRole('button').first().click();
  await expect(page.getByTestId('timeline').getByTestId('change-row')).toHaveCount(2);
  await shot(page, 'history');
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await shot(page, 'history-dark', { dismissToasts: true });
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));

  // Export: the native save dialog cannot be driven from the browser, so it is stood in for
  // by a function that takes the file's text from ExportHistoryCSV, as SaveHistoryExport
  // writes it.
  await page.evaluate(() => {
    const s = (window as unknown as { go: { main: { SyncAPI: Record<string, (...a: unknown[]) => Promise<unknown>> } } }).go.main.SyncAPI;
    const w = window as unknown as { exported?: string };
    s['SaveHistoryExport'] = async () => {
      w.exported = (await s['ExportHistoryCSV']!()) as string;
      return '/home/dana/Documents/cwm-webroot-history.csv';
    };
  });
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByText('Sync history exported to /home/dana/Documents/cwm-webroot-history.csv')).toBeVisible();
  const csv = (await page.evaluate(() => (window as unknown as { exported?: string }).exported)) ?? '';
  expect(csv.split('\n')[0]).toBe('run_id,started_at,finished_at,trigger,addition_id,agreement_id,company_id,product,before,after,state,message');

  // The dashboard tells what the last sync did to the bill.
  await goTo(page, 'Dashboard');
  await expect(page.getByTestId('dashboard-bill')).toContainText(/[+−][\d,]+\.\d\d applied/);
  await shot(page, 'dashboard-after-sync', { dismissToasts: true });
});

/** Fails when the page or the changes table scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const els = [document.querySelector('main'), ...document.querySelectorAll('[data-testid="change-row"]')].map((el) => el?.closest('.wrap') ?? el);
    return els.filter((el): el is Element => !!el).map((el) => el.scrollWidth - el.clientWidth);
  });
  expect(Math.max(...overflow)).toBeLessThanOrEqual(0);
}

test('the review table fits 1280 and 960 px windows and is used from the keyboard', async ({ page, app }) => {
  test.setTimeout(120_000);
  await connectAndOpen(page, app, manage, webroot);
  await acceptSuggestions(page, 8);
  // A 1 % threshold holds every change for review.
  await goCall(page, 'SyncAPI', 'SaveSettings', true, 1, 1000);

  await goTo(page, 'Sync');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-summary')).toContainText('Sync #1');
  await expect(page.getByTestId('run-status')).not.toHaveText(/Planning|Applying/);
  const heldRows = page.getByTestId('change-row').and(page.locator('[data-state="held"]'));
  const held = await heldRows.count();
  expect(held).toBeGreaterThan(1);
  await expect(page.getByTestId('count-applied')).toHaveText('0');
  await expect(page.getByTestId('run-status')).toHaveText(`Needs review (${held} awaiting review)`);

  // 1280 × 800: every column and the review buttons are in view, nothing scrolls sideways.
  await expectNoSidewaysScroll(page);
  const first = heldRows.first();
  for (const name of ['Approve', 'Adjust', 'Skip']) {
    const box = await first.getByRole('button', { name, exact: true }).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(1280);
  }
  await expect(first.getByTestId('change-company')).not.toBeEmpty();
  await expect(first.getByTestId('change-quantity')).toHaveText(/^\d+ → \d+$/);
  await expect(first.getByTestId('change-delta')).toHaveText(/^[+-]\d+$/);
  await shot(page, 'sync-review-1280');
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await shot(page, 'sync-review-1280-dark', { dismissToasts: true });
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));

  // Keyboard: Adjust opens a quantity field with the focus in it; Escape gives the focus
  // back to Adjust; Enter saves; Skip and Approve answer to Space and Enter.
  const id = await first.getAttribute('data-addition');
  const row = page.locator(`[data-testid="change-row"][data-addition="${id}"]`);
  await row.getByRole('button', { name: 'Adjust', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(row.getByLabel('Quantity')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(row.getByRole('button', { name: 'Adjust', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.type('12');
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-state', 'approved');
  await expect(row.getByTestId('change-quantity')).toHaveText(/→ 12$/);
  await expect(row).toContainText('adjusted');

  const second = heldRows.first();
  const secondId = await second.getAttribute('data-addition');
  await second.getByRole('button', { name: 'Skip', exact: true }).focus();
  await page.keyboard.press('Space');
  await expect(page.locator(`[data-testid="change-row"][data-addition="${secondId}"]`)).toHaveAttribute('data-state', 'skipped');
  await expect(page.getByTestId('count-held')).toHaveText(String(held - 2));

  // 960 × 800, the window's minimum: the sites move under the product; still no sideways scroll.
  await page.setViewportSize({ width: 960, height: 800 });
  await expectNoSidewaysScroll(page);
  const box = await heldRows.first().getByRole('button', { name: 'Skip', exact: true }).boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(960);
  await shot(page, 'sync-review-960');
  await page.setViewportSize({ width: 1280, height: 800 });

  // History says the run needs review too.
  await goTo(page, 'History');
  await expect(page.getByTestId('run-row-status').first()).toHaveText(/^Needs review \(\d+ awaiting review\)$/);
  await expect(page.getByTestId('runs-shown')).toHaveText('1 run shown — all of them');
});
