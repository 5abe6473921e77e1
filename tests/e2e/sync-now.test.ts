/**
 * PWA-4: a global offline banner while the browser is offline; back online, "sync now" reconnects at once and the
 * group's work is saved on the server.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { addFinding, byTestId, numAttr, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

describe.skipIf(!browserAvailable())('browser: offline banner and sync now', () => {
  const suite = browserSuite();

  it('PWA-4: offline shows the banner and pending work; online, sync now saves it', async () => {
    const { context, page, errors } = await suite.open({ viewport: { width: 1024, height: 900 }, policeNo: 'demo015' });
    await waitForServiceWorker(page);
    expect(await page.getByTestId('offline-banner').count()).toBe(0);

    await context.setOffline(true);
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('离线');
    expect(await page.getByTestId('sync-now').isDisabled()).toBe(true);
    await startGroup(page, { kind: 'task', title: '立即同步测试' });
    await addFinding(page, '离线记录');
    await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();
    expect(await numAttr(page.getByTestId('sync-state'), 'data-pending')).toBeGreaterThan(0);

    await context.setOffline(false);
    await banner.waitFor({ state: 'detached' });
    const syncNow = page.getByTestId('sync-now');
    await syncNow.click();
    await byTestId(page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    await byTestId(page, 'timeline-entry', { 'data-stamped': 'true' }).waitFor();
    // The button comes back once the list refresh is done.
    await page.locator('[data-testid="sync-now"]:not([disabled])').waitFor();
    expect(errors).toEqual([]);
  });
});
