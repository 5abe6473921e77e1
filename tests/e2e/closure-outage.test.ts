/**
 * LATE-1 SYNC-5 in a real browser against the real relay (manual server clock): the criminal investigation desk has
 * the group open when its network drops (Chromium's offline emulation: the page sees no network) and adds two
 * findings; meanwhile the initiator closes the group. The desk comes back after a short outage (1 s of server time)
 * and, in a second group, after a long one (40 s, past the closure gate's reply window). Both times both findings
 * are kept by the relay and marked received after closure, and the device says "all saved" only once the relay
 * holds them. The socket survives the outage (one connection of the device to the group, read from the relay's
 * log), which is the case the relay once got wrong. The initiator is a Node client of the same relay.
 */
import { describe, expect, it } from 'vitest';
import { Root, isAfterClosure, readClosure, stampOf } from '@muster/core';
import type { GroupListResponse } from '@muster/protocol';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { cidPost, loginAll, openIncidentGroup, closeGroup } from '../helpers/closedGroup.ts';
import { addFinding, byTestId } from './support.ts';
import { browserSuite } from './suite.ts';

const FINDINGS = ['断网时记录：嫌疑人车辆为灰色面包车 (fictional)', '断网时记录：车牌尾号 27 (fictional)'];

describe.skipIf(!browserAvailable())('browser: offline work across a closure during an outage', () => {
  const suite = browserSuite({ manualClock: true });

  for (const outageMs of [1_000, 40_000]) {
    it(`LATE-1 SYNC-1 SYNC-5: after a ${outageMs / 1000} s outage both findings are kept, marked received after closure, and "all saved" is true`, async () => {
      const srv = suite.server;
      const G = `grp-closure-outage-${outageMs}`;
      const [front] = await loginAll(srv.url, ['demo016']);
      const initiator = connectGroup(srv.wsUrl, G, front.token);
      try {
        await openIncidentGroup(initiator, { id: G, initiator: front, invite: { 'inv-cid': cidPost } });

        const a = await suite.open({ policeNo: 'demo010' });
        await a.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
        await byTestId(a.page, 'invitation-row', { 'data-invitation-id': 'inv-cid' }).waitFor();
        await byTestId(a.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();

        // The network drops; the desk adds two findings, held on the device.
        await a.context.setOffline(true);
        await byTestId(a.page, 'connection', { 'data-state': 'offline' }).waitFor();
        for (const text of FINDINGS) await addFinding(a.page, text);
        expect(await a.page.getByTestId('sync-state').getAttribute('data-state')).not.toBe('saved');

        // Meanwhile the initiator closes the group.
        const closeAt = await srv.moveClock({ advanceMs: 0 });
        await closeGroup(initiator, front, closeAt);

        // The outage lasts `outageMs` of server time, then the desk is back.
        await srv.moveClock({ advanceMs: outageMs });
        await a.context.setOffline(false);

        // The device says "all saved" only when the relay holds both findings: checked right after it says so.
        await byTestId(a.page, 'sync-state', {
          'data-state': 'saved',
          'data-pending': '0',
          'data-refused': '0',
        }).waitFor({ timeout: 30_000 });
        const { token } = await login(srv.url, 'demo016');
        const res = await fetch(`${srv.url}/api/groups`, { headers: { authorization: `Bearer ${token}` } });
        const listed = ((await res.json()) as GroupListResponse).groups.find((g) => g.id === G);
        expect(listed?.entryCount).toBe(FINDINGS.length);

        // LATE-1: kept and marked received after closure, on the device and at the initiator's.
        for (const text of FINDINGS) {
          const entry = byTestId(a.page, 'timeline-entry', { 'data-after-closure': 'true', 'data-stamped': 'true' });
          await entry.filter({ hasText: text }).waitFor();
        }
        await waitFor(
          () => {
            const entries = initiator.doc.getMap(Root.entries);
            const ids = [...entries.keys()];
            return (
              ids.length === FINDINGS.length &&
              ids.every((id) =>
                isAfterClosure(
                  readClosure(initiator.doc)?.at ?? null,
                  stampOf(initiator.doc, Root.entries, id)?.at ?? null,
                ),
              )
            );
          },
          20_000,
          'findings after closure at the initiator',
        );
        // The same socket carried it all: the desk's device opened one connection to the group.
        const opened = srv
          .output()
          .split('\n')
          .filter((l) => /connection opened/.test(l));
        expect(opened.filter((l) => l.includes(`doc=group:${G} person=demo010`))).toHaveLength(1);
        expect(a.errors).toEqual([]);
        await a.context.close();
      } finally {
        initiator.destroy();
      }
    }, 120_000);
  }
});
