/**
 * KEEP-1 in a real browser: a closed group leaves the device once the admin's retention period
 * (MUSTER_CLOSED_RETENTION_DAYS, here 2 days) has passed since its closure: its document is deleted from IndexedDB
 * and its row stays, marked closed and "removed from this device"; an open group stays whole. Phone, tablet and desk,
 * zh-CN and English, axe clean.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId, storedUpdates } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedClose, seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot } from './ux.ts';

const DAY = 24 * 3600_000;

describe.skipIf(!browserAvailable())('browser: closed groups leave the device (KEEP-1)', () => {
  const suite = browserSuite({ manualClock: true, env: { MUSTER_CLOSED_RETENTION_DAYS: '2' } });

  it.each(EVERY_SCREEN)(
    'KEEP-1: a closed group leaves the device after the retention, an open one stays ($size, $lang)',
    async ({ size, lang }) => {
      const open = `keep-open-${size}-${lang}`;
      const closed = `keep-closed-${size}-${lang}`;
      await seedGroup(suite.server, { id: open, title: `在办的走访 ${size} ${lang}`, findings: 2 });
      await seedGroup(suite.server, { id: closed, title: `办结的纠纷 ${size} ${lang}`, findings: 2 });
      await seedClose(suite.server, closed);
      const { page, errors } = await openAs(suite, 'demo015', size, lang);
      const row = (id: string) => byTestId(page, 'group-row', { 'data-group-id': id });
      for (const id of [open, closed]) await byTestId(row(id), 'row-offline', { 'data-ready': 'ready' }).waitFor();
      expect(await storedUpdates(page, closed)).toBeGreaterThan(0);

      // three days on (the retention is two): the next sync removes the closed group's content
      await suite.server.moveClock({ advanceMs: 3 * DAY });
      await page.getByTestId('sync-now').click();
      const removed = byTestId(row(closed), 'row-offline', { 'data-ready': 'removed' });
      await removed.waitFor();
      expect(await removed.textContent()).toMatch(lang === 'en' ? /removed from this device/ : /已从本机移除/);
      await expect.poll(() => storedUpdates(page, closed)).toBe(0);
      expect(await row(closed).getAttribute('class')).toContain('closed');
      expect(await byTestId(row(open), 'row-offline').getAttribute('data-ready')).toBe('ready');
      expect(await storedUpdates(page, open)).toBeGreaterThan(0);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `keep-closed-${size}-${lang}`);
      expect(errors).toEqual([]);
    },
  );
});
