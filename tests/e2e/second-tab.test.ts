/**
 * SYNC-8 in a real browser: two tabs of the app on one device share its database. Findings written in one tab and
 * acknowledged by the relay are not "to send" in the other: each tab's count is what the server has not
 * acknowledged, whichever tab wrote it and whichever tab's socket heard the acknowledgement. Phone, tablet and
 * desk, zh-CN and English.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { addFinding, byTestId, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';
import { EVERY_SCREEN, openAs, shot } from './ux.ts';

const FINDINGS = 10;

async function visit(page: Page, id: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), `#/groups/${id}`);
  await byTestId(page, 'group-meta', { 'data-group-id': id }).waitFor();
}

describe.skipIf(!browserAvailable())('browser: a second tab (SYNC-8)', () => {
  const suite = browserSuite();

  it.each(EVERY_SCREEN)(
    'SYNC-8: a tab counts as unsent only what the relay has not acknowledged, whichever tab wrote it ($size, $lang)',
    async ({ size, lang }) => {
      const { page: a, context, errors } = await openAs(suite, 'demo015', size, lang);
      // Tab A's group sockets open but never reach the relay (nothing answers them): whatever A learns of the
      // relay's acknowledgements, it learns from the device's shared index, written by tab B's socket.
      await a.routeWebSocket(/\/sync\/group/, () => {});
      const b = await context.newPage();
      await b.goto(`${suite.server.url}/#/groups`);
      await b.getByTestId('new-group').waitFor();
      const groupId = await startGroup(b, { kind: 'task', title: `两个标签页 ${size} ${lang}` });
      for (let i = 0; i < FINDINGS; i++) await addFinding(b, `第二个标签页的记录 ${i + 1}`);
      await byTestId(b, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();

      // tab A shows B's findings (shared database) and nothing to send, on the group and in the list
      await visit(a, groupId);
      await expect.poll(() => a.getByTestId('timeline-entry').count(), { timeout: 20_000 }).toBe(FINDINGS);
      await byTestId(a, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      await a.evaluate(() => (location.hash = '#/groups'));
      const rowA = byTestId(a, 'group-row', { 'data-group-id': groupId });
      await byTestId(rowA, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      await shot(a, `second-tab-list-${size}-${lang}`);

      // offline, B writes ten more: both tabs count them as unsent; back online, B's socket sends them and A's
      // count falls to zero with B's acknowledgement
      await context.setOffline(true);
      for (let i = 0; i < FINDINGS; i++) await addFinding(b, `离线时第二个标签页的记录 ${i + 1}`);
      await byTestId(rowA, 'sync-state', { 'data-state': 'offline' }).waitFor();
      await visit(a, groupId);
      await expect.poll(() => a.getByTestId('timeline-entry').count(), { timeout: 20_000 }).toBe(2 * FINDINGS);
      const unsentA = byTestId(a, 'sync-state', { 'data-state': 'offline' });
      await unsentA.waitFor();
      const unsentB = Number(await b.getByTestId('sync-state').getAttribute('data-pending'));
      expect(Number(await unsentA.getAttribute('data-pending'))).toBe(unsentB);
      await context.setOffline(false);
      await byTestId(b, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      await byTestId(a, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      await a.evaluate(() => (location.hash = '#/groups'));
      await byTestId(rowA, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
