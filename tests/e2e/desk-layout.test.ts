/**
 * LAYOUT-1: a desk browser (≥ 1200 px) works in columns: the desk rail (what awaits my posts, my groups) beside the
 * group, whose timeline and details sit side by side; a tablet-wide window shows one screen at a time, and turning
 * or resizing the window switches between the two.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { MGMT_POST, byTestId } from './support.ts';
import { browserSuite } from './suite.ts';

async function box(loc: Locator): Promise<{ x: number; y: number; right: number; bottom: number }> {
  const b = await loc.boundingBox();
  if (!b) throw new Error('element not laid out');
  return { x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height };
}

describe.skipIf(!browserAvailable())('browser: desk layout', () => {
  const suite = browserSuite();

  it('LAYOUT-1: the desk shows its board and groups beside the open group, whose timeline and details are columns', async () => {
    // A station officer on a tablet starts a group by one tap; the template invites the management desk's post.
    const { page: field, errors: fieldErrors } = await suite.open({
      viewport: { width: 800, height: 1280 },
      policeNo: 'demo015',
    });
    await field.getByTestId('new-group').click();
    await byTestId(field, 'template-option', { 'data-incident-type': 'theft' }).click();
    await field.getByTestId('one-tap-title').fill('商店手机被抢 (演示)');
    await field.getByTestId('one-tap-start').click();
    const groupId = await field.getByTestId('group-meta').getAttribute('data-group-id');
    expect(groupId).toBeTruthy();
    // the tablet shows one screen at a time: no rail, and the details below the timeline
    expect(await field.getByTestId('desk-rail').count()).toBe(0);
    const tabletMain = await box(field.getByTestId('group-main'));
    const tabletDetails = await box(field.getByTestId('group-details'));
    expect(tabletDetails.y).toBeGreaterThanOrEqual(tabletMain.bottom);

    // The management desk in a desktop browser: the rail lists the invitation with its countdown.
    const { page: desk, errors: deskErrors } = await suite.open({
      viewport: { width: 1440, height: 900 },
      policeNo: 'demo005',
    });
    const railItem = byTestId(desk, 'rail-board-item', { 'data-group-id': groupId! });
    await railItem.waitFor();
    await expect.poll(() => railItem.textContent()).toMatch(/剩余|已超时|等待服务器登记/);

    // Opening it from the rail shows the group beside the rail, which stays, marking the open group.
    await railItem.getByRole('link').click();
    await desk.waitForURL(`**/#/groups/${groupId}`);
    await byTestId(desk, 'group-meta', { 'data-group-id': groupId! }).waitFor();
    await byTestId(desk, 'invitation-row', { 'data-post-id': MGMT_POST }).first().waitFor();
    const rail = desk.getByTestId('desk-rail');
    expect(await railItem.getByRole('link').getAttribute('aria-current')).toBe('page');
    const r = await box(rail);
    const main = await box(desk.getByTestId('group-main'));
    const details = await box(desk.getByTestId('group-details'));
    expect(r.right).toBeLessThanOrEqual(main.x);
    expect(main.right).toBeLessThanOrEqual(details.x);
    expect(Math.abs(details.y - main.y)).toBeLessThan(40);

    // The board page keeps the group list beside it; the group is reachable from there too.
    await desk.getByTestId('nav-board').click();
    await byTestId(desk, 'board-item', { 'data-group-id': groupId! }).waitFor();
    expect(await rail.isVisible()).toBe(true);
    expect(await desk.getByRole('navigation', { name: '工作台：签收与协同列表' }).count()).toBe(1);

    // A narrower window (a tablet turned, a window resized) drops to one screen at a time.
    await desk.goto(`${suite.server.url}/#/groups/${groupId}`);
    await byTestId(desk, 'group-meta', { 'data-group-id': groupId! }).waitFor();
    await desk.setViewportSize({ width: 900, height: 1200 });
    await expect.poll(() => desk.getByTestId('desk-rail').count()).toBe(0);
    await desk.setViewportSize({ width: 1440, height: 900 });
    await desk.getByTestId('desk-rail').waitFor();

    expect(fieldErrors).toEqual([]);
    expect(deskErrors).toEqual([]);
  });
});
