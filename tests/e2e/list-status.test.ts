/**
 * UX-4, UX-5: group list rows carry their state (open or closed, "1/3 签收", overdue posts, closure deadline) and the
 * list filters on it (all, open, overdue, closed); a group shows a summary strip under its title that stays in view
 * below the top bar as the page scrolls. Phone, tablet and desk, zh-CN and English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedClose, seedGroup, seedSignOff } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const MIN = 60_000;
const OPEN = 'ux-list-open';
const CLOSED = 'ux-list-closed';
const QUIET = 'ux-list-quiet';

async function visit(page: Page, id: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), `#/groups/${id}`);
  await byTestId(page, 'group-meta', { 'data-group-id': id }).waitFor();
  await page.getByTestId('summary-strip').waitFor();
}

describe.skipIf(!browserAvailable())('browser: list status and the summary strip (UX-4, UX-5)', () => {
  const suite = browserSuite({ manualClock: true });

  beforeAll(async () => {
    // three support posts invited; the CID desk signs at once, the other two let their 30 minutes pass
    await seedGroup(suite.server, {
      id: OPEN,
      title: '商店手机被抢 (演示)',
      findings: 30,
      invite: ['p-e-cid', 'p-e-legal', 'p-e-traffic'],
    });
    await seedSignOff(suite.server, OPEN, 'p-e-cid', 'demo010');
    await seedGroup(suite.server, { id: CLOSED, title: '已处置的纠纷 (演示)', findings: 2 });
    await seedClose(suite.server, CLOSED);
    await seedGroup(suite.server, { id: QUIET, title: '走访任务 (演示)', findings: 1 });
    await suite.server.moveClock({ advanceMs: 31 * MIN });
  });

  it.each(EVERY_SCREEN)(
    'UX-4 UX-5 A11Y-1: rows show their state and filter on it; the strip stays under the bar ($size, $lang)',
    async ({ size, lang }) => {
      const { page, errors } = await openAs(suite, 'demo015', size, lang);
      // the device learns a group's state from its document: open each once (as an officer would)
      await visit(page, CLOSED);
      await visit(page, QUIET);
      await visit(page, OPEN);

      // UX-5: one on time, two overdue, and the closure deadline, under the title
      const strip = page.getByTestId('summary-strip');
      await byTestId(page, 'summary-strip', {
        'data-on-time': '1',
        'data-overdue': '2',
        'data-waiting': '0',
      }).waitFor();
      expect(await strip.getByTestId('strip-deadline').count()).toBe(1);
      const title = await page.getByTestId('group-view-title').boundingBox();
      const before = await strip.boundingBox();
      expect(before!.y).toBeGreaterThan(title!.y);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `strip-${size}-${lang}`);
      // scrolled to the bottom, the strip sits just below the top bar, in view
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await expect
        .poll(async () => {
          const bar = await page.locator('header.bar').boundingBox();
          const s = await strip.boundingBox();
          return Math.abs(s!.y - (bar!.y + bar!.height));
        })
        .toBeLessThan(2);
      await shot(page, `strip-scrolled-${size}-${lang}`);

      // UX-4: the list
      await page.getByTestId('nav-groups').click();
      const row = (id: string) => byTestId(page, 'group-row', { 'data-group-id': id });
      await byTestId(row(OPEN), 'group-status', {
        'data-closed': 'false',
        'data-signed': '1',
        'data-invited': '3',
        'data-overdue': '2',
      }).waitFor();
      await byTestId(row(CLOSED), 'group-status', { 'data-closed': 'true' }).waitFor();
      expect(await row(CLOSED).getByTestId('chip-deadline').count()).toBe(0);
      expect(await row(OPEN).getByTestId('chip-signed').textContent()).toContain('1/3');
      expect(await sidewaysOverflow(page)).toEqual([]);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `list-${size}-${lang}`);

      const shown = () =>
        page.getByTestId('group-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-group-id')).sort());
      await page.getByTestId('list-filter-overdue').click();
      await expect.poll(shown).toEqual([OPEN]);
      await page.getByTestId('list-filter-closed').click();
      await expect.poll(shown).toEqual([CLOSED]);
      await page.getByTestId('list-filter-open').click();
      await expect.poll(shown).toEqual([OPEN, QUIET].sort());
      expect(await page.getByTestId('list-filter-open').getAttribute('aria-pressed')).toBe('true');
      await page.getByTestId('list-filter-all').click();
      await expect.poll(shown).toEqual([CLOSED, OPEN, QUIET].sort());
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
