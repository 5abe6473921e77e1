/**
 * BUDGET-2 in a real browser: the pages an officer needs without a network load in idle time after the first screen,
 * so a device that loses the network right after login opens them even though no service worker has cached them
 * (the context blocks service workers: the worst case, a first visit whose worker is not installed yet). A page
 * that was not loaded (statistics) says so offline and offers to try again, and opens with that retry once the
 * network is back.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { addFinding, byTestId, loginAs, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

describe.skipIf(!browserAvailable())('browser: pages needed offline are loaded ahead', () => {
  const suite = browserSuite();

  it('BUDGET-2: offline right after login, a new group and its page open; an unloaded page offers a retry', async () => {
    const { page, context, errors } = await suite.open({ serviceWorkers: 'block' });
    const fetched = new Set<string>();
    page.on('requestfinished', (r) => {
      const m = /\/assets\/(\w+)-[\w-]+\.js$/.exec(new URL(r.url()).pathname);
      if (m) fetched.add(m[1]!);
    });
    await loginAs(page, suite.server.url, 'demo015');
    // The warm-up runs in idle time after the first paint: wait until it has fetched the pages, then cut the network.
    await expect
      .poll(() => ['GroupPage', 'NewGroupView', 'RecordPage', 'SettingsView'].every((n) => fetched.has(n)), {
        timeout: 30_000,
      })
      .toBe(true);
    expect(fetched.has('StatsView')).toBe(false);
    await context.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();

    await startGroup(page, { kind: 'task', title: '登录后即离线 (fictional)' });
    await addFinding(page, '离线新建的协同，页面已在本机 (fictional)');

    // Statistics were not loaded ahead: offline the page says so, and its retry opens it once online.
    await page.evaluate(() => (location.hash = '#/stats'));
    await page.getByTestId('page-load-failed').waitFor();
    expect(await page.getByTestId('page-load-failed').textContent()).toContain('离线');
    await context.setOffline(false);
    await page.getByTestId('page-load-retry').click();
    await page.getByTestId('page-load-failed').waitFor({ state: 'detached' });
    await expect.poll(() => fetched.has('StatsView'), { timeout: 20_000 }).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
