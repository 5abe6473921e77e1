/**
 * LATE-1 ATT-1 in a real browser against the real relay (manual server clock): the desk has the group open, loses the
 * network, and the app restarts offline (a reload served by the service worker, so its monotonic clock is gone); it
 * adds a finding; meanwhile the initiator closes the group. The desk comes back 75 s later on a new socket. The
 * finding is kept and marked received after closure, carries an attested time of the `restart` chain (device clock
 * corrected by the skew measured at the anchor), and the device says "all saved" only when the relay holds it.
 */
import { describe, expect, it } from 'vitest';
import { Root, parseAttested } from '@muster/core';
import type { GroupListResponse } from '@muster/protocol';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { cidPost, loginAll, openIncidentGroup, closeGroup } from '../helpers/closedGroup.ts';
import { addFinding, byTestId, numAttr } from './support.ts';
import { browserSuite } from './suite.ts';

const G = 'grp-closure-offline-restart';
const FINDING = '重启后离线记录：现场提取到指纹 (fictional)';

describe.skipIf(!browserAvailable())('browser: offline work across a closure after the app restarted offline', () => {
  const suite = browserSuite({ manualClock: true });

  it('LATE-1 ATT-1 SYNC-1: kept, received after closure, attested on the restart chain, "all saved" only when held', async () => {
    const srv = suite.server;
    const [front] = await loginAll(srv.url, ['demo016']);
    const initiator = connectGroup(srv.wsUrl, G, front.token);
    try {
      await openIncidentGroup(initiator, { id: G, initiator: front, invite: { 'inv-cid': cidPost } });

      const a = await suite.open({ policeNo: 'demo010' });
      await waitForServiceWorker(a.page);
      await a.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      await byTestId(a.page, 'invitation-row', { 'data-invitation-id': 'inv-cid' }).waitFor();
      await byTestId(a.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();

      // Offline, and the app restarts: the shell from the precache, the group from the device's database.
      await a.context.setOffline(true);
      const reloaded = await a.page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await byTestId(a.page, 'invitation-row', { 'data-invitation-id': 'inv-cid' }).waitFor();
      await byTestId(a.page, 'connection', { 'data-state': 'offline' }).waitFor();
      await addFinding(a.page, FINDING);

      // Meanwhile the initiator closes the group; the outage lasts 75 s of server time.
      const closeAt = await srv.moveClock({ advanceMs: 0 });
      await closeGroup(initiator, front, closeAt);
      const backAt = await srv.moveClock({ advanceMs: 75_000 });
      await a.context.setOffline(false);

      await byTestId(a.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0', 'data-refused': '0' }).waitFor(
        { timeout: 30_000 },
      );
      const { token } = await login(srv.url, 'demo016');
      const res = await fetch(`${srv.url}/api/groups`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await res.json()) as GroupListResponse).groups.find((g) => g.id === G)?.entryCount).toBe(1);

      // Kept, received after closure, stamped on arrival; its attested time is of the restart chain and plausible.
      const entry = byTestId(a.page, 'timeline-entry', { 'data-after-closure': 'true', 'data-stamped': 'true' }).filter(
        {
          hasText: FINDING,
        },
      );
      await entry.waitFor();
      const attestedAt = await numAttr(entry.getByTestId('attested-time'), 'data-attested-time');
      expect(attestedAt).toBeLessThanOrEqual(backAt);
      const id = await waitFor(() => [...initiator.doc.getMap(Root.entries).keys()][0], 20_000, 'finding relayed');
      expect(parseAttested(initiator.doc.getMap(Root.entries).get(id))).toMatchObject({ chain: 'restart' });
      expect(a.errors).toEqual([]);
    } finally {
      initiator.destroy();
    }
  }, 120_000);
});
