/**
 * LATE-3 SYNC-5 in real browsers against the real relay (manual server clock): the desk's network drops and it adds
 * a finding; meanwhile the initiator closes the group and the duty leader, overseeing the group's unit, seals it
 * with the seal button in the closure card (the button is offered to whoever the policy allows: not to the desk).
 * When the desk comes back, the relay refuses the finding (`sealed`): the device keeps it in place marked with the
 * translated reason, the badge counts it as not accepted and never says "all saved", and the relay has nothing.
 */
import { describe, expect, it } from 'vitest';
import {} from '@muster/core';
import type { GroupListResponse } from '@muster/protocol';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { cidPost, loginAll, openIncidentGroup, closeGroup } from '../helpers/closedGroup.ts';
import { addFinding, byTestId, numAttr } from './support.ts';
import { browserSuite } from './suite.ts';

const G = 'grp-seal-button';
const FINDING = '封存前离线记录 (fictional)';

describe.skipIf(!browserAvailable())('browser: the seal button and what a sealed group refuses', () => {
  const suite = browserSuite({ manualClock: true });

  it('LATE-3 POL-12 SYNC-5: the duty leader seals the closed group; the desk’s offline finding is refused, kept on the device, never "saved"', async () => {
    const srv = suite.server;
    const [front] = await loginAll(srv.url, ['demo016']);
    const initiator = connectGroup(srv.wsUrl, G, front.token);
    try {
      await openIncidentGroup(initiator, { id: G, initiator: front, invite: { 'inv-cid': cidPost } });

      // The desk has the group open; its network drops and it adds a finding.
      const desk = await suite.open({ policeNo: 'demo010' });
      await desk.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      // The group's own content first: the list's row of the group carries a 'saved' badge too, and going offline
      // before the group page has the document leaves it empty (no finding form).
      await byTestId(desk.page, 'group-meta', { 'data-group-id': G }).waitFor();
      await byTestId(desk.page, 'invitation-row', { 'data-invitation-id': 'inv-cid' }).waitFor();
      await byTestId(desk.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      await desk.context.setOffline(true);
      await byTestId(desk.page, 'connection', { 'data-state': 'offline' }).waitFor();
      await addFinding(desk.page, FINDING);

      // The initiator closes the group.
      const closeAt = await srv.moveClock({ advanceMs: 0 });
      await closeGroup(initiator, front, closeAt);

      // The duty leader opens the closed group and seals it from the closure card.
      const sealAt = await srv.moveClock({ advanceMs: 60_000 });
      const leader = await suite.open({ policeNo: 'demo007' });
      await leader.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      await leader.page.getByTestId('closure-record').waitFor();
      await leader.page.getByTestId('seal-button').click();
      const seal = leader.page.getByTestId('seal-record');
      await seal.waitFor();
      expect(await numAttr(seal, 'data-server-time')).toBe(sealAt);
      expect(await seal.textContent()).toContain('封存');
      expect(await leader.page.getByTestId('seal-button').count()).toBe(0);
      expect(leader.errors).toEqual([]);

      // The desk comes back: the finding is refused (sealed), kept in place with the reason, not counted as saved.
      await desk.context.setOffline(false);
      const entry = byTestId(desk.page, 'timeline-entry').filter({ hasText: FINDING });
      await byTestId(entry, 'refused-mark', { 'data-code': 'sealed' }).waitFor({ timeout: 30_000 });
      await byTestId(desk.page, 'sync-state', { 'data-refused': '1', 'data-pending': '0' }).waitFor();
      expect(await desk.page.getByTestId('sync-state').getAttribute('data-state')).not.toBe('saved');
      // The desk is not offered the seal (its post is a support post, not a leader or management desk).
      expect(await desk.page.getByTestId('seal-button').count()).toBe(0);

      const { token } = await login(srv.url, 'demo016');
      const res = await fetch(`${srv.url}/api/groups`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await res.json()) as GroupListResponse).groups.find((g) => g.id === G)?.entryCount).toBe(0);
      expect(desk.errors).toEqual([]);
    } finally {
      initiator.destroy();
    }
  }, 120_000);
});
