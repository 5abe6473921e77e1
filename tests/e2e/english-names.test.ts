/**
 * I18N-3, I18N-4: English mode shows no stored Chinese name where the app knows the English one:
 * an approval's type is shown from its stored id (timeline and inbox), a supervisor's post in the language's brackets, names joined
 * through Intl.ListFormat. zh-CN shows the Chinese names. Phone, tablet and desk, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_TYPES, readMeta, requestApproval, supervise } from '@muster/core';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot } from './ux.ts';

const G = 'ux-english-names';

describe.skipIf(!browserAvailable())('browser: English shows English names (I18N-4)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    await seedGroup(suite.server, { id: G, title: '商店手机被抢 (演示)', findings: 1, invite: ['p-e-mgmt'] });
    // the station officer asks for CCTV (stored with its Chinese name), the duty leader supervises
    for (const [no, write] of [
      [
        'demo015',
        (doc: Parameters<typeof supervise>[0], by: { personId: string; name: string }) =>
          void requestApproval(doc, {
            id: `${G}-apr`,
            type: DEFAULT_APPROVAL_TYPES[0]!,
            values: { location: '演示路口 (fictional)', from: '2030-01-01', to: '2030-01-01', reason: '查找嫌疑人' },
            author: by,
            deviceTime: Date.now(),
          }),
      ],
      [
        'demo007',
        (doc: Parameters<typeof supervise>[0], by: { personId: string; name: string }) =>
          void supervise(doc, { id: `${G}-sup`, postId: 'p-e-leader', by, deviceTime: Date.now() }),
      ],
    ] as const) {
      const me = await login(suite.server.url, no);
      const c = connectGroup(suite.server.wsUrl, G, me.token);
      try {
        await waitFor(() => c.provider.synced && readMeta(c.doc) !== null, 20_000, 'seed: synced');
        write(c.doc, { personId: me.person.id, name: me.person.name });
        await waitFor(() => c.fullyAcked(), 20_000, 'seed: acknowledged');
      } finally {
        c.destroy();
      }
    }
  });

  it.each(EVERY_SCREEN)(
    'I18N-3 I18N-4 A11Y-1: approval type and supervisor post in the language shown ($size, $lang)',
    async ({ size, lang }) => {
      const en = lang === 'en';
      const { page, errors } = await openAs(suite, 'demo005', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      const apr = byTestId(page, 'timeline-entry', { 'data-entry-type': 'approval' });
      await apr.waitFor();
      expect(await apr.getByTestId('timeline-text').innerText()).toBe(en ? 'CCTV retrieval' : '视频调取');
      const sup = page.getByTestId('supervisors');
      await expect.poll(() => sup.innerText()).toContain('郑演示07');
      const text = await sup.innerText();
      if (en) {
        expect(text).toContain('郑演示07 (Dongcheng duty leader)');
        expect(text).not.toMatch(/[（）、]/);
      } else expect(text).toContain('郑演示07（东城分局值班领导岗）');
      expect(await axeBlocking(page)).toEqual([]);
      await sup.scrollIntoViewIfNeeded();
      await shot(page, `english-names-${size}-${lang}`);
      if (size === 'desk') {
        // the supervising leader's inbox names the approval request by its type in the language shown
        const leader = await openAs(suite, 'demo007', size, lang);
        await leader.page.evaluate(() => (location.hash = '#/inbox'));
        const row = byTestId(leader.page, 'inbox-item', { 'data-kind': 'approval' });
        await row.waitFor();
        expect(await row.locator('.text').innerText()).toBe(en ? 'CCTV retrieval' : '视频调取');
        expect(leader.errors).toEqual([]);
        await leader.context.close();
      }
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
