/**
 * STORE-3 in a real browser: headless Chromium refuses persistent storage (as many browsers do for a site that is
 * not installed). The main screen says so after login, with what it means for offline work; asking again from the
 * banner or from settings says that the browser refused again; dismissed, the notice does not come back after a
 * reload. Phone, tablet and desk, zh-CN and English, axe clean.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId, loginAs } from './support.ts';
import { browserSuite } from './suite.ts';
import { EVERY_SCREEN, SIZES, axeBlocking, shot, sidewaysOverflow } from './ux.ts';

const MEANING = {
  'zh-CN': /可能清除本机数据.*离线记录/,
  en: /may clear this device’s data, unsent offline work/,
} as const;
const AGAIN = { 'zh-CN': /再次拒绝/, en: /refused again/ } as const;

describe.skipIf(!browserAvailable())('browser: persistent storage refused (STORE-3)', () => {
  const suite = browserSuite();

  it.each(EVERY_SCREEN)(
    'STORE-3: the refusal is said once on the main screen, and a refused retry says so ($size, $lang)',
    async ({ size, lang }) => {
      const { page, context, errors } = await suite.open({
        viewport: SIZES[size],
        bypassCSP: true,
        deviceScaleFactor: 1,
        persistNotice: true,
      });
      await context.addInitScript((l: string) => localStorage.setItem('muster.locale', l), lang);
      await loginAs(page, suite.server.url, 'demo015');
      expect(await page.evaluate(() => navigator.storage.persisted())).toBe(false);

      const banner = byTestId(page, 'persist-refused');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(MEANING[lang]);
      expect(await axeBlocking(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toEqual([]);
      await shot(page, `persist-refused-${size}-${lang}`);

      await page.getByTestId('persist-retry').click();
      const result = byTestId(banner, 'persist-retry-result');
      await result.waitFor();
      expect(await result.textContent()).toMatch(AGAIN[lang]);
      expect(await banner.getAttribute('data-retry')).toBe('refused');
      await shot(page, `persist-refused-again-${size}-${lang}`);

      await page.getByTestId('persist-dismiss').click();
      await banner.waitFor({ state: 'detached' });
      await page.reload();
      await page.getByTestId('new-group').waitFor();
      await byTestId(page, 'connection', { 'data-state': 'online' }).waitFor();
      expect(await banner.count()).toBe(0);

      // settings keep the request, and say the answer
      await page.getByTestId('nav-settings').click();
      await byTestId(page, 'settings-persist', { 'data-state': 'not-persisted' }).waitFor();
      await page.getByTestId('settings-persist-request').click();
      const answer = byTestId(page, 'settings-persist-result', { 'data-result': 'refused' });
      await answer.waitFor();
      expect(await answer.textContent()).toMatch(AGAIN[lang]);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
