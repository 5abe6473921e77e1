/**
 * LAYOUT-3: on a tablet, portrait and landscape, every control of the main screens is a touch target of at least
 * 44 × 44 CSS px (a check box or radio counts by its label), and nothing scrolls sideways.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { MGMT_POST, addFinding, byTestId } from './support.ts';
import { browserSuite } from './suite.ts';

const MIN = 44;

interface Small {
  what: string;
  width: number;
  height: number;
}

/**
 * Visible controls smaller than MIN in either direction, and whether the page scrolls sideways (then the elements
 * reaching past the window are listed too, to name the culprit).
 */
async function measure(page: Page): Promise<{ small: Small[]; overflowX: boolean }> {
  return page.evaluate((min) => {
    const small: Small[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'button, a[href], select, textarea, input:not([type=checkbox]):not([type=radio]):not([type=file]), label:has(> input[type=checkbox]), label:has(> input[type=radio]), label:has(input[type=file])',
    );
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      // hidden offscreen helpers (skip links) and controls inside a hidden part do not count
      if (el.closest('[hidden], .visually-hidden')) continue;
      if (r.width < min - 0.5 || r.height < min - 0.5) {
        const id = el.getAttribute('data-testid') ?? '';
        const text = (el.textContent ?? '').trim().slice(0, 24);
        small.push({
          what: `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''} "${text}"`,
          width: r.width,
          height: r.height,
        });
      }
    }
    const overflowX = document.documentElement.scrollWidth > window.innerWidth + 1;
    if (overflowX)
      for (const el of document.querySelectorAll<HTMLElement>('main *')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0)
          small.push({
            what: `wide ${el.tagName.toLowerCase()}.${el.className} ${(el.textContent ?? '').trim().slice(0, 30)}`,
            width: r.width,
            height: r.height,
          });
      }
    return { small, overflowX };
  }, MIN);
}

describe.skipIf(!browserAvailable())('browser: tablet touch targets', () => {
  const suite = browserSuite();

  it('LAYOUT-3: every control on the main screens is at least 44 × 44 px, portrait and landscape', async () => {
    const { page, errors } = await suite.open({ viewport: { width: 800, height: 1280 }, policeNo: 'demo015' });

    await page.getByTestId('new-group').click();
    await byTestId(page, 'template-option', { 'data-incident-type': 'theft' }).waitFor();
    const screens: Array<[string, () => Promise<void>]> = [['new group', async () => {}]];
    void screens;
    const found: string[] = [];
    const check = async (screen: string) => {
      for (const [orientation, viewport] of [
        ['portrait', { width: 800, height: 1280 }],
        ['landscape', { width: 1280, height: 800 }],
      ] as const) {
        await page.setViewportSize(viewport);
        const m = await measure(page);
        for (const s of m.small)
          found.push(`${screen} (${orientation}): ${s.what} ${Math.round(s.width)}×${Math.round(s.height)}`);
        if (m.overflowX) found.push(`${screen} (${orientation}): scrolls sideways`);
      }
      await page.setViewportSize({ width: 800, height: 1280 });
    };

    await check('new group (one tap)');
    // a group with a finding and invitations, so the group screen shows its controls
    await byTestId(page, 'template-option', { 'data-incident-type': 'theft' }).click();
    await page.getByTestId('one-tap-title').fill('触控检查 (演示)');
    await page.getByTestId('one-tap-start').click();
    await byTestId(page, 'invitation-row', { 'data-post-id': MGMT_POST }).waitFor();
    await addFinding(page, '现场发现 (演示)');
    await check('group');
    await page.getByTestId('nav-groups').click();
    await page.getByTestId('group-row').first().waitFor();
    await check('group list');
    await page.getByTestId('nav-board').click();
    await page.getByTestId('board').waitFor();
    await check('board');
    await page.getByTestId('nav-inbox').click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await check('inbox');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings').waitFor();
    await check('settings');

    if (found.length > 0) console.log(`controls under ${MIN} px:\n${found.join('\n')}`);
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
  });
});
