/**
 * HIST-7: after a change of duty the server starts the group list over, and a group it no longer lists for the
 * person leaves their list on the device; a group still listed (one they started) stays.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { login } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup } from './seed.ts';
import { openAs } from './ux.ts';

describe.skipIf(!browserAvailable())('browser: groups no longer listed leave the list (HIST-7)', () => {
  const suite = browserSuite();

  it('HIST-7: off duty at the post, the group that only invited the post leaves the desk’s list', async () => {
    await seedGroup(suite.server, { id: 'ux-drop-post', title: '岗位邀请 (演示)', invite: ['p-e-mgmt'] });
    await seedGroup(suite.server, { id: 'ux-drop-own', title: '本人发起 (演示)', by: 'demo005' });
    const { page, errors } = await openAs(suite, 'demo005', 'desk', 'zh-CN');
    const invited = byTestId(page, 'group-row', { 'data-group-id': 'ux-drop-post' });
    const own = byTestId(page, 'group-row', { 'data-group-id': 'ux-drop-own' });
    await invited.waitFor();
    await own.waitFor();

    const me = await login(suite.server.url, 'demo005');
    const res = await fetch(`${suite.server.url}/api/duty`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${me.token}` },
      body: JSON.stringify({ postId: 'p-e-mgmt', on: false }),
    });
    expect(res.status).toBe(200);

    // the device's cursor is for the old duty: the server starts the list over (`reset`) at the next refresh
    const reset = page.waitForResponse(async (r) => {
      if (!r.url().includes('/api/groups?') || r.status() !== 200) return false;
      return ((await r.json()) as { reset?: boolean }).reset === true;
    });
    await page.reload();
    await reset;
    await invited.waitFor({ state: 'detached' });
    await own.waitFor();
    expect(errors).toEqual([]);
  });
});
