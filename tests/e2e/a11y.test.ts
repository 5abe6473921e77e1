/**
 * A11Y-1: axe-core in real Chromium on the main screens — login, group list, new group (one tap), a group view
 * with a finding and invitations, the desk board, the inbox and settings — in zh-CN, and the group view once in
 * English. No violation of impact `serious` or `critical` is allowed; all of them are printed before failing.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { MGMT_POST, addFinding, byTestId, loginAs } from './support.ts';
import { browserSuite } from './suite.ts';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);

interface Finding {
  screen: string;
  text: string;
}

/** Runs axe on the whole document and returns its serious and critical violations, one readable line each. */
async function audit(page: Page, screen: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  const found: Finding[] = [];
  for (const v of results.violations) {
    if (!v.impact || !BLOCKING.has(v.impact)) continue;
    const nodes = v.nodes
      .map((n) => `      ${n.target.join(' ')}\n        ${n.html.slice(0, 200)}\n        ${n.failureSummary ?? ''}`)
      .join('\n');
    found.push({ screen, text: `[${screen}] ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}` });
  }
  return found;
}

describe.skipIf(!browserAvailable())('browser: accessibility of the main screens (axe-core)', () => {
  const suite = browserSuite();

  // The app's CSP (script-src 'self') would refuse the injected axe script; the check bypasses it.
  const open = (viewport = { width: 1024, height: 900 }) => suite.open({ viewport, bypassCSP: true });

  it('A11Y-1: no serious or critical axe violations on the main screens, in zh-CN and in English', async () => {
    const found: Finding[] = [];
    const { page, errors } = await open();

    await page.goto(`${suite.server.url}/`);
    await page.getByTestId('login-submit').waitFor();
    found.push(...(await audit(page, 'login')));

    await loginAs(page, suite.server.url, 'demo015');
    await page.getByTestId('groups-empty').waitFor();
    found.push(...(await audit(page, 'group list (empty)')));

    // New group: the one-tap templates.
    await page.getByTestId('new-group').click();
    await byTestId(page, 'template-option', { 'data-incident-type': 'theft' }).click();
    await byTestId(page, 'template-post', { 'data-post-id': MGMT_POST }).waitFor();
    found.push(...(await audit(page, 'new group (one tap)')));

    // A group view with invitations (from the template) and a finding, saved by the relay.
    await page.getByTestId('one-tap-title').fill('无障碍检查 (fictional)');
    await page.getByTestId('one-tap-number').fill('J2030-0900');
    await page.getByTestId('one-tap-address').fill('东湖路 1 号 (fictional)');
    await page.getByTestId('one-tap-start').click();
    const meta = page.getByTestId('group-meta');
    await meta.waitFor();
    const groupId = (await meta.getAttribute('data-group-id'))!;
    await addFinding(page, '现场已保护，等待技术人员');
    await byTestId(page, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'waiting' }).waitFor();
    await byTestId(page, 'sync-state', { 'data-state': 'saved', 'data-pending': '0' }).waitFor();
    found.push(...(await audit(page, 'group view (zh-CN)')));

    await page.goto(`${suite.server.url}/#/`);
    await byTestId(page, 'group-row', { 'data-group-id': groupId }).waitFor();
    found.push(...(await audit(page, 'group list')));

    await page.getByTestId('nav-inbox').click();
    await page.waitForURL(/#\/inbox$/);
    found.push(...(await audit(page, 'inbox')));

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-version').waitFor();
    found.push(...(await audit(page, 'settings')));

    // Keyboard: tabbing from the top reaches the nav, whose focus ring shows (white on the dark bar). Tabbing starts
    // after the last control clicked (the settings link), so it goes round the page once.
    await page.locator('body').focus();
    let focused = '';
    for (let i = 0; i < 30 && focused !== 'nav-groups'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    }
    expect(focused).toBe('nav-groups');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return {
        style: s.outlineStyle,
        color: s.outlineColor,
        visible: document.activeElement!.matches(':focus-visible'),
      };
    });
    expect(ring).toEqual({ style: 'solid', color: 'rgb(255, 255, 255)', visible: true });
    expect(await page.getByTestId('nav-settings').getAttribute('aria-current')).toBe('page');

    // The group view once in English.
    await page.getByTestId('settings-lang-en').check();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.goto(`${suite.server.url}/#/groups/${encodeURIComponent(groupId)}`);
    await byTestId(page, 'invitation-row', { 'data-post-id': MGMT_POST }).waitFor();
    await page.getByTestId('timeline-entry').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    found.push(...(await audit(page, 'group view (en)')));

    // The management desk's board (desktop, LAYOUT-1 columns) with the invitation waiting on it.
    const desk = await open({ width: 1440, height: 900 });
    await loginAs(desk.page, suite.server.url, 'demo005');
    await desk.page.getByTestId('nav-board').click();
    await byTestId(desk.page, 'board-item', { 'data-group-id': groupId, 'data-post-id': MGMT_POST }).waitFor();
    await desk.page.getByTestId('unread-count').waitFor();
    found.push(...(await audit(desk.page, 'desk board')));
    // The group opened from the desk rail: rail, timeline and details side by side.
    await desk.page.goto(`${suite.server.url}/#/groups/${encodeURIComponent(groupId)}`);
    await byTestId(desk.page, 'rail-board-item', { 'data-group-id': groupId }).waitFor();
    await byTestId(desk.page, 'invitation-row', { 'data-post-id': MGMT_POST }).waitFor();
    found.push(...(await audit(desk.page, 'desk group (columns)')));

    if (found.length > 0)
      console.log(`axe: ${found.length} serious/critical violations\n${found.map((f) => f.text).join('\n')}`);
    expect(found.map((f) => f.text)).toEqual([]);
    expect([...errors, ...desk.errors]).toEqual([]);
  });
});
