/**
 * UX-10: a desk board row says what the desk needs before it opens the group: incident number and address, who
 * started it and from which station, the post invited and how long the invitation has waited. Phone, tablet and
 * desk, zh-CN and English, axe clean, nothing scrolls sideways.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { byTestId } from './support.ts';
import { browserSuite } from './suite.ts';
import { seedGroup } from './seed.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot, sidewaysOverflow } from './ux.ts';

const MIN = 60_000;
const G = 'ux-board-rows';

describe.skipIf(!browserAvailable())('browser: desk board rows (UX-10)', () => {
  const suite = browserSuite({ manualClock: true });

  beforeAll(async () => {
    // the station officer (demo015, 东湖派出所) invites the sub-bureau's management desk (demo005 on duty)
    await seedGroup(suite.server, { id: G, title: '商店手机被抢 (演示)', findings: 1, invite: ['p-e-mgmt'] });
    await suite.server.moveClock({ advanceMs: 2 * MIN });
  });

  it.each(EVERY_SCREEN)(
    'UX-10 A11Y-1: the row shows incident number, address, initiator and station, waiting time ($size, $lang)',
    async ({ size, lang }) => {
      const { page, errors } = await openAs(suite, 'demo005', size, lang);
      await page.evaluate(() => (location.hash = '#/board'));
      const row = byTestId(page, 'board-item', { 'data-group-id': G });
      // the group's document is loaded for the board: its facts replace the inbox's title-only row
      await row.getByTestId('board-initiator').waitFor();
      expect(await row.getByTestId('board-incident').innerText()).toMatch(/J2030-0900\s+东城区演示路 1 号/);
      const station = lang === 'en' ? 'Donghu Police Station' : '东湖派出所';
      expect(await row.getByTestId('board-initiator').innerText()).toContain(`韩演示15 · ${station}`);
      // waited two minutes on the server's clock (the invitation was registered at the seed), once the device
      // has learnt the server's time from an acknowledgement
      await expect
        .poll(() => row.getByTestId('board-waiting').innerText())
        .toMatch(lang === 'en' ? /^waiting 2 min/ : /^已等待 2 分/);
      // UX-15: the post is named once ("东城分局协同管理岗", not "东城分局 · 东城分局协同管理岗")
      const rowText = await row.innerText();
      expect(rowText).not.toContain('东城分局 · 东城分局');
      expect(await sidewaysOverflow(page)).toEqual([]);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `board-rows-${size}-${lang}`);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
