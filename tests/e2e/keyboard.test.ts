/**
 * A11Y-2: a desk officer works by keyboard alone — logs in, sets the app-lock PIN, starts a group by one tap, records a
 * finding, signs for an invitation on the desk board — and every control that takes focus on the way shows a visible
 * focus ring.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { DEMO_PASSWORD, DEMO_PIN, MGMT_POST, byTestId } from './support.ts';
import { browserSuite } from './suite.ts';

interface Focused {
  testId: string | null;
  tag: string;
  ring: boolean;
}

/** What has the keyboard focus, and whether it shows a ring (an outline at least 2 px wide). */
async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { testId: null, tag: 'body', ring: true };
    const s = getComputedStyle(el);
    // A control hidden inside its label (the photo picker) shows the ring on the label.
    const shown = el.classList.contains('visually-hidden') && el.parentElement ? el.parentElement : el;
    const ss = el === shown ? s : getComputedStyle(shown);
    const ring = ss.outlineStyle !== 'none' && parseFloat(ss.outlineWidth) >= 2;
    return { testId: el.getAttribute('data-testid'), tag: el.tagName.toLowerCase(), ring };
  });
}

describe.skipIf(!browserAvailable())('browser: keyboard only', () => {
  const suite = browserSuite();

  it('A11Y-2: log in, start by one tap, record a finding and sign on the board with the keyboard alone; focus always shows', async () => {
    const { page, errors } = await suite.open({ viewport: { width: 1440, height: 900 } });
    const noRing: string[] = [];

    /** Presses Tab until the control with `testId` (and the optional attribute) has the focus. */
    async function tabTo(testId: string, attr?: [string, string], max = 60): Promise<void> {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (!f.ring) noRing.push(`${f.tag}[${f.testId ?? ''}]`);
        if (f.testId !== testId) continue;
        if (!attr) return;
        const v = await page.evaluate((name) => document.activeElement?.getAttribute(name) ?? null, attr[0]);
        if (v === attr[1]) return;
      }
      throw new Error(`Tab never reached ${testId}${attr ? ` ${attr[0]}=${attr[1]}` : ''}`);
    }

    await page.goto(suite.server.url);
    await page.getByTestId('login-form').waitFor();
    await tabTo('login-policeNo');
    await page.keyboard.type('demo005');
    await tabTo('login-password');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');

    // LOCK-1: the first online login on a fresh device asks for a PIN; set it with the keyboard too
    await page.getByTestId('pin-set-form').waitFor();
    await tabTo('pin-new');
    await page.keyboard.type(DEMO_PIN);
    await tabTo('pin-confirm');
    await page.keyboard.type(DEMO_PIN);
    await tabTo('pin-set');
    await page.keyboard.press('Enter');
    await page.getByTestId('new-group').waitFor();

    // start a group by one tap (theft: invites the management desk's own post too)
    await tabTo('new-group');
    await page.keyboard.press('Enter');
    await byTestId(page, 'template-option', { 'data-incident-type': 'theft' }).waitFor();
    await tabTo('template-option', ['data-incident-type', 'theft']);
    await page.keyboard.press('Enter');
    await tabTo('one-tap-title');
    await page.keyboard.type('键盘操作检查 (演示)');
    await tabTo('one-tap-start');
    await page.keyboard.press('Enter');
    const meta = page.getByTestId('group-meta');
    await meta.waitFor();
    const groupId = await meta.getAttribute('data-group-id');

    // record a finding
    await tabTo('finding-text');
    await page.keyboard.type('键盘记录的现场发现 (演示)');
    await tabTo('finding-add');
    await page.keyboard.press('Enter');
    await page.getByTestId('timeline-entry').filter({ hasText: '键盘记录的现场发现 (演示)' }).waitFor();

    // sign for the desk's invitation on the board
    await tabTo('nav-board');
    await page.keyboard.press('Enter');
    const item = byTestId(page, 'board-item', { 'data-group-id': groupId!, 'data-post-id': MGMT_POST });
    await item.waitFor();
    for (let i = 0; i < 60; i++) {
      await tabTo('board-sign');
      if (await item.getByTestId('board-sign').evaluate((b) => b === document.activeElement)) break;
    }
    await page.keyboard.press('Enter');
    await byTestId(page, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'signed-on-time' }).waitFor();

    expect(noRing).toEqual([]);
    expect(errors).toEqual([]);
  });
});
