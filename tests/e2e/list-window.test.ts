/**
 * HIST-4: a long group list draws only the rows in view (spacers keep the page's height), finds groups by search,
 * and filters open / mine / overdue / closed from the server's list rows, without opening any group. Phone, tablet
 * and desk, zh-CN and English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedClose, seedGroup, seedMany, seedSignOff } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot } from './ux.ts';

const COUNT = 150;
const FIND = 'ux-window-gold';
const CLOSED = 'ux-window-closed';

describe.skipIf(!browserAvailable())('browser: the windowed group list (HIST-4)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    // every group invites the east management desk; the desk signs two, and one more is closed
    await seedMany(suite.server, {
      prefix: 'ux-window',
      count: COUNT,
      title: (n) => `窗口测试协同 ${n + 1} (演示)`,
      invite: ['p-e-mgmt'],
    });
    await seedGroup(suite.server, { id: FIND, title: '金店盗窃 (演示)', invite: ['p-e-mgmt'] });
    await seedGroup(suite.server, { id: CLOSED, title: '已处置的纠纷 (演示)', invite: ['p-e-mgmt'] });
    await seedSignOff(suite.server, CLOSED, 'p-e-mgmt', 'demo005');
    await seedClose(suite.server, CLOSED);
    await seedSignOff(suite.server, 'ux-window-0000', 'p-e-mgmt', 'demo005');
    await seedSignOff(suite.server, 'ux-window-0001', 'p-e-mgmt', 'demo005');
  }, 180_000);

  it.each(EVERY_SCREEN)(
    'HIST-4 A11Y-1: draws the rows in view, scrolls to the last, searches and filters ($size, $lang)',
    async ({ size, lang }) => {
      const total = COUNT + 2;
      const { page, errors } = await openAs(suite, 'demo005', size, lang);
      const list = page.getByTestId('group-list');
      await byTestId(page, 'group-list', { 'data-total': String(total) }).waitFor();
      expect(await list.getAttribute('data-windowed')).toBe('true');
      const drawn = await page.getByTestId('group-row').count();
      expect(drawn).toBeGreaterThan(0);
      expect(drawn).toBeLessThan(60);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `list-window-${size}-${lang}`);

      // scrolled to the bottom, the last row is drawn and in view; the first is not drawn any more
      await expect
        .poll(async () => {
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          return page.locator(`[data-testid="group-row"][aria-posinset="${total}"]`).isVisible();
        })
        .toBe(true);
      expect(await page.locator('[data-testid="group-row"][aria-posinset="1"]').count()).toBe(0);

      // filters from the server's rows: the closed one, and "mine" (awaiting my post) leaves out the signed two
      await page.evaluate(() => window.scrollTo(0, 0));
      await byTestId(page, 'list-filter-closed', { 'data-count': '1' }).waitFor();
      await byTestId(page, 'list-filter-mine', { 'data-count': String(COUNT - 2 + 1) }).waitFor();
      await page.getByTestId('list-filter-closed').click();
      await byTestId(page, 'group-list', { 'data-total': '1' }).waitFor();
      await byTestId(page, 'group-row', { 'data-group-id': CLOSED }).waitFor();
      await page.getByTestId('list-filter-all').click();

      // search by title
      await page.getByTestId('list-search').fill('金店');
      await byTestId(page, 'group-list', { 'data-total': '1' }).waitFor();
      await byTestId(page, 'group-row', { 'data-group-id': FIND }).waitFor();
      expect(await axeBlocking(page)).toEqual([]);
      await page.getByTestId('list-search').fill('');
      await byTestId(page, 'group-list', { 'data-total': String(total) }).waitFor();
      expect(errors).toEqual([]);
    },
  );
});
