/**
 * UX-11, ESC-5, REMIND-1: an escalation gives the duty leader more than supervise and instruct: whom to call at the
 * overdue post (its on-duty officer with police number and the post's duty phone, from the directory: fictional
 * demo data), 催办 the post (the officer on duty there gets a reminder in the inbox), and 改派 (reassign) to another
 * post of the same kind. Phone, tablet and desk, zh-CN and English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup, seededInvitation } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const MIN = 60_000;
const G = 'ux-escalation-acts';
const CID = 'p-e-cid';
/** A different support post to reassign to in each run (each run invites one). */
const TARGETS = ['p-e-legal', 'p-e-traffic', 'p-e-data', 'p-e-patrol', 'p-w-cid', 'p-w-legal'];
let run = 0;

describe.skipIf(!browserAvailable())('browser: what a leader does with an escalation (UX-11)', () => {
  const suite = browserSuite({ manualClock: true });

  beforeAll(async () => {
    await seedGroup(suite.server, { id: G, title: '网约车司机被打伤 (演示)', findings: 1, invite: [CID] });
    // the criminal brigade's 30 minutes pass unsigned: the relay escalates to the duty leader (demo007)
    await suite.server.moveClock({ advanceMs: 31 * MIN });
  });

  it.each(EVERY_SCREEN)(
    'UX-11 ESC-5 REMIND-1 A11Y-1: on-duty officer and phone, 催办 and 改派 from the escalation ($size, $lang)',
    async ({ size, lang }) => {
      const en = lang === 'en';
      const target = TARGETS[run++]!;
      const { page, errors } = await openAs(suite, 'demo007', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      const acts = byTestId(page, 'escalation-acts', { 'data-invitation-id': seededInvitation(G, CID) });
      await acts.waitFor();
      expect(await acts.getByTestId('escalation-on-duty').innerText()).toBe(
        en ? 'On duty: 陈演示10 (police no. demo010)' : '值班：陈演示10（警号 demo010）',
      );
      const phone = acts.getByTestId('escalation-phone');
      expect(await phone.innerText()).toMatch(en ? /^Duty phone 000-0000-\d{4}$/ : /^值班电话 000-0000-\d{4}$/);
      expect(await phone.getAttribute('href')).toMatch(/^tel:0000000\d{4}$/);
      expect(await axeBlocking(page)).toEqual([]);
      await acts.scrollIntoViewIfNeeded();
      await shot(page, `escalation-acts-${size}-${lang}`);

      // 催办: stamped by the relay, shown with its time
      await acts.getByTestId('escalation-remind').click();
      await acts.getByTestId('escalation-reminded').waitFor();
      // 改派: another support post is invited
      await acts.getByTestId('escalation-reassign-post').selectOption(target);
      await acts.getByTestId('escalation-reassign-submit').click();
      await byTestId(page, 'invitation-row', { 'data-post-id': target }).waitFor();
      expect(await sidewaysOverflow(page)).toEqual([]);

      if (size === 'phone' && lang === 'zh-CN') {
        // the officer on duty at the overdue post gets the reminder, and signs from the inbox row
        const desk = await openAs(suite, 'demo010', size, lang);
        await desk.page.evaluate(() => (location.hash = '#/inbox'));
        const row = byTestId(desk.page, 'inbox-item', { 'data-kind': 'invitation', 'data-reminder': 'true' });
        await row.first().waitFor();
        expect(await row.first().getByTestId('inbox-reminder').innerText()).toContain('郑演示07 催办');
        await shot(desk.page, `escalation-reminder-inbox-${size}-${lang}`);
        expect(desk.errors).toEqual([]);
        await desk.context.close();
      }
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
