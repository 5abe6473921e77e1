/**
 * ATT-1..ATT-3 in a real browser against the real relay (manual server clock): the criminal investigation desk has
 * the group open, loses the network, and signs four minutes in, well within its 30 minutes; the server escalates to
 * the duty leader at the deadline; the desk comes back two minutes after it. The sign-off is stamped on arrival and
 * judged on its attested time: on time, labelled "signed offline, attested", the escalation stays in the record
 * marked withdrawn, and the duty leader's inbox is told. While offline the device never says "all saved". The
 * device's clock is two hours fast, and in a second case two hours slow (Playwright's clock): that changes nothing
 * (ATT-1).
 * The initiator and the leader's inbox are Node clients of the same relay. Then an auditor's statistics page counts
 * the attested verdict, on time, shown apart, and drills down to the group (STATS-3, STATS-9).
 */
import { describe, expect, it } from 'vitest';
import { inboxItems, invitationViews, serverEvents } from '@muster/core';
import type { Figures } from '@muster/protocol';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, connectInbox, waitFor } from '../helpers/clients.ts';
import { cidPost, loginAll, openIncidentGroup } from '../helpers/closedGroup.ts';
import { byTestId, loginAs, numAttr } from './support.ts';
import { browserSuite } from './suite.ts';

const MIN = 60_000;
/** The desk's device clock, hours off the true time: fast, then slow (ATT-1: neither changes anything). */
const SKEWS = [2, -2] as const;

describe.skipIf(!browserAvailable())('browser: a sign-off made in time offline, arriving after the deadline', () => {
  const suite = browserSuite({ manualClock: true });

  it.each(SKEWS)(
    'ATT-1 ATT-3 ESC-1 INBOX-3 SYNC-1 STATS-3: judged on time on its attested time; the escalation is kept, marked withdrawn, and the leader told (device clock %i h off)',
    async (skewHours) => {
      const srv = suite.server;
      const G = `grp-offline-attested-${skewHours > 0 ? 'fast' : 'slow'}`;
      const t0 = await srv.moveClock({ advanceMs: 0 });
      const [front, leader] = await loginAll(srv.url, ['demo016', 'demo007']);
      const initiator = connectGroup(srv.wsUrl, G, front.token);
      const inbox = connectInbox(srv.wsUrl, leader.person.id, leader.token);
      try {
        await openIncidentGroup(initiator, { id: G, initiator: front, invite: { 'inv-cid': cidPost } });

        // The desk (demo010, on duty at the invited post) opens the group; its device anchors on the relay's time.
        const b = await suite.open();
        await b.context.clock.install({ time: Date.now() + skewHours * 60 * MIN });
        await loginAs(b.page, srv.url, 'demo010');
        const off = (await b.page.evaluate(() => Date.now())) - Date.now();
        expect(Math.abs(off)).toBeGreaterThan(119 * MIN);
        expect(Math.sign(off)).toBe(Math.sign(skewHours));
        await b.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
        const row = (status: string) =>
          byTestId(b.page, 'invitation-row', { 'data-invitation-id': 'inv-cid', 'data-status': status });
        await row('waiting').waitFor();
        await byTestId(b.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();

        // Offline; four minutes on by the server's clock the desk signs.
        await b.context.setOffline(true);
        await byTestId(b.page, 'connection', { 'data-state': 'offline' }).waitFor();
        await srv.moveClock({ advanceMs: 4 * MIN });
        await row('waiting').getByTestId('sign-button').click();
        await row('signed-unconfirmed').waitFor();

        // Past the deadline the server escalates to the duty leader (the sign-off has not arrived).
        const escalatedAt = await srv.moveClock({ advanceMs: 27 * MIN });
        await waitFor(() => serverEvents(initiator.doc).some((e) => e.invitationId === 'inv-cid'), 20_000, 'escalated');
        await waitFor(
          () => inboxItems(inbox.doc).some((e) => e.item.id === `escalation.${G}.inv-cid`),
          20_000,
          'leader told of the escalation',
        );
        // The device still holds the sign-off and does not say it is saved.
        expect(await b.page.getByTestId('sync-state').getAttribute('data-state')).not.toBe('saved');
        expect(await numAttr(b.page.getByTestId('sync-state'), 'data-pending')).toBeGreaterThan(0);

        // Back two minutes after the deadline: stamped on arrival, judged on the attested time.
        const backAt = await srv.moveClock({ advanceMs: MIN });
        await b.context.setOffline(false);
        const judged = row('signed-on-time');
        await judged.waitFor({ timeout: 30_000 });
        expect(await numAttr(judged.getByTestId('signoff-server-time'), 'data-server-time')).toBe(backAt);
        const attestedAt = await numAttr(judged.getByTestId('attested-verdict'), 'data-attested-time');
        expect(attestedAt).toBeGreaterThanOrEqual(t0);
        expect(attestedAt).toBeLessThanOrEqual(t0 + 30 * MIN);
        // The escalation stays in the record, marked withdrawn, on the device and at the initiator's.
        const event = byTestId(b.page, 'timeline-event', { 'data-invitation-id': 'inv-cid' });
        await event.getByTestId('escalation-withdrawn').waitFor();
        expect(await numAttr(event.locator('time').first(), 'data-server-time')).toBe(escalatedAt);
        await waitFor(
          () => invitationViews(initiator.doc, backAt).find((v) => v.invitation.id === 'inv-cid')?.basis === 'attested',
          20_000,
          'attested verdict at the initiator',
        );
        // The duty leader is told the escalation was withdrawn.
        await waitFor(
          () => inboxItems(inbox.doc).some((e) => e.item.id === `withdrawn.${G}.inv-cid`),
          20_000,
          'leader told of the withdrawal',
        );
        await byTestId(b.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
        expect(b.errors).toEqual([]);

        // STATS-3 STATS-9: the statistics count the attested verdict, on time, and show it apart (once: the first case).
        if (skewHours !== SKEWS[0]) return;
        const [auditor] = await loginAll(srv.url, ['demo004']);
        const figures = async () =>
          (
            (await (
              await fetch(`${srv.url}/api/stats/figures`, { headers: { authorization: `Bearer ${auditor.token}` } })
            ).json()) as { figures: Figures }
          ).figures;
        await waitFor(async () => (await figures()).signOff.attestedOnTime === 1, 20_000, 'projected');
        const s = await suite.open({ policeNo: 'demo004' });
        await s.page.evaluate((h) => (location.hash = h), '#/stats');
        await s.page.getByTestId('fig-attested').waitFor();
        expect(await numAttr(s.page.getByTestId('fig-attested'), 'data-value')).toBe(1);
        expect(await numAttr(s.page.getByTestId('fig-on-time-rate'), 'data-value')).toBe(1);
        await s.page.getByTestId('fig-attested').getByRole('button').click();
        await byTestId(s.page, 'stats-drill-row', { 'data-group': G }).waitFor();
        expect(s.errors).toEqual([]);
      } finally {
        initiator.destroy();
        inbox.destroy();
      }
    },
    120_000,
  );
});
