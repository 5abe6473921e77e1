/**
 * The offline collaboration loop in a real browser: officer A starts a group with no network, invites
 * a management post and adds findings, reloads offline, comes back online; officer B at the management desk sees
 * it all with server stamps and signs; A sees the sign-off with its server stamp, and everything saved.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { MGMT_POST, addFinding, byTestId, numAttr, startGroup, waitForCachedDirectory } from './support.ts';
import { browserSuite } from './suite.ts';

const FINDINGS = ['嫌疑人男，约25岁，黑色外套，向北逃跑', '店内监控已调取，损失手机两部'];

async function serverTimes(page: Page): Promise<number[]> {
  const times = await byTestId(page, 'server-time').evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-server-time') ?? ''),
  );
  return times.map((t) => (t === '' ? Number.NaN : Number(t)));
}

describe.skipIf(!browserAvailable())('browser: the offline collaboration loop', () => {
  const suite = browserSuite();

  it('GRP-1 INV-1 TL-2 SYNC-1 STAMP-1 SIGN-1 SLA-2: A works offline (and reloads), B sees it stamped and signs, A sees the stamped sign-off and "all saved"', async () => {
    // Officer A: a tablet, logged in online; the service worker controls the page and the directory is cached.
    const {
      context: ctxA,
      page: a,
      errors: errorsA,
    } = await suite.open({ viewport: { width: 800, height: 1280 }, policeNo: 'demo015' });
    await waitForServiceWorker(a);
    await a.getByTestId('new-group').waitFor();
    await waitForCachedDirectory(a, MGMT_POST);

    // No network from here on.
    await ctxA.setOffline(true);
    await byTestId(a, 'connection', { 'data-state': 'offline' }).waitFor();

    const groupId = await startGroup(a, { kind: 'incident', title: '商店手机被抢', incidentNumber: 'J2026-0001' });
    await a.getByTestId('invite-post').selectOption(MGMT_POST);
    await a.getByTestId('invite-submit').click();
    // INV-1: made offline, the invitation is pending until the relay registers it.
    await byTestId(a, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'pending' }).waitFor();
    for (const text of FINDINGS) await addFinding(a, text);

    const syncA = a.getByTestId('sync-state');
    await byTestId(a, 'sync-state', { 'data-state': 'offline' }).waitFor();
    expect(await numAttr(syncA, 'data-pending')).toBeGreaterThan(0);
    expect(await byTestId(a, 'timeline-entry', { 'data-stamped': 'true' }).count()).toBe(0);

    // Reload with no network: the shell comes from the precache, the group from IndexedDB.
    const reloaded = await a.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await byTestId(a, 'timeline-entry')
      .nth(FINDINGS.length - 1)
      .waitFor();
    expect(await a.getByTestId('timeline-text').allTextContents()).toEqual(FINDINGS);
    expect(await a.getByTestId('group-view-title').textContent()).toBe('商店手机被抢');
    await byTestId(a, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'pending' }).waitFor();
    await byTestId(a, 'sync-state', { 'data-state': 'offline' }).waitFor();
    expect(await numAttr(syncA, 'data-pending')).toBeGreaterThan(0);

    // Back online: the relay persists, acknowledges and stamps.
    const backOnlineAt = Date.now();
    await ctxA.setOffline(false);
    await byTestId(a, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    await byTestId(a, 'timeline-entry', { 'data-stamped': 'true' })
      .nth(FINDINGS.length - 1)
      .waitFor();
    await byTestId(a, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'waiting' }).waitFor();
    const stampsA = await serverTimes(a);

    // Officer B: the management desk on a desktop, logs in and finds the group in the list.
    const { page: b, errors: errorsB } = await suite.open({
      viewport: { width: 1440, height: 900 },
      policeNo: 'demo005',
    });
    const row = byTestId(b, 'group-row', { 'data-group-id': groupId });
    await row.getByTestId('group-link').click();
    await byTestId(b, 'timeline-entry', { 'data-stamped': 'true' })
      .nth(FINDINGS.length - 1)
      .waitFor();
    expect(await b.getByTestId('timeline-text').allTextContents()).toEqual(FINDINGS);
    // STAMP-1: real server time, stamped on arrival (after A came back online), the same on both devices.
    const stampsB = await serverTimes(b);
    expect(stampsB).toEqual(stampsA);
    for (const t of stampsB) {
      expect(t).toBeGreaterThanOrEqual(backOnlineAt);
      expect(t).toBeLessThanOrEqual(Date.now());
    }

    // B signs for the management post.
    const invB = byTestId(b, 'invitation-row', { 'data-post-id': MGMT_POST });
    await invB.getByTestId('sign-button').click();
    await byTestId(b, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'signed-on-time' }).waitFor();

    // A sees the sign-off, with the relay's stamp, on time (SLA-2), and all saved.
    const invA = byTestId(a, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'signed-on-time' });
    await invA.waitFor();
    const signStamp = invA.getByTestId('signoff-server-time');
    await signStamp.waitFor();
    const signedAt = await numAttr(signStamp, 'data-server-time');
    const now = Date.now();
    expect(signedAt).toBeGreaterThanOrEqual(backOnlineAt);
    expect(signedAt).toBeGreaterThanOrEqual(Math.max(...stampsA));
    expect(signedAt).toBeLessThanOrEqual(now);
    expect(now - signedAt).toBeLessThan(60_000);
    await byTestId(a, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    expect(await numAttr(syncA, 'data-acked-at')).toBeGreaterThanOrEqual(backOnlineAt);

    expect(errorsA).toEqual([]);
    expect(errorsB).toEqual([]);
  }, 90_000);
});
