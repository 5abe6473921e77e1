/**
 * UX-7: 线索推送 is a visible button with a chevron that opens the clue form; phone, tablet and desk, zh-CN and
 * English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot } from './ux.ts';

const G = 'ux-clue-button';

describe.skipIf(!browserAvailable())('browser: the clue push affordance (UX-7)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    await seedGroup(suite.server, { id: G, title: '商店手机被抢 (演示)', findings: 1 });
  });

  it.each(EVERY_SCREEN)(
    'UX-7 A11Y-1: the clue push shows as a button with a chevron ($size, $lang)',
    async ({ size, lang }) => {
      const { page, errors } = await openAs(suite, 'demo015', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      await byTestId(page, 'group-meta', { 'data-group-id': G }).waitFor();
      const open = page.getByTestId('clue-open');
      await open.scrollIntoViewIfNeeded();
      const look = () =>
        open.evaluate((el) => {
          const s = getComputedStyle(el);
          return { border: s.borderTopWidth, chevron: getComputedStyle(el, '::after').content };
        });
      const closed = await look();
      expect(closed.border).not.toBe('0px');
      expect(closed.chevron).toContain('⌄');
      expect(await page.getByTestId('clue-form').isVisible()).toBe(false);
      await shot(page, `clue-button-${size}-${lang}`);
      await open.click();
      await page.getByTestId('clue-form').waitFor();
      expect((await look()).chevron).toContain('⌃');
      expect(await axeBlocking(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
