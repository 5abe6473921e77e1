/**
 * A shared tablet: officer A starts a group offline and logs out; officer B logs in on the same device and does
 * not see A's group, nor does B's session send A's unsynced work; A logs in again and the group syncs.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, pollPage, waitForServiceWorker } from '../helpers/browser.ts';
import { addFinding, byTestId, loginAs, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

/** The index row of a group as the device holds it (pending records, holders). */
async function indexRow(page: Page, id: string): Promise<{ pending: number; holders: string[] } | null> {
  return page.evaluate(
    (groupId) =>
      new Promise<{ pending: number; holders: string[] } | null>((resolve, reject) => {
        const req = indexedDB.open('muster');
        req.onerror = () => reject(new Error('open failed'));
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction('groups').objectStore('groups').get(groupId);
          get.onsuccess = () => {
            db.close();
            const r = get.result as { pending: number; holders: string[] } | undefined;
            resolve(r ? { pending: r.pending, holders: r.holders } : null);
          };
          get.onerror = () => (db.close(), reject(new Error('get failed')));
        };
      }),
    id,
  );
}

async function logout(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-logout').click();
  await page.getByTestId('logout-confirm-yes').click();
  await page.getByTestId('login-submit').waitFor();
}

describe.skipIf(!browserAvailable())('browser: a shared tablet', () => {
  const suite = browserSuite();

  it("B does not see A's offline group nor send it; A logs in again and it syncs to saved", async () => {
    const base = suite.server.url;
    // A starts a group with a finding offline, then logs out (still offline).
    const { context: ctx, page } = await suite.open({ viewport: { width: 800, height: 1280 }, policeNo: 'demo015' });
    await waitForServiceWorker(page);
    await ctx.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
    const groupId = await startGroup(page, { kind: 'task', title: '共享平板上的任务' });
    await addFinding(page, '离线时记录的发现');
    await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();
    await logout(page);

    // B logs in online on the same device: A's group is not in B's list and stays unsent.
    await ctx.setOffline(false);
    // B's list comes from the server after login: wait for that answer instead of a fixed time.
    const listed = page.waitForResponse((r) => r.url().endsWith('/api/groups') && r.status() === 200);
    await loginAs(page, base, 'demo016');
    await listed;
    await page.getByTestId('groups-empty').waitFor();
    await byTestId(page, 'connection', { 'data-state': 'online' }).waitFor();
    expect(await byTestId(page, 'group-row', { 'data-group-id': groupId }).count()).toBe(0);
    const held = await indexRow(page, groupId);
    expect(held?.pending).toBeGreaterThan(0);
    expect(held?.holders).toHaveLength(1);
    await logout(page);

    // A logs in again online: the group is listed and its work reaches the relay.
    await loginAs(page, base, 'demo015');
    const row = byTestId(page, 'group-row', { 'data-group-id': groupId });
    await row.waitFor();
    await row.getByTestId('group-link').click();
    await byTestId(page, 'sync-state', { 'data-state': 'saved' }).waitFor();
    expect(await byTestId(page, 'timeline-entry').count()).toBe(1);
    await pollPage(
      page,
      async (id) => {
        const r = await new Promise<number>((resolve) => {
          const req = indexedDB.open('muster');
          req.onsuccess = () => {
            const get = req.result.transaction('groups').objectStore('groups').get(id);
            get.onsuccess = () => (req.result.close(), resolve((get.result as { pending: number }).pending));
          };
        });
        return r === 0;
      },
      groupId,
      { what: 'no pending records in the index row' },
    );
  });
});
