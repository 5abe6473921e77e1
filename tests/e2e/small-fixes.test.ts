/**
 * UX-15, the smaller field-UX items: 邀请 buttons keep their word on one line in the desk column; the dropdown of
 * every post is not shown under the search results; a desk that uploaded nothing sees no photo upload notice;
 * a post is not named with its unit twice; photo thumbnail links have an accessible name. Phone, tablet and desk,
 * zh-CN and English, axe clean (group view with photos included).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { makePng } from '../helpers/png.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup, seedPhotoFinding } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const G = 'ux-small-fixes';
let hashes: string[] = [];

describe.skipIf(!browserAvailable())('browser: the smaller field-UX fixes (UX-15)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    await seedGroup(suite.server, { id: G, title: '商店手机被抢 (演示)', findings: 1, invite: ['p-e-mgmt'] });
    hashes = await seedPhotoFinding(suite.server, G, [
      { bytes: makePng(64, 48, { gray: 0x40 }), width: 64, height: 48 },
      { bytes: makePng(64, 48, { gray: 0x90 }), width: 64, height: 48 },
    ]);
  });

  it.each(EVERY_SCREEN)(
    'UX-15 A11Y-1: invite search, photo notice, post names, named thumbnails ($size, $lang)',
    async ({ size, lang }) => {
      // the sub-bureau desk, who uploaded nothing, opens the station's group with two photos
      const { page, errors } = await openAs(suite, 'demo005', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      await byTestId(page, 'group-meta', { 'data-group-id': G }).waitFor();
      for (const h of hashes) await byTestId(page, 'timeline-photo', { 'data-hash': h }).waitFor();
      // thumbnail links are named "photo n of m"
      const names = await page
        .locator('[data-testid="finding-photos"] a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('aria-label')));
      expect(names).toEqual(
        lang === 'en'
          ? ['Open photo 1 of 2 (new window)', 'Open photo 2 of 2 (new window)']
          : ['查看照片 1/2（新窗口）', '查看照片 2/2（新窗口）'],
      );
      // nothing of this desk's was uploaded: no "照片已上传（2/2）", also once the fetched copies are on the device
      await page.reload();
      for (const h of hashes) await byTestId(page, 'timeline-photo', { 'data-hash': h }).waitFor();
      await page.getByTestId('finding-text').waitFor();
      expect(await page.getByTestId('photo-upload-progress').count()).toBe(0);
      // the invited management post is named once
      const post = byTestId(page, 'invitation-row', { 'data-post-id': 'p-e-mgmt' });
      const postText = await post.innerText();
      expect(postText).not.toContain('东城分局 · 东城分局');
      expect(postText).toContain(lang === 'en' ? 'Dongcheng collaboration management' : '东城分局协同管理岗');
      expect(await axeBlocking(page)).toEqual([]);

      // search: the results are the choice, the dropdown of every post goes away; buttons keep one line
      const search = page.getByTestId('invite-search');
      await search.scrollIntoViewIfNeeded();
      await search.fill(lang === 'en' ? 'Criminal' : '刑警');
      const result = page.getByTestId('invite-result').first();
      await result.waitFor();
      expect(await page.getByTestId('invite-post').count()).toBe(0);
      // one line inside the 44 px target (a word broken one character per line is taller)
      const heights = await page
        .getByTestId('invite-result')
        .evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
      for (const h of heights) expect(h).toBeLessThan(50);
      const widths = await page
        .getByTestId('invite-result')
        .evaluateAll((bs) => bs.map((b) => b.scrollWidth <= b.clientWidth + 1));
      expect(widths.every(Boolean)).toBe(true);
      expect(await sidewaysOverflow(page)).toEqual([]);
      await result.scrollIntoViewIfNeeded();
      await shot(page, `small-fixes-search-${size}-${lang}`);
      await search.fill('');
      await page.getByTestId('invite-post').waitFor();
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
