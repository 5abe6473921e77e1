/**
 * STORE-2: when the device store is full, the officer gets a clear message and nothing already saved is
 * lost. Real Chromium, real IndexedDB: the origin's quota is set through the DevTools protocol
 * (`Storage.overrideQuotaForOrigin`, page session; the browser-level session answers "Internal error").
 *
 * Chromium's IndexedDB caches the space left that the quota manager last reported and lets writes through against
 * that figure, decaying it to nothing over 30 seconds (`BucketContext::kBucketSpaceCacheTimeLimit`). A quota shrunk
 * after writes therefore only bites once a write asks for more than the cached figure (a shrink followed at once by
 * small writes, as a form's, is not felt for up to 30 s). So the test bounds the quota before the origin stores
 * anything (the cached figure can never exceed that bound), and after shrinking makes one write larger than that
 * bound into a scratch database: Chromium asks the quota manager again, refuses it, and from then on every write
 * (the app's own) is checked against the shrunk quota. Nothing in the page is patched.
 */
import { describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { browserAvailable, pollPage, waitForServiceWorker } from '../helpers/browser.ts';
import { zhCN } from '../../web/src/lib/i18n/zh-CN.ts';
import { addFinding, byTestId, loginAs, numAttr, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

/** The origin's quota while there is room: the app shell precache and the device database fit many times over. */
const ROOM = 32 * 2 ** 20;
const SCRATCH_DB = 'storage-full-test';
const SAVED = '现场发现：门锁被撬，地面有鞋印';
const REFUSED = '补充：鞋印约42码，已拍照固定';

/** In the page: whether any record of the device database `muster` holds `needle` (Yjs keeps strings as UTF-8). */
function deviceHolds(needle: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const want = new TextEncoder().encode(needle);
    const holds = (v: unknown, depth = 0): boolean => {
      if (v instanceof Uint8Array) {
        outer: for (let i = 0; i + want.length <= v.length; i++) {
          for (let j = 0; j < want.length; j++) if (v[i + j] !== want[j]) continue outer;
          return true;
        }
        return false;
      }
      if (typeof v === 'string') return v.includes(needle);
      if (depth > 4 || v === null || typeof v !== 'object') return false;
      return Object.values(v as Record<string, unknown>).some((x) => holds(x, depth + 1));
    };
    const req = indexedDB.open('muster');
    req.onerror = () => resolve(false);
    req.onsuccess = () => {
      const db = req.result;
      const names = [...db.objectStoreNames];
      const tx = db.transaction(names, 'readonly');
      const found: boolean[] = [];
      for (const name of names) {
        const all = tx.objectStore(name).getAll();
        all.onsuccess = () => found.push(all.result.some((row) => holds(row)));
      }
      tx.oncomplete = () => (db.close(), resolve(found.some(Boolean)));
      tx.onabort = () => (db.close(), resolve(false));
    };
  });
}

/** One write of `bytes` random bytes into a scratch database: 'ok', or the name of the error that refused it. */
function scratchWrite(page: Page, bytes: number): Promise<string> {
  return page.evaluate(
    ({ name, bytes }: { name: string; bytes: number }) =>
      new Promise<string>((resolve) => {
        const req = indexedDB.open(name, 1);
        req.onupgradeneeded = () => req.result.createObjectStore('s');
        req.onerror = () => resolve(`open: ${req.error?.name ?? 'error'}`);
        req.onsuccess = () => {
          const db = req.result;
          const value = new Uint8Array(bytes);
          for (let i = 0; i < bytes; i += 65_536) crypto.getRandomValues(value.subarray(i, i + 65_536));
          const tx = db.transaction('s', 'readwrite');
          tx.objectStore('s').put(value, 'filler');
          tx.oncomplete = () => (db.close(), resolve('ok'));
          tx.onabort = () => (db.close(), resolve(tx.error?.name ?? 'AbortError'));
        };
      }),
    { name: SCRATCH_DB, bytes },
  );
}

