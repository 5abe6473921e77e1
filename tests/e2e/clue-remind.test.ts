/**
 * UX-8, REMIND-1/REMIND-2: the sender of a clue sees, by name, who has acknowledged it (and when) and who has not,
 * and re-notifies (催办) those who have not: each of them gets a new inbox item marked as a reminder from the sender,
 * whose row acknowledges the clue. Phone, tablet and desk, zh-CN and English, axe clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedAck, seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const G = 'ux-clue-remind';
const CLUE = 'ux-clue-remind-c1';

describe.skipIf(!browserAvailable())('browser: who has acknowledged a clue, and 催办 (UX-8)', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    // the station officer (demo015) pushes a clue to 东湖警务站: its patrol officers demo037 and demo038
    await seedGroup(suite.server, {
      id: G,
      title: '商店手机被抢 (演示)',
      findings: 1,
      clue: { id: CLUE, text: '嫌疑人穿黑色外套，向东逃离 (fictional)', units: ['ks-e1'] },
    });
    await seedAck(suite.server, G, CLUE, 'demo037');
  });

  it.each(EVERY_SCREEN)(
    'UX-8 REMIND-1 REMIND-2 REMIND-3 A11Y-1: both lists by name and a 催办 that reaches who has not acknowledged ($size, $lang)',
    async ({ size, lang }) => {
      const en = lang === 'en';
      const { page, errors } = await openAs(suite, 'demo015', size, lang);
      await page.evaluate((h) => (location.hash = h), `#/groups/${G}`);
      const clue = byTestId(page, 'timeline-entry', { 'data-entry-id': CLUE });
      await byTestId(clue, 'clue-ack-count', { 'data-acked': '1', 'data-total': '2' }).waitFor();
      expect(await clue.getByTestId('clue-acked-by').innerText()).toMatch(/^柏演示37 \d{2}:\d{2}:\d{2}$/);
      expect(await clue.getByTestId('clue-waiting').innerText()).toBe('水演示38');
      const remind = clue.getByTestId('clue-remind');
      expect(await remind.innerText()).toBe(en ? 'Remind the one who has not acknowledged' : '催办未确认的 1 人');
      expect(await axeBlocking(page)).toEqual([]);
      const reminded = clue.getByTestId('clue-reminded');
      const before = (await reminded.count()) > 0 ? Number(await reminded.getAttribute('data-at')) : 0;
      await remind.click();
      // the relay stamps the reminder: "已催办 HH:MM:SS"
      await expect
        .poll(async () => ((await reminded.count()) > 0 ? Number(await reminded.getAttribute('data-at')) : 0))
        .toBeGreaterThan(before);
      expect(await clue.getByTestId('clue-reminded').innerText()).toMatch(en ? /^Reminded at / : /^已催办 /);
      expect(await sidewaysOverflow(page)).toEqual([]);
      await clue.scrollIntoViewIfNeeded();
      await shot(page, `clue-remind-${size}-${lang}`);

      if (size === 'phone') {
        // the patrol officer who has not acknowledged finds the reminder in his inbox, and acknowledges from it
        const other = await openAs(suite, 'demo038', size, lang);
        await other.page.evaluate(() => (location.hash = '#/inbox'));
        const row = byTestId(other.page, 'inbox-item', { 'data-kind': 'clue', 'data-reminder': 'true' }).first();
        await row.waitFor();
        expect(await row.getByTestId('inbox-reminder').innerText()).toContain(
          en ? 'Reminder from 韩演示15' : '韩演示15 催办',
        );
        expect(await axeBlocking(other.page)).toEqual([]);
        await shot(other.page, `clue-reminder-inbox-${size}-${lang}`);
        expect(other.errors).toEqual([]);
        await other.context.close();
      }
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
