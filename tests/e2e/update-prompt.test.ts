/**
 * Install and update (PWA-*): prompt mode. A new version of the service worker installs and waits; the
 * update banner offers it; nothing reloads on its own while a form holds unsaved input; accepting reloads the page
 * into the new worker. The "new version" is a byte change to `sw.js` in a copy of `web/dist` served by the test's
 * own server (MUSTER_STATIC_DIR), so the real app is not rebuilt.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/startServer.ts';
import { requireBuiltApp } from './support.ts';
import { browserSuite } from './suite.ts';

const TITLE = '未保存的标题 (fictional)';

describe.skipIf(!browserAvailable())('browser: update prompt', () => {
  let staticDir: string | undefined;

  // A copy of the built app, made before the relay starts and removed after it stopped (hooks registered before
  // browserSuite() run before its beforeAll and after its afterAll).
  beforeAll(() => {
    requireBuiltApp();
    staticDir = mkdtempSync(join(tmpdir(), 'muster-static-'));
    cpSync(join(REPO_ROOT, 'web/dist'), staticDir, { recursive: true });
  });
  afterAll(() => {
    if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  });

  const suite = browserSuite(() => ({ env: { MUSTER_STATIC_DIR: staticDir! } }));

  it('PWA-5: prompt mode: a new version waits behind the update banner while a form holds input; accepting reloads into it', async () => {
    // First visit: the app's worker controls the page.
    const { page, errors } = await suite.open({ policeNo: 'demo015' });
    await waitForServiceWorker(page);
    expect(await page.getByTestId('update-banner').count()).toBe(0);

    // A form holds unsaved input; a marker on the window tells whether the page reloaded.
    await page.getByTestId('new-group').click();
    await page.getByTestId('group-title').fill(TITLE);
    await page.evaluate(() => ((window as unknown as { __musterMarker?: string }).__musterMarker = 'v1'));

    // A new version is deployed (a byte change to the worker script) and the page checks for it.
    appendFileSync(join(staticDir!, 'sw.js'), '\n// v2\n');
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      await reg!.update();
    });

    // The banner offers it; the new worker waits; the page did not reload and the input is still there.
    await page.getByTestId('update-banner').waitFor();
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          return reg?.waiting?.state ?? null;
        }),
      )
      .toBe('installed');
    expect(await page.evaluate(() => (window as unknown as { __musterMarker?: string }).__musterMarker)).toBe('v1');
    expect(await page.getByTestId('group-title').inputValue()).toBe(TITLE);

    // Accepting activates the waiting worker and reloads the page under it.
    const reloaded = page.waitForEvent('load');
    await page.getByTestId('update-reload').click();
    await reloaded;
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
    expect(await page.evaluate(() => (window as unknown as { __musterMarker?: string }).__musterMarker)).toBe(
      undefined,
    );
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          return { waiting: reg?.waiting?.state ?? null, active: reg?.active?.state ?? null };
        }),
      )
      .toEqual({ waiting: null, active: 'activated' });
    // The controlling worker is the new script (the one with the appended line).
    const script = await page.evaluate(async () => {
      const url = navigator.serviceWorker.controller!.scriptURL;
      return (await fetch(url, { cache: 'no-store' })).text();
    });
    expect(script).toContain('// v2');
    expect(await page.getByTestId('update-banner').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
