import { expect, test } from './fixtures';
import { acceptSuggestions, cli, connectAndOpen, goCall, goTo, serveSimulator, shot, type ManageSim, type WebrootSim } from './connections';

// Quit while a sync runs (the tray's Quit, or closing the window when there is no tray)
// asks first. The test calls the same bound method the tray's Quit leads to, against the
// real app and simulators slowed down so the sync is still running while it answers.

let manage: ManageSim;
let webroot: WebrootSim;
const manageControl = serveSimulator('manage', (s) => (manage = s));
serveSimulator('webroot', (s) => (webroot = s));


interface HistoryRun {
  run_id: number;
  status: string;
  changes: { state: string }[];
}

test('Quit during a sync asks; "Keep running" stays; "Quit when the sync finishes" lets it finish, then exits', async ({ page, app }) => {
  test.setTimeout(180_000);
  await connectAndOpen(page, app, manage, webroot);
  expect(await acceptSuggestions(page)).toBeGreaterThan(2);

  // ConnectWise now answers slowly, as over a bad link: the sync takes a while.
  manageControl.setLatency('4s');
  await goTo(page, 'Sync');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-progress')).toBeVisible();

  expect(await goCall<boolean>(page, 'DesktopAPI', 'Quit')).toBe(true);
  const dialog = page.getByRole('dialog', { name: 'Quit while a sync is running?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status')).toContainText(/Reading|Planning|Applying/);
  await expect(dialog).toContainText('Every change made so far is recorded');
  await shot(page, 'quit-prompt');

  // "Keep running" (the default button): nothing happens to the app or the sync.
  await expect(dialog.getByRole('button', { name: 'Keep running' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Keep running' }).click();
  await expect(dialog).toBeHidden();
  expect(await app.exited(1000)).toBeNull();
  await expect(page.getByTestId('sync-progress')).toBeVisible();

  // "Quit when the sync finishes": a bar says so, the sync ends normally, then the app exits.
  expect(await goCall<boolean>(page, 'DesktopAPI', 'Quit')).toBe(true);
  await dialog.getByRole('button', { name: 'Quit when the sync finishes' }).click();
  await expect(page.getByTestId('quit-waiting')).toContainText('Quitting when the sync finishes');
  await shot(page, 'quit-waiting');
  expect(await app.exited(120_000)).toBe(0);

  // The run finished: every change has its final state, none was left applying or interrupted.
  const [run] = JSON.parse(cli(app, ['history', '--json', '--limit', '1'])) as HistoryRun[];
  expect(run?.status).toMatch(/^(succeeded|no_changes)$/);
  expect(run?.changes.length).toBeGreaterThan(0);
  expect(run?.changes.filter((c) => !['applied', 'held', 'unchanged', 'blocked'].includes(c.state))).toEqual([]);
});
