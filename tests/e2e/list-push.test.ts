/**
 * HIST-1: an open app is told by the server that its list changed and fetches the delta at once: a group started
 * elsewhere that invites the desk's post appears in the desk's open list well before the next poll (30 s).
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup } from './seed.ts';
import { openAs } from './ux.ts';

describe.skipIf(!browserAvailable())('browser: list changes are pushed (HIST-1)', () => {
  const suite = browserSuite();

  it('HIST-1: a group inviting the desk appears in its open list without a reload or a poll', async () => {
    const { page, errors } = await openAs(suite, 'demo005', 'desk', 'zh-CN');
    await page.getByTestId('new-group').waitFor();
    await byTestId(page, 'group-list', { 'data-total': '0' }).waitFor({ state: 'attached' });
    // the app opens its change stream at start: reload with the response awaited (its headers mean it is open)
    const streaming = page.waitForResponse((r) => r.url().includes('/api/groups/changes') && r.status() === 200);
    await page.reload();
    await streaming;
    await page.getByTestId('new-group').waitFor();
    const t0 = Date.now();
    await seedGroup(suite.server, { id: 'ux-push-1', title: '推送测试 (演示)', invite: ['p-e-mgmt'] });
    await byTestId(page, 'group-row', { 'data-group-id': 'ux-push-1' }).waitFor({ timeout: 15_000 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(errors).toEqual([]);
  });
});