describe.skipIf(!browserAvailable())('browser: a full device store', () => {
  const suite = browserSuite();

  it('STORE-2: with no room on the device a finding is refused with the storage-full banner, the text stays in the form, everything saved before stays (also across an offline reload), and the retry succeeds once there is room', async () => {
    const origin = suite.server.url;
    const { context, page, errors } = await suite.open({ viewport: { width: 1024, height: 900 } });
    const cdp: CDPSession = await context.newCDPSession(page);
    const quota = async (): Promise<{ usage: number; quota: number; overrideActive: boolean }> =>
      cdp.send('Storage.getUsageAndQuota', { origin });
    const overrideQuota = async (quotaSize?: number): Promise<void> => {
      await cdp.send('Storage.overrideQuotaForOrigin', quotaSize === undefined ? { origin } : { origin, quotaSize });
    };

    // Room, but a bounded quota from before the origin stores anything.
    await overrideQuota(ROOM);
    await loginAs(page, origin, 'demo015');
    await waitForServiceWorker(page);
    expect(await quota()).toMatchObject({ quota: ROOM, overrideActive: true });

    // No coverage at the scene: what the officer adds lives only on the device.
    await context.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
    await startGroup(page, { kind: 'incident', title: '民宅被盗', incidentNumber: 'J2026-0505' });
    await addFinding(page, SAVED);
    await pollPage(page, deviceHolds, SAVED, { what: 'the first finding written to IndexedDB' });
    await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();
    expect(await numAttr(page.getByTestId('sync-state'), 'data-pending')).toBeGreaterThan(0);

    // The device fills up: the quota shrinks below what is used now (so no compaction makes room again), and
    // Chromium is made to ask for it again (the scratch database is made while there is room, so only the
    // oversized write meets the shrunk quota).
    expect(await scratchWrite(page, 1)).toBe('ok');
    await overrideQuota(Math.floor((await quota()).usage / 2));
    expect(await scratchWrite(page, ROOM + 1)).toBe('QuotaExceededError');

    // The next finding has no room: refused with the banner, the text stays for a retry, the first one stays.
    await page.getByTestId('finding-text').fill(REFUSED);
    await page.getByTestId('finding-add').click();
    const banner = page.getByTestId('storage-full');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(zhCN['storage.full']);
    expect(await page.getByTestId('finding-form').getByRole('alert').textContent()).toBe(zhCN['storage.full']);
    expect(await page.getByTestId('finding-text').inputValue()).toBe(REFUSED);
    expect(await page.getByTestId('timeline-text').allTextContents()).toEqual([SAVED]);
    expect(await page.evaluate(deviceHolds, REFUSED)).toBe(false);

    // Nothing saved is lost: reloaded with no network and no room, the group comes back from IndexedDB alone.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await byTestId(page, 'timeline-entry').first().waitFor();
    expect(await page.getByTestId('timeline-text').allTextContents()).toEqual([SAVED]);
    expect(await page.evaluate(deviceHolds, SAVED)).toBe(true);

    // Still no room after the reload: refused again, the text kept.
    await page.getByTestId('finding-text').fill(REFUSED);
    await page.getByTestId('finding-add').click();
    await banner.waitFor();
    expect(await page.getByTestId('finding-text').inputValue()).toBe(REFUSED);
    expect(await page.getByTestId('timeline-text').allTextContents()).toEqual([SAVED]);

    // Room again (the override is lifted): the retry of the kept text is written and the banner clears.
    await overrideQuota();
    expect((await quota()).overrideActive).toBe(false);
    await page.getByTestId('finding-add').click();
    await byTestId(page, 'timeline-entry').nth(1).waitFor();
    expect(await page.getByTestId('timeline-text').allTextContents()).toEqual([SAVED, REFUSED]);
    await banner.waitFor({ state: 'detached' });
    expect(await page.getByTestId('finding-text').inputValue()).toBe('');
    await pollPage(page, deviceHolds, REFUSED, { what: 'the retried finding written to IndexedDB' });

    // Back online, both reach the relay.
    await context.setOffline(false);
    await byTestId(page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    expect(errors).toEqual([]);
  });
});
