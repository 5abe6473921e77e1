/**
 * PWA-1: Chromium finds the app installable: its own installability check, read over the DevTools protocol
 * (`Page.getInstallabilityErrors`), reports no error for the served manifest, icons and service worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchPersistent, waitForServiceWorker } from '../helpers/browser.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';
import { requireBuiltApp } from './support.ts';

interface InstallabilityError {
  errorId: string;
  errorArguments: { name: string; value: string }[];
}

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

describe.skipIf(!browserAvailable())('browser: installable PWA', () => {
  let server: TestServer | undefined;
  let profile: Awaited<ReturnType<typeof launchPersistent>> | undefined;

  beforeAll(async () => {
    requireBuiltApp();
    server = await startServer();
    // A real profile: Chromium does not offer installation in incognito contexts.
    profile = await launchPersistent();
  });

  afterAll(async () => {
    await profile?.close();
    profile?.remove();
    await server?.stop();
  });

  it('PWA-1: Page.getInstallabilityErrors reports none, and the manifest is complete', async () => {
    const context = profile!.context;
    const page = await context.newPage();
    await page.goto(`${server!.url}/`);
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: InstallabilityError[];
    };
    expect(installabilityErrors.map((e) => `${e.errorId} ${JSON.stringify(e.errorArguments)}`)).toEqual([]);

    const { url } = (await cdp.send('Page.getAppManifest')) as { url: string };
    expect(url).toBe(`${server!.url}/manifest.webmanifest`);
    const manifest = (await (await fetch(url)).json()) as {
      name: string;
      short_name: string;
      display: string;
      lang: string;
      icons: ManifestIcon[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.lang).toBe('zh-CN');
    expect(manifest.short_name).toMatch(/警务协同/);
    expect(manifest.icons.some((i) => i.purpose?.split(' ').includes('maskable'))).toBe(true);
    for (const size of ['192x192', '512x512']) expect(manifest.icons.some((i) => i.sizes === size)).toBe(true);
    // Every icon the manifest names is served as the type it claims.
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, url));
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type') ?? '', icon.src).toContain(icon.type);
    }
  });
});
