/**
 * HIST-1: the server serves a list from the start in pages (200 rows, with `more` and a cursor), and the app reads
 * page after page by cursor until the server says there is no more: a desk invited to more groups than one page
 * holds lists every one of them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GroupListResponse } from '@muster/protocol';
import { browserAvailable } from '../helpers/browser.ts';
import { login } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedMany } from './seed.ts';
import { openAs } from './ux.ts';

/** More than one page of the server's list (DEFAULT_PAGE = 200). */
const COUNT = 230;

describe.skipIf(!browserAvailable())('browser: the group list past one page (HIST-1)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    await seedMany(suite.server, {
      prefix: 'ux-paging',
      count: COUNT,
      title: (n) => `分页测试协同 ${n + 1} (演示)`,
      invite: ['p-e-mgmt'],
    });
  }, 240_000);

  it('HIST-1: the desk’s list holds every group of a list longer than a page', async () => {
    // the server's first page says there is more, with the cursor to read it after
    const desk = await login(suite.server.url, 'demo005');
    const res = await fetch(`${suite.server.url}/api/groups`, { headers: { authorization: `Bearer ${desk.token}` } });
    const first = (await res.json()) as GroupListResponse;
    expect(first.groups).toHaveLength(200);
    expect(first.more).toBe(true);
    expect(first.cursor).toBeTruthy();

    // the app reads page after page: every group is in its list
    const { page, errors } = await openAs(suite, 'demo005', 'desk', 'zh-CN');
    await byTestId(page, 'group-list', { 'data-total': String(COUNT) }).waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
  }, 120_000);
});
