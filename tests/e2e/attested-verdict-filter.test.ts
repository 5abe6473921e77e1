/**
 * ATT-5 in a real browser against the real relay (manual server clock): the criminal investigation desk signs
 * offline four minutes in, within its 30 minutes, and comes back after the deadline; core judges the verdict on the
 * attested time (ATT-3). In the group's invitation list the verdict carries the mark "按设备时间判定" with the attested
 * time and the server's arrival time. The initiator, who runs the group, filters the list down to the attested
 * verdicts (the other invitation, judged on no attested time, drops out) and back, at desk and at phone size; the
 * signing desk, who supervises nothing, sees the mark but is not offered the filter. A task outcome the desk recorded
 * offline in the same minute, within its due time, arriving after it, carries the same mark.
 * With SHOT_DIR set, screenshots of the filtered list are written there.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, invitationViews } from '@muster/core';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, waitFor } from '../helpers/clients.ts';
import { actorOf, cidPost, loginAll, mgmtPost, openIncidentGroup } from '../helpers/closedGroup.ts';
import { byTestId, loginAs, numAttr } from './support.ts';
import { browserSuite } from './suite.ts';
import type { Page } from 'playwright-core';

const MIN = 60_000;
const G = 'grp-attested-filter';
const SHOT_DIR = process.env['SHOT_DIR'];

describe.skipIf(!browserAvailable())('browser: a supervisor picks out the verdicts judged on an attested time', () => {
  const suite = browserSuite({ manualClock: true });

  it('ATT-5 ATT-3: the attested verdict is marked with both times; the initiator filters to it at desk and phone size', async () => {
    const srv = suite.server;
    const t0 = await srv.moveClock({ advanceMs: 0 });
    const [front, desk] = await loginAll(srv.url, ['demo016', 'demo010']);
    const initiator = connectGroup(srv.wsUrl, G, front.token);
    try {
      await openIncidentGroup(initiator, {
        id: G,
        initiator: front,
        invite: { 'inv-cid': cidPost, 'inv-mgmt': mgmtPost },
      });
      // The desk gives itself a task due in ten minutes (POL-9); its outcome is judged on when it was done.
      const own = connectGroup(srv.wsUrl, G, desk.token);
      try {
        await waitFor(() => own.provider.synced, 20_000, 'desk client synced');
        addTask(own.doc, {
          id: 'task-cams',
          title: '调取路口监控（虚构）',
          assignee: { kind: 'person', id: desk.person.id, name: desk.person.name },
          due: t0 + 10 * MIN,
          author: actorOf(desk),
          deviceTime: 1,
        });
        await waitFor(() => own.fullyAcked(), 20_000, 'task acked');
      } finally {
        own.destroy();
      }

      // The desk (demo010) opens the group online (its device anchors), goes offline, signs four minutes in.
      const d = await suite.open();
      await loginAs(d.page, srv.url, 'demo010');
      await d.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      const deskRow = (status: string) =>
        byTestId(d.page, 'invitation-row', { 'data-invitation-id': 'inv-cid', 'data-status': status });
      await deskRow('waiting').waitFor();
      await byTestId(d.page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      await d.context.setOffline(true);
      await byTestId(d.page, 'connection', { 'data-state': 'offline' }).waitFor();
      await srv.moveClock({ advanceMs: 4 * MIN });
      await deskRow('waiting').getByTestId('sign-button').click();
      await deskRow('signed-unconfirmed').waitFor();
      const task = byTestId(d.page, 'task-row', { 'data-task-id': 'task-cams' });
      await task.getByTestId('task-done').click();
      await task.getByTestId('task-outcome-text').fill('已调取（虚构）');
      await task.getByTestId('task-outcome-submit').click();
      await byTestId(d.page, 'task-row', { 'data-task-id': 'task-cams', 'data-state': 'done' }).waitFor();

      // Back after the 30-minute deadline: stamped on arrival, judged on the attested time (core).
      const backAt = await srv.moveClock({ advanceMs: 28 * MIN });
      await d.context.setOffline(false);
      await deskRow('signed-on-time').getByTestId('attested-mark').waitFor({ timeout: 30_000 });
      await waitFor(
        () => invitationViews(initiator.doc, backAt).find((v) => v.invitation.id === 'inv-cid')?.basis === 'attested',
        20_000,
        'attested verdict at the initiator',
      );
      // The task's outcome, done offline in time and arriving after its due time, carries the same mark.
      await task.getByTestId('attested-mark').waitFor();
      expect(await numAttr(task.getByTestId('attested-verdict'), 'data-attested-time')).toBeLessThanOrEqual(
        t0 + 10 * MIN,
      );
      // The signing desk supervises nothing: the mark, but no filter.
      expect(await d.page.getByTestId('attested-filter').count()).toBe(0);

      // The initiator opens the group in a browser.
      const s = await suite.open({ policeNo: 'demo016' });
      await s.page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      const rows = s.page.getByTestId('invitation-row');
      const row = (id: string) => byTestId(s.page, 'invitation-row', { 'data-invitation-id': id });

      const check = async (page: Page, size: string) => {
        await row('inv-mgmt').waitFor();
        const judged = byTestId(page, 'invitation-row', {
          'data-invitation-id': 'inv-cid',
          'data-status': 'signed-on-time',
        });
        const mark = judged.getByTestId('attested-verdict');
        await mark.waitFor();
        // The mark says it rests on the device's attested time and shows both times.
        expect(await judged.getByTestId('attested-mark').textContent()).toContain('按设备时间判定');
        const text = (await mark.textContent()) ?? '';
        expect(text).toContain('设备核验时间');
        expect(text).toContain('服务器收到');
        const attestedAt = await numAttr(mark, 'data-attested-time');
        expect(attestedAt).toBeLessThan(backAt);
        expect(await numAttr(judged.getByTestId('signoff-server-time'), 'data-server-time')).toBe(backAt);
        // The other invitation has no mark.
        expect(await row('inv-mgmt').getByTestId('attested-verdict').count()).toBe(0);
        expect(await rows.count()).toBe(2);

        // Filter on: only the attested verdict is listed.
        const toggle = page.getByTestId('attested-filter-toggle');
        await expect
          .poll(() => page.getByTestId('attested-filter').textContent())
          .toContain('只看按设备时间判定的（1）');
        expect(await toggle.isChecked()).toBe(false);
        await toggle.check();
        await expect.poll(() => rows.count()).toBe(1);
        expect(await rows.first().getAttribute('data-invitation-id')).toBe('inv-cid');
        await judged.getByTestId('attested-mark').waitFor();
        if (SHOT_DIR) await page.screenshot({ path: path.join(SHOT_DIR, `attested-filter-${size}.png`) });
        // Off again: both listed.
        await toggle.uncheck();
        await expect.poll(() => rows.count()).toBe(2);
      };

      await check(s.page, 'desk');
      await s.page.setViewportSize({ width: 390, height: 844 });
      await check(s.page, 'phone');
      expect(d.errors).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      initiator.destroy();
    }
  }, 120_000);
});
