/**
 * REMIND-4: 催办 of an instruction (批示). The duty leader who gave it re-notifies the addressees that have not
 * acknowledged it (POL-20): each person still awaited gets a new inbox item marked as a reminder from the leader,
 * whose row acknowledges the instruction; the relay audits the 催办 (AUDIT-3). Phone, tablet and desk, zh-CN and
 * English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse } from '@muster/protocol';
import { browserAvailable } from '../helpers/browser.ts';
import { login } from '../helpers/clients.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedAck, seedGroup, seedInstruction } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const G = 'ux-ins-remind';
const INS = 'ux-ins-remind-i1';

describe.skipIf(!browserAvailable())('browser: 催办 of an instruction (REMIND-4)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    // the station officer's group; the duty leader instructs the patrol officer demo016 and the criminal
    // investigation brigade's post (demo010 on duty); demo016 acknowledges, the brigade has not
    await seedGroup(suite.server, { id: G, title: '商店手机被抢 (演示)', findings: 1, invite: ['p-e-cid'] });
    await seedInstruction(suite.server, G, {
      id: INS,
      text: '立即调取周边监控，查明嫌疑人去向 (fictional)',
      to: [
        { kind: 'person', id: 'demo016', name: '杨演示16' },
        { kind: 'post', id: 'p-e-cid', name: '东城刑警大队协同支撑岗' },
      ],
    });
    await seedAck(suite.server, G, INS, 'demo016');
  });

  it.each(EVERY_SCREEN)(
    'REMIND-4 POL-20 AUDIT-3 A11Y-1: the leader reminds the addressee that has not acknowledged; its inbox row acknowledges ($size, $lang)',
    async ({ size, lang }) => {
      const en = lang === 'en';
      const { page, errors } = await openAs(suite, 'demo007', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      const ins = byTestId(page, 'timeline-entry', { 'data-entry-id': INS });
      await byTestId(ins, 'instruction-addressee', { 'data-addressee-id': 'demo016', 'data-acked': 'true' }).waitFor();
      const remind = byTestId(ins, 'instruction-remind', { 'data-count': '1' });
      expect(await remind.innerText()).toBe(
        en ? 'Remind the one addressee who has not acknowledged' : '催办未确认的 1 个对象',
      );
      expect(await axeBlocking(page)).toEqual([]);
      const reminded = ins.getByTestId('instruction-reminded');
      const before = (await reminded.count()) > 0 ? Number(await reminded.getAttribute('data-at')) : 0;
      await remind.click();
      // the relay stamps the reminder: "已催办 HH:MM:SS"
      await expect
        .poll(async () => ((await reminded.count()) > 0 ? Number(await reminded.getAttribute('data-at')) : 0))
        .toBeGreaterThan(before);
      expect(await reminded.innerText()).toMatch(en ? /^Reminded at / : /^已催办 /);
      expect(await sidewaysOverflow(page)).toEqual([]);
      await ins.scrollIntoViewIfNeeded();
      await shot(page, `instruction-remind-${size}-${lang}`);

      // the 催办 is audited with what it reminded of
      const auditor = await login(suite.server.url, 'demo004');
      const res = await fetch(`${suite.server.url}/api/audit?action=reminder`, {
        headers: { authorization: `Bearer ${auditor.token}` },
      });
      const rows = ((await res.json()) as AuditListResponse).entries;
      expect(rows.some((r) => r.detail?.['refKind'] === 'instruction' && r.detail['refId'] === INS)).toBe(true);

      if (size === 'phone') {
        // the brigade desk on duty at the addressed post finds the reminder in the inbox and acknowledges from it;
        // the patrol officer who acknowledged gets no reminder
        const other = await openAs(suite, 'demo010', size, lang);
        await other.page.evaluate(() => (location.hash = '#/inbox'));
        const row = byTestId(other.page, 'inbox-item', { 'data-kind': 'instruction', 'data-reminder': 'true' }).first();
        await row.waitFor();
        expect(await row.getByTestId('inbox-reminder').innerText()).toContain(
          en ? 'Reminder from 郑演示07' : '郑演示07 催办',
        );
        expect(await axeBlocking(other.page)).toEqual([]);
        await shot(other.page, `instruction-reminder-inbox-${size}-${lang}`);
        expect(other.errors).toEqual([]);
        await other.context.close();
        const acked = await openAs(suite, 'demo016', size, lang);
        await acked.page.evaluate(() => (location.hash = '#/inbox'));
        await byTestId(acked.page, 'inbox-item', { 'data-kind': 'instruction' }).first().waitFor();
        expect(
          await byTestId(acked.page, 'inbox-item', { 'data-kind': 'instruction', 'data-reminder': 'true' }).count(),
        ).toBe(0);
        await acked.context.close();
      }
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
