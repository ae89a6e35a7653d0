import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.CWM_WEBROOT_DEV_BINARY ?? join(root, 'build', 'bin', 'cwm-webroot-dev');
export const screenshotDir = join(root, 'build', 'screenshots');

export interface AppHandle {
  url: string;
  dataDir: string;
  /** Output of the app process so far, for failure messages. */
  log: () => string;
  /** Resolves with the app's exit code when it exits, or null if it still runs after timeoutMs. */
  exited: (timeoutMs: number) => Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForHTTP(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`app exited with ${proc.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`app did not answer on ${url} within 30 s:\n${log()}`);
}

/** Starts the dev binary with its own data folder and port; stops it after the test. */
export async function startApp(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<{ app: AppHandle; stop: () => Promise<void> }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'cwm-e2e-'));
  let output = '';
  const proc = spawn(binary, ['-assetdir', join(root, 'frontend', 'dist'), '-devserver', `127.0.0.1:${port}`, '-loglevel', 'warning', ...extraArgs], {
    env: { ...process.env, CWM_WEBROOT_DATA_DIR: dataDir, WEBKIT_DISABLE_DMABUF_RENDERER: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => (output += d));
  proc.stderr?.on('data', (d) => (output += d));
  const log = () => output;
  const url = `http://127.0.0.1:${port}/`;
  await waitForHTTP(url, proc, log);
  return {
    app: {
      url,
      dataDir,
      log,
      exited: (timeoutMs) =>
        proc.exitCode !== null
          ? Promise.resolve(proc.exitCode)
          : Promise.race([
              new Promise<number | null>((r) => proc.once('exit', (code) => r(code))),
              new Promise<null>((r) => setTimeout(() => r(null), timeoutMs)),
            ]),
    },
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens the app in the page and waits until the Go bindings are connected. */
export async function openApp(page: Page, app: AppHandle, hash = ''): Promise<void> {
  await page.goto(app.url + hash);
  await page.waitForFunction(() => Boolean((window as unknown as { go?: { main?: { App?: unknown } } }).go?.main?.App));
}

/** A picture of the whole page. The app shell scrolls inside <main>, so the viewport is made
 * as tall as its content first (and put back after); transitions are finished first, so a
 * theme that was just switched is not caught half-way. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const main = page.locator('main');
  const height = (await main.count()) > 0 ? await main.first().evaluate((el) => el.scrollHeight) : 0;
  const grow = height > size.height;
  if (grow) await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
  if (grow) await page.setViewportSize(size);
}

export const test = base.extend<{ app: AppHandle }>({
  app: async ({}, use) => {
    const { app, stop } = await startApp();
    await use(app);
    await stop();
  },
});

export { expect };

/** The admin that seedCompany registers. */
export const admin = { email: 'dana@bluewave.example', password: 'e2e-admin-passphrase-7', name: 'Dana Scully', company: 'Bluewave IT Services' };

/** Registers the company and its admin through the command line (the same binary). */
export function seedCompany(app: AppHandle): void {
  execFileSync(
    binary,
    ['signup', '--company-name', admin.company, '--time-zone', 'America/Chicago', '--manage-company-id', 'bluewave', '--manage-site', 'na.myconnectwise.net', '--name', admin.name, '--email', admin.email],
    { env: { ...process.env, CWM_WEBROOT_DATA_DIR: app.dataDir, CWM_WEBROOT_PASSWORD: admin.password }, stdio: 'pipe' },
  );
}

/** Fills the Log In screen. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email Address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log In', exact: true }).click();
}

/** Registers the company, opens the app and logs in as its admin: the start of most tests. */
export async function loginAsAdmin(page: Page, app: AppHandle, hash = ''): Promise<void> {
  seedCompany(app);
  await openApp(page, app, hash);
  await logIn(page, admin.email, admin.password);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Starts the app a second time on the same data folder (as the OS does for a link) and
 * returns its exit code: a second instance hands its arguments over and exits. */
export function launchSecond(app: AppHandle, args: string[]): number | null {
  const res = spawnSync(binary, args, { env: { ...process.env, CWM_WEBROOT_DATA_DIR: app.dataDir }, timeout: 30_000 });
  return res.status;
}
