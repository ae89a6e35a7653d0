import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { admin, binary, expect, logIn, loginAsAdmin, openApp, screenshot, seedCompany, test, type AppHandle } from './fixtures';

// Helpers for the connection pages' tests (connectwise.spec.ts, webroot.spec.ts): the real
// app against the vendor simulators on loopback. simserve (a small Go program) serves them
// and prints their URLs and credentials, and the tests type a URL into "Site" like a user
// would (plain http:// is accepted for loopback addresses only). The app has no test-only
// code path for this.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const simserve = join(root, 'build', 'bin', 'simserve');

/** How to reach and sign in to the simulated Webroot Unity API. */
export interface WebrootSim {
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

/** How to reach and sign in to the simulated ConnectWise Manage site. */
export interface ManageSim {
  url: string;
  companyId: string;
  companyName: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  companies: number;
  agreements: number;
  catalogItems: number;
}

/** The line simserve prints: the simulators it serves. */
export interface Simulators {
  webroot: WebrootSim;
  manage: ManageSim;
}

/** Controls the running simulator of the current test. */
export interface SimulatorControl {
  /** Delays every answer by this much from now on, e.g. '1500ms' (Go duration syntax). */
  setLatency: (duration: string) => void;
}

/**
 * Serves one simulator, seeded with the demo MSP, for every test of the file: builds
 * simserve once, starts a fresh one before each test (handing its address and credentials
 * to started) and stops it after.
 */
export function serveSimulator<K extends keyof Simulators>(kind: K, started: (sim: Simulators[K]) => void): SimulatorControl {
  let proc: ChildProcess | undefined;

  test.beforeAll(() => {
    execFileSync('go', ['build', '-o', simserve, './backend/simulator/cmd/simserve'], { cwd: root, stdio: 'inherit' });
  });

  test.beforeEach(async () => {
    proc = spawn(simserve, [`-${kind}`, '-seed', 'demo'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const line = await new Promise<Partial<Simulators>>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`simserve printed nothing: ${out}`)), 15_000);
      proc!.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('\n')) {
          clearTimeout(timer);
          ok(JSON.parse(out.split('\n')[0] ?? '{}') as Partial<Simulators>);
        }
      });
      proc!.once('exit', (code) => fail(new Error(`simserve exited with ${code}`)));
    });
    const sim = line[kind];
    if (!sim) throw new Error(`simserve did not serve ${kind}: ${JSON.stringify(line)}`);
    started(sim);
  });

  test.afterEach(() => {
    proc?.stdin?.end(); // simserve exits when its stdin closes
    proc?.kill('SIGTERM');
  });

  return {
    setLatency: (duration) => {
      if (!proc?.stdin || proc.exitCode !== null) throw new Error('simserve is not running');
      proc.stdin.write(`latency ${duration}\n`);
    },
  };
}

/** Logs in as the admin and opens a Configure page from the main navigation. */
export async function openConfigurePage(page: Page, app: AppHandle, link: string): Promise<void> {
  await loginAsAdmin(page, app);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Configure ${link}` })).toBeVisible();
}

/** A screenshot of the whole page (see screenshot). dismissToasts closes the toasts floating
 * over the content first, when the page itself is what the picture is for. */
export async function shot(page: Page, name: string, { dismissToasts = false } = {}): Promise<void> {
  if (dismissToasts) {
    const dismiss = page.getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
  }
  await screenshot(page, name);
}

/** Types values into the fields with these labels. */
export async function fill(page: Page, values: Partial<Record<string, string>>): Promise<void> {
  for (const [label, value] of Object.entries(values)) {
    await page.getByLabel(label, { exact: true }).fill(value ?? '');
  }
}

/** Expects the field with this label to be marked invalid, with a message matching text. */
export async function expectFieldError(page: Page, label: string, text: RegExp): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toHaveAccessibleDescription(text);
}

/** Runs the app's command line on the test's data folder and returns what it printed. */
export function cli(app: AppHandle, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(binary, args, { env: { ...process.env, CWM_WEBROOT_DATA_DIR: app.dataDir, ...env }, stdio: 'pipe' }).toString();
}

/** Calls a bound Go method from the page, as the frontend does. */
export async function goCall<T>(page: Page, struct: string, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    async ([s, m, a]) => {
      const go = (window as unknown as { go: { main: Record<string, Record<string, (...x: unknown[]) => Promise<unknown>>> } }).go;
      return (await go.main[s as string]![m as string]!(...(a as unknown[]))) as never;
    },
    [struct, method, args] as const,
  );
}

/** A Mappings row as MappingAPI.Rows returns it: the fields the tests read. */
export interface MappingRow {
  siteId: string;
  siteName: string;
  product: string;
  state: string;
  suggestion?: { agreementId: number } | null;
}

/** Maps up to limit lines by accepting their suggestions (those naming one addition), as the
 * Mappings page's "Accept" does, and returns how many were accepted. */
export async function acceptSuggestions(page: Page, limit = Infinity): Promise<number> {
  const rows = await goCall<MappingRow[]>(page, 'MappingAPI', 'Rows');
  const items = rows
    .filter((r) => r.state === 'suggested' && (r.suggestion?.agreementId ?? 0) > 0)
    .slice(0, limit)
    .map((r) => ({ siteId: r.siteId, product: r.product }));
  return (await goCall<{ accepted: number }>(page, 'MappingAPI', 'AcceptSuggestions', items)).accepted;
}

/** Signs up, connects ConnectWise and Webroot through the command line (reading companies
 * and sites), as an admin would script it, then opens the window and logs in. */
export async function connectAndOpen(page: Page, app: AppHandle, manage: ManageSim, webroot: WebrootSim): Promise<void> {
  seedCompany(app);
  cli(app, ['connect', 'manage', '--site', manage.url, '--company-id', manage.companyId, '--username', 'api-billing', '--public-key', manage.publicKey], {
    CWM_PRIVATE_KEY: manage.privateKey,
  });
  cli(app, ['connect', 'webroot', '--site', webroot.url, '--client-id', webroot.clientId, '--gsm-key', webroot.gsmKey, '--username', webroot.username], {
    WEBROOT_CLIENT_SECRET: webroot.clientSecret,
    WEBROOT_PASSWORD: webroot.password,
  });
  cli(app, ['sites']);
  await openApp(page, app);
  await logIn(page, admin.email, admin.password);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Opens a page from the sidebar and waits for its heading. */
export async function goTo(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}
