/**
 * LAYOUT-2: on a phone the top bar keeps to two rows (brand, link state, sync now; the nav); the language and
 * logout live in settings, which work there; no label breaks inside a word.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { browserSuite } from './suite.ts';

describe.skipIf(!browserAvailable())('browser: phone layout', () => {
  const suite = browserSuite();

  it('LAYOUT-2: a phone gets a two-row bar; language and logout work from settings', async () => {
    const { page, errors } = await suite.open({ viewport: { width: 390, height: 844 }, policeNo: 'demo015' });
    await page.getByTestId('new-group').waitFor();

    expect(await page.getByTestId('lang-switch').isVisible()).toBe(false);
    expect(await page.getByTestId('lock-now').isVisible()).toBe(false);
    const bar = await page.locator('header.bar').boundingBox();
    expect(bar).toBeTruthy();
    // two rows of at least 44 px touch targets, no more
    expect(bar!.height).toBeLessThan(3 * 44 + 24);
    // each nav label on one line (a broken label is at least two lines tall)
    for (const id of ['nav-groups', 'nav-board', 'nav-inbox', 'nav-settings']) {
      const b = await page.getByTestId(id).boundingBox();
      expect(b!.height, id).toBeLessThan(60);
    }

    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('settings-person').textContent()).toContain('demo015');
    await page.getByTestId('settings-lang-en').check();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('settings-logout').click();
    await page.getByTestId('logout-confirm-yes').click();
    await page.getByTestId('login-form').waitFor();
    expect(errors).toEqual([]);
  });
});
