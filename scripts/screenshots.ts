/**
 * Writes the README screenshots from the demo logins: docs/screenshots/tablet.png (a tablet's group view, 800x1280),
 * desk-board.png and desk.png (the management desk's board and a signed group in columns, 1440x900) and phone.png
 * (a phone's group list, 390x844). It starts its own relay on port 0 (temp data dir, demo data) serving the built
 * app and one headless Chromium, and stops both when done. CJK text needs a CJK font on the machine (e.g.
 * `apt-get install -y fonts-noto-cjk`).
 *
 *   npm run screenshots
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../tests/helpers/browser.ts';
import { REPO_ROOT, startServer } from '../tests/helpers/startServer.ts';
import type { TestServer } from '../tests/helpers/startServer.ts';
import { MGMT_POST, addFinding, byTestId, loginAs, requireBuiltApp } from '../tests/e2e/support.ts';

const OUT = join(REPO_ROOT, 'docs/screenshots');

async function main(): Promise<void> {
  if (!browserAvailable()) throw new Error('screenshots: no Chromium found (/usr/bin/chromium)');
  requireBuiltApp();
  mkdirSync(OUT, { recursive: true });
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  try {
    server = await startServer();
    browser = await launchBrowser();
    const url = server.url;
    const b = browser;
    async function as(policeNo: string, viewport: { width: number; height: number }): Promise<Page> {
      const context = await b.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
      contexts.push(context);
      context.setDefaultTimeout(20_000);
      // STORE-3: headless Chromium refuses persistent storage; the pictures show a device that has seen that notice
      await context.addInitScript(() => localStorage.setItem('muster.persistNoticeSeen', '1'));
      const page = await context.newPage();
      await loginAs(page, url, policeNo);
      return page;
    }
    /** The picture of the screen itself: the one-time notices (offline ready, LAYOUT-4) and toasts dismissed. */
    async function picture(page: Page, file: string): Promise<void> {
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      const ready = page.getByTestId('offline-ready');
      await ready.waitFor({ timeout: 5_000 }).catch(() => {});
      if (await ready.isVisible()) await ready.getByRole('button').click();
      while ((await page.getByTestId('toast-close').count()) > 0) await page.getByTestId('toast-close').first().click();
      await page.screenshot({ path: join(OUT, file) });
    }

    // Tablet: a station officer starts a theft/robbery group by one tap and records findings.
    const tablet = await as('demo015', { width: 800, height: 1280 });
    await tablet.getByTestId('new-group').click();
    await byTestId(tablet, 'template-option', { 'data-incident-type': 'theft' }).click();
    await tablet.getByTestId('one-tap-title').fill('商店手机被抢 (演示)');
    await tablet.getByTestId('one-tap-number').fill('J2030-0100');
    await tablet.getByTestId('one-tap-address').fill('东湖路 18 号手机店 (演示)');
    await tablet.getByTestId('one-tap-start').click();
    await tablet.getByTestId('group-meta').waitFor();
    await addFinding(tablet, '店主称嫌疑人抢走手机两部后向北逃跑');
    await addFinding(tablet, '嫌疑人男，约25岁，黑色外套，骑电动车');
    await byTestId(tablet, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();

    // A second group so the lists show more than one.
    const other = await as('demo015', { width: 800, height: 1280 });
    await other.getByTestId('new-group').click();
    await byTestId(other, 'template-option', { 'data-incident-type': 'theft' }).click();
    await other.getByTestId('one-tap-title').fill('电动车被盗 (演示)');
    await other.getByTestId('one-tap-number').fill('J2030-0101');
    await other.getByTestId('one-tap-address').fill('西湖路 6 号小区 (演示)');
    await other.getByTestId('one-tap-start').click();
    await byTestId(other, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();

    await picture(tablet, 'tablet.png');

    // Desk: the management desk's board lists both invitations with their countdowns; signing one opens its group
    // in columns (LAYOUT-1): the rail with what still awaits the desk, the timeline, the details.
    const desk = await as('demo005', { width: 1440, height: 900 });
    await desk.getByTestId('nav-board').click();
    await byTestId(desk, 'board-item', { 'data-post-id': MGMT_POST }).nth(1).waitFor();
    await picture(desk, 'desk-board.png');
    await byTestId(desk, 'board-item', { 'data-post-id': MGMT_POST }).first().getByTestId('board-sign').click();
    await byTestId(desk, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'signed-on-time' }).waitFor();
    await desk.getByTestId('rail-board-item').first().waitFor();
    await picture(desk, 'desk.png');

    // Phone: the station officer's group list.
    const phone = await as('demo015', { width: 390, height: 844 });
    await phone.getByText('电动车被盗 (演示)').first().waitFor();
    await phone.getByText('商店手机被抢 (演示)').first().waitFor();
    await picture(phone, 'phone.png');
    console.log(`screenshots: wrote tablet.png, desk-board.png, desk.png and phone.png to ${OUT}`);
  } catch (e) {
    if (server) console.error(server.output());
    throw e;
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
