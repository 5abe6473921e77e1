/**
 * AUTH-3 in the browser: an access token that expired while the device was offline is renewed with the refresh
 * token when the device comes back; the work queued offline syncs, and no new login is asked for.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { addFinding, byTestId, numAttr, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';

const TTL_MS = 60_000;

describe.skipIf(!browserAvailable())('browser: token renewal after offline work', () => {
  const suite = browserSuite({ manualClock: true, env: { MUSTER_TOKEN_TTL_MS: String(TTL_MS) } });

  it('AUTH-3 SYNC-1: work queued offline past the token expiry syncs after a silent refresh', async () => {
    const { context, page, errors } = await suite.open({ viewport: { width: 1024, height: 768 }, policeNo: 'demo015' });
    await waitForServiceWorker(page);
    const firstToken = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const req = indexedDB.open('muster');
          req.onerror = () => reject(new Error('no db'));
          req.onsuccess = () => {
            const get = req.result.transaction('session').objectStore('session').get('current');
            get.onsuccess = () => resolve((get.result as { token: string }).token);
          };
        }),
    );

    await context.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
    await startGroup(page, { kind: 'task', title: '令牌过期测试 token expiry (fictional)' });
    await addFinding(page, '离线记录，令牌过期后同步');
    await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();

    // While the device is offline, the server's clock passes the access token's expiry.
    await suite.server.moveClock({ advanceMs: TTL_MS * 3 });
    const me = await fetch(`${suite.server.url}/api/me`, { headers: { Authorization: `Bearer ${firstToken}` } });
    expect(me.status, 'the first access token is expired on the server').toBe(401);

    await context.setOffline(false);
    const state = byTestId(page, 'sync-state', { 'data-state': 'saved' });
    await state.waitFor();
    expect(await numAttr(state, 'data-pending')).toBe(0);
    expect(await byTestId(page, 'server-time').first().getAttribute('data-server-time')).not.toBe('');
    expect(await byTestId(page, 'session-expired').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
