/**
 * POL-17 in the browser: a screen offers only the acts the policy allows the person and names whom the rest waits
 * on. The criminal brigade's desk (demo010, on duty at an invited support post) sees no approve, close, supervise or
 * instruct control, but "等待 东城分局值班领导岗… 审批" and "等待 韩演示15、东城分局协同管理岗 办结"; the
 * sub-bureau's duty leader (demo007) is offered approving and supervising.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { requestApproval } from '@muster/core';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup } from './seed.ts';
import { openAs } from './ux.ts';
import type { Lang } from './ux.ts';

const G = 'pol17-awaited';
const DATA_QUERY = {
  id: 'data-query',
  name: '数据查询',
  nameEn: 'Data query',
  fields: [{ name: 'reason', label: '事由', labelEn: 'Reason', type: 'text' as const, required: true }],
};

describe.skipIf(!browserAvailable())('browser: acts a person may not take are named, not offered (POL-17)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    await seedGroup(suite.server, { id: G, title: '商店手机被抢 (演示)', invite: ['p-e-mgmt', 'p-e-cid'] });
    const me = await login(suite.server.url, 'demo015');
    const c = connectGroup(suite.server.wsUrl, G, me.token);
    try {
      await waitFor(() => c.provider.synced, 20_000, 'synced');
      requestApproval(c.doc, {
        id: 'apr-1',
        type: DATA_QUERY,
        values: { reason: '核实身份 (fictional)' },
        author: { personId: me.person.id, name: me.person.name },
        deviceTime: Date.now(),
      });
      await waitFor(() => c.fullyAcked(), 20_000, 'approval acknowledged');
    } finally {
      c.destroy();
    }
  });

  const texts: Record<Lang, { approve: RegExp; close: RegExp }> = {
    'zh-CN': { approve: /^等待 东城分局值班领导岗、.* 审批$/, close: /^等待 韩演示15、东城分局协同管理岗 办结$/ },
    en: { approve: /^Waiting for Dongcheng duty leader, .* to decide$/, close: /^Waiting for 韩演示15, .* to close$/ },
  };

  it.each(['zh-CN', 'en'] as const)(
    'POL-17 POL-10 POL-11 POL-6: the criminal desk is told whom approval and closure wait on (%s)',
    async (lang) => {
      const { page } = await openAs(suite, 'demo010', 'desk', lang);
      await page.goto(`${suite.server.url}/#/groups/${G}`);
      const row = byTestId(page, 'approval-row', { 'data-approval-id': 'apr-1' });
      await row.getByTestId('approval-waiting').waitFor();
      expect((await row.getByTestId('approval-waiting').textContent())!.trim()).toMatch(texts[lang].approve);
      expect(await row.getByTestId('approval-approve').count()).toBe(0);
      const closing = page.getByTestId('close-waiting');
      await closing.waitFor();
      expect((await closing.textContent())!.trim()).toMatch(texts[lang].close);
      expect(await page.getByTestId('close-form').count()).toBe(0);
      expect(await page.getByTestId('supervise').count()).toBe(0);
      expect(await page.getByTestId('instruction-form').count()).toBe(0);
    },
  );

  it('POL-17 POL-6 POL-10: the overseeing duty leader is offered approving and supervising instead', async () => {
    const { page } = await openAs(suite, 'demo007', 'desk', 'zh-CN');
    await page.goto(`${suite.server.url}/#/groups/${G}`);
    const row = byTestId(page, 'approval-row', { 'data-approval-id': 'apr-1' });
    await row.getByTestId('approval-approve').waitFor();
    expect(await row.getByTestId('approval-waiting').count()).toBe(0);
    await page.getByTestId('supervise').waitFor();
    await page.getByTestId('instruction-form').waitFor();
    expect(await page.getByTestId('close-form').count()).toBe(0);
  });
});
