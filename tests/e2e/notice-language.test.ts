/**
 * UX-9: a closed group opened by a member who then tries to write: whatever the relay says comes out in the
 * interface language, never its English text; phone, tablet and desk, zh-CN and English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedClose, seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot } from './ux.ts';

const G = 'ux-notice-closed';

describe.skipIf(!browserAvailable())('browser: notices in the interface language (UX-9)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    await seedGroup(suite.server, { id: G, title: '已办结的协同 (演示)', findings: 2 });
    await seedClose(suite.server, G);
  });

  it.each(EVERY_SCREEN)(
    'UX-9 A11Y-1: a closed group shows no English server text ($size, $lang)',
    async ({ size, lang }) => {
      const { page, errors } = await openAs(suite, 'demo015', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      await byTestId(page, 'group-meta', { 'data-group-id': G }).waitFor();
      // the relay tells a member's connection to a closed group that it is read-only (code `closed`)
      const notice = byTestId(page, 'group-notice', { 'data-code': 'closed' });
      await notice.waitFor();
      expect(await notice.textContent()).toContain(lang === 'zh-CN' ? '协同已关闭' : 'collaboration is closed');
      const body = (await page.locator('main').textContent()) ?? '';
      for (const english of ['this group is closed', 'read-only:', 'you may read', 'refused'])
        expect(body.toLowerCase()).not.toContain(english);
      if (lang === 'zh-CN') expect(body).not.toMatch(/\b(the|is|not|group)\b/);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `closed-group-${size}-${lang}`);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
