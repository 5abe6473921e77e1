/**
 * LOCK-4 in a real browser: after five wrong PINs in a row the device forgets the PIN (a reload does not reset the
 * count) and only the officer's password opens the app: offline that is refused with a word about the network;
 * the officer's unsent work keeps syncing behind the gate; after the password a new PIN is set and the same
 * officer's groups and changes are all there. Phone, tablet and desk, zh-CN and English, axe clean.
 */
import { describe, expect, it } from 'vitest';
import { entryCount } from '@muster/core';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { DEMO_PASSWORD, DEMO_PIN, addFinding, byTestId, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';
import { EVERY_SCREEN, axeBlocking, openAs, shot } from './ux.ts';

const TRIES = 5;
const NEW_PIN = '97531';

describe.skipIf(!browserAvailable())('browser: too many wrong PINs (LOCK-4)', () => {
  const suite = browserSuite();

  it.each(EVERY_SCREEN)(
    'LOCK-4: five wrong PINs ask for an online password login; unsent work stays and syncs ($size, $lang)',
    async ({ size, lang }) => {
      const { page, context, errors } = await openAs(suite, 'demo015', size, lang);
      // reloads below happen offline: the service worker serves the app
      await waitForServiceWorker(page);
      await context.setOffline(true);
      await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
      const groupId = await startGroup(page, { kind: 'task', title: `夜巡 ${size} ${lang}` });
      await addFinding(page, '离线记录：锁定前写入');
      await byTestId(page, 'sync-state', { 'data-state': 'offline' }).waitFor();

      if (size === 'phone') {
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('settings-lock').click();
      } else await page.getByTestId('lock-now').click();
      await byTestId(page, 'lock-screen', { 'data-gate': 'locked' }).waitFor();

      for (let i = 1; i < TRIES; i++) {
        await page.getByTestId('unlock-pin').fill('0000');
        await page.getByTestId('unlock-submit').click();
        await byTestId(page, 'unlock-error', { 'data-tries-left': String(TRIES - i) }).waitFor();
        // the count survives a reload (it is not reset by restarting the app)
        if (i === 2) {
          await page.reload();
          await byTestId(page, 'lock-screen', { 'data-gate': 'locked' }).waitFor();
        }
      }
      await page.getByTestId('unlock-pin').fill('1111');
      await page.getByTestId('unlock-submit').click();
      await byTestId(page, 'lock-screen', { 'data-gate': 'password' }).waitFor();
      // the right PIN no longer opens anything: the form is gone, and a reload keeps the password gate
      expect(await page.getByTestId('unlock-form').count()).toBe(0);
      await page.reload();
      await byTestId(page, 'lock-screen', { 'data-gate': 'password' }).waitFor();
      expect(await page.getByTestId('nav-groups').count()).toBe(0);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `lock-password-${size}-${lang}`);

      // offline the password cannot be checked
      await page.getByTestId('lock-password').fill(DEMO_PASSWORD);
      await page.getByTestId('lock-password-submit').click();
      const err = page.getByTestId('lock-password-error');
      await err.waitFor();
      expect(await err.textContent()).toMatch(lang === 'en' ? /needs a network/ : /需要网络/);

      // back online, still at the gate: the unsent finding reaches the relay behind it
      await context.setOffline(false);
      const who = await login(suite.server.url, 'demo015');
      const client = connectGroup(suite.server.wsUrl, groupId, who.token);
      try {
        await waitFor(() => client.provider.synced && entryCount(client.doc) === 1, 30_000, 'finding on the relay');
      } finally {
        client.destroy();
      }
      await byTestId(page, 'lock-screen', { 'data-gate': 'password' }).waitFor();

      if (size === 'desk') {
        await page.getByTestId('lock-password').fill('not-the-password');
        await page.getByTestId('lock-password-submit').click();
        await page
          .getByTestId('lock-password-error')
          .filter({ hasText: lang === 'en' ? 'Wrong' : '错误' })
          .waitFor();
      }
      await page.getByTestId('lock-password').fill(DEMO_PASSWORD);
      await page.getByTestId('lock-password-submit').click();
      await page.getByTestId('pin-set-form').waitFor();
      await page.getByTestId('pin-new').fill(NEW_PIN);
      await page.getByTestId('pin-confirm').fill(NEW_PIN);
      await page.getByTestId('pin-set').click();
      await page.getByTestId('nav-groups').waitFor();
      // the same officer's group, its finding acknowledged
      await page.evaluate((h) => (location.hash = h), `#/groups/${groupId}`);
      await byTestId(page, 'group-meta', { 'data-group-id': groupId }).waitFor();
      await byTestId(page, 'sync-state', { 'data-state': 'saved' }).waitFor();
      expect(await page.getByTestId('timeline-entry').count()).toBe(1);

      // the old PIN is gone, the new one opens
      if (size === 'phone') {
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('settings-lock').click();
      } else await page.getByTestId('lock-now').click();
      await page.getByTestId('unlock-pin').fill(DEMO_PIN);
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('unlock-error').waitFor();
      await page.getByTestId('unlock-pin').fill(NEW_PIN);
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('nav-groups').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
