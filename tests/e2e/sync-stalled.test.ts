/**
 * SYNC-6 in a real browser: with the network up but the relay not answering (its process stopped with SIGSTOP, so
 * the socket stays open and nothing is refused or closed), a new finding's badge turns amber "未保存 · 上次保存 T"
 * within a few seconds, and the header's link turns amber too instead of staying green "在线"; when the relay answers
 * again the badge reads "saved". Phone, tablet and desk, zh-CN and English, axe clean while stalled.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { addFinding, byTestId, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot } from './ux.ts';

const UNSAVED = { 'zh-CN': /^未保存 · 上次保存 \S/, en: /^Not saved · last saved \S/ } as const;
const STALLED = { 'zh-CN': '服务器无响应', en: 'Server not answering' } as const;

describe.skipIf(!browserAvailable())('browser: a relay that stops answering (SYNC-6)', () => {
  const suite = browserSuite();

  it.each(EVERY_SCREEN)(
    'SYNC-6: unacknowledged changes turn amber "not saved · last saved T" within seconds ($size, $lang)',
    async ({ size, lang }) => {
      const { page, errors } = await openAs(suite, 'demo015', size, lang);
      await startGroup(page, { kind: 'task', title: `走访 ${size} ${lang}` });
      await byTestId(page, 'sync-state', { 'data-state': 'saved' }).waitFor();
      await byTestId(page, 'connection', { 'data-state': 'online', 'data-stalled': 'false' }).waitFor();

      const pid = suite.server.pid!;
      process.kill(pid, 'SIGSTOP');
      try {
        const wrote = Date.now();
        await addFinding(page, '现场记录：服务器无响应时写入');
        const badge = byTestId(page, 'sync-state', { 'data-state': 'unsaved' });
        await badge.waitFor({ timeout: 15_000 });
        const took = Date.now() - wrote;
        expect(await badge.textContent()).toMatch(UNSAVED[lang]);
        expect(Number(await badge.getAttribute('data-pending'))).toBeGreaterThan(0);
        const link = byTestId(page, 'connection', { 'data-stalled': 'true' });
        await link.waitFor();
        expect((await link.textContent())?.trim()).toBe(STALLED[lang]);
        console.log(`SYNC-6 ${size} ${lang}: amber ${took} ms after the finding was written`);
        expect(await axeBlocking(page)).toEqual([]);
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, `sync-stalled-${size}-${lang}`);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      // the relay answers again: the waiting change is acknowledged and the badge says so
      await byTestId(page, 'sync-state', { 'data-state': 'saved' }).waitFor({ timeout: 30_000 });
      await byTestId(page, 'connection', { 'data-stalled': 'false' }).waitFor();
      expect(errors).toEqual([]);
    },
  );
});
