/**
 * OFFL-1 in a real browser: a fresh device that never opened a group fetches, in the background while online, every
 * open group of the officer's list and the recently closed ones (not a group closed long ago), and each list row says
 * whether the group is on the device. Offline, such a group opens with its whole timeline and takes a new finding,
 * which is sent when the network is back. Phone, tablet and desk, zh-CN and English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { addFinding, byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedClose, seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const DAY = 24 * 3600_000;
const OPEN = 'offl-open';
const RECENT = 'offl-closed-recent';
const OLD = 'offl-closed-old';
const FINDINGS = 5;
let added = 0;
const READY = { 'zh-CN': '可离线使用', en: 'Available offline' } as const;
const NOT_READY = { 'zh-CN': '离线不可用', en: 'needs a network' } as const;

describe.skipIf(!browserAvailable())('browser: groups fetched for offline use (OFFL-1)', () => {
  const suite = browserSuite({ manualClock: true });

  beforeAll(async () => {
    await seedGroup(suite.server, { id: OLD, title: '早已办结的走访 (演示)', findings: 1 });
    await seedClose(suite.server, OLD);
    await suite.server.moveClock({ advanceMs: 8 * DAY });
    await seedGroup(suite.server, { id: RECENT, title: '昨天办结的纠纷 (演示)', findings: 2 });
    await seedClose(suite.server, RECENT);
    await seedGroup(suite.server, { id: OPEN, title: '夜间巡查 (演示)', findings: FINDINGS });
  });

  it.each(EVERY_SCREEN)(
    'OFFL-1: open and recently closed groups are fetched in the background and work offline ($size, $lang)',
    async ({ size, lang }) => {
      const { page, context, errors } = await openAs(suite, 'demo015', size, lang);
      await waitForServiceWorker(page);
      const row = (id: string) => byTestId(page, 'group-row', { 'data-group-id': id });
      for (const id of [OPEN, RECENT]) await byTestId(row(id), 'row-offline', { 'data-ready': 'ready' }).waitFor();
      // the group closed eight days ago is left on the server
      await byTestId(row(OLD), 'row-offline', { 'data-ready': 'not-ready' }).waitFor();
      expect(await byTestId(page, 'row-offline', { 'data-ready': 'fetching' }).count()).toBe(0);
      expect(await byTestId(row(OPEN), 'row-offline').textContent()).toContain(READY[lang]);
      expect(await byTestId(row(OLD), 'row-offline').textContent()).toContain(NOT_READY[lang]);
      await shot(page, `offline-ready-list-${size}-${lang}`);
      expect(await axeBlocking(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toEqual([]);

      // offline, the never-opened group opens whole and takes a finding
      await context.setOffline(true);
      await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
      await page.evaluate((h) => (location.hash = h), `#/groups/${OPEN}`);
      await byTestId(page, 'group-meta', { 'data-group-id': OPEN }).waitFor();
      // the seeded findings and one added offline by each earlier screen of this file
      await expect.poll(() => page.getByTestId('timeline-entry').count()).toBe(FINDINGS + added);
      expect(await page.getByTestId('group-empty').count()).toBe(0);
      await addFinding(page, `离线补记 ${size} ${lang}`);
      added++;
      await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();
      await context.setOffline(false);
      await byTestId(page, 'sync-state', { 'data-state': 'saved' }).waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
