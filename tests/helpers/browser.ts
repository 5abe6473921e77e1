/**
 * Headless Chromium for browser tests, through playwright-core and Debian's /usr/bin/chromium (no browser
 * download is possible here). Off CI, a machine without Chromium skips the browser tests with a loud message;
 * under CI=true a missing Chromium fails them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['MUSTER_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when browser tests can run; throws under CI when they cannot. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env['CI']) throw new Error(`CI: Chromium is required at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  console.warn(
    `\n!!! BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) ` +
      `or set MUSTER_CHROMIUM. CI never skips them. !!!\n`,
  );
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A persistent profile survives a browser restart (IndexedDB, service worker, caches), as on a real tablet.
 * Returns the context and a cleanup that removes the profile.
 */
export async function launchPersistent(
  profileDir?: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; profileDir: string; close: () => Promise<void>; remove: () => void }> {
  const dir = profileDir ?? mkdtempSync(join(tmpdir(), 'muster-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  return {
    context,
    profileDir: dir,
    close: () => context.close(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Waits until the page is controlled by the app's service worker (the app shell is precached). The worker is
 * waited for until `activated`; an uncontrolled page is then reloaded. Chromium lets a navigation fall back to the
 * network when the worker does not start in time, and under load (other test files running) a reload right after
 * activation was seen to come back uncontrolled with the registration `activated`; the next reload was controlled.
 * So the reload is retried, each time waiting on the condition, until `timeoutMs`, then fails with the state.
 */
export async function waitForServiceWorker(page: Page, timeoutMs = 30_000): Promise<void> {
  await pollPage(
    page,
    async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return reg?.active?.state === 'activated';
    },
    undefined,
    { timeoutMs, what: 'an activated service worker' },
  );
  const controlled = () => page.evaluate(() => Boolean(navigator.serviceWorker.controller));
  const registration = () =>
    page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return JSON.stringify({
        active: reg?.active?.state,
        waiting: reg?.waiting?.state,
        installing: reg?.installing?.state,
      });
    });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; !(await controlled()); attempt++) {
    if (Date.now() > deadline) {
      throw new Error(
        `the page is not controlled by the service worker after ${attempt - 1} reloads: ${await registration()}`,
      );
    }
    if (attempt > 1)
      console.warn(
        `waitForServiceWorker: uncontrolled after reload ${attempt - 1} (${await registration()}), reloading again`,
      );
    await page.reload();
    await page
      .waitForFunction(() => Boolean(navigator.serviceWorker.controller), undefined, {
        timeout: Math.max(1, Math.min(3_000, deadline - Date.now())),
      })
      .catch(() => {});
  }
}

/** Collects page errors so a test can assert the app threw none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/**
 * Polls `fn` in the page until it returns a truthy value (awaited, so `fn` may be async: Playwright's
 * `waitForFunction` does not await a promise a predicate returns, it takes the promise itself as truthy).
 */
export async function pollPage<A, R>(
  page: Page,
  fn: (arg: A) => R | Promise<R>,
  arg: A,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<R> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const value = (await page.evaluate(fn as (arg: unknown) => Promise<unknown>, arg as unknown)) as R;
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting in the page for ${opts.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
