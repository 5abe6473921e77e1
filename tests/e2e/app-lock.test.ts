/**
 * LOCK-1..3: lock, don't log out. A PIN is set after the first online login on a device; the app locks on request
 * or after the admin's lock time without use, and opens again with the PIN offline; logging out lives in settings
 * and asks first, naming the changes the server has not acknowledged, which stay on the device for the same officer
 * and are sent after the next login.
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { DEMO_PASSWORD, DEMO_PIN, addFinding, byTestId, loginAs, startGroup } from './support.ts';
import { browserSuite } from './suite.ts';
import { EVERY_SCREEN, SIZES, axeBlocking, shot } from './ux.ts';
import type { Lang, Size } from './ux.ts';

const LOCK_MINUTES = 7;

describe.skipIf(!browserAvailable())('browser: the app lock (LOCK-1..3)', () => {
  const suite = browserSuite({ env: { MUSTER_LOCK_MINUTES: String(LOCK_MINUTES) } });

  async function fresh(size: Size, lang: Lang) {
    const opened = await suite.open({ viewport: SIZES[size], bypassCSP: true, deviceScaleFactor: 1 });
    await opened.context.addInitScript((l: string) => localStorage.setItem('muster.locale', l), lang);
    return opened;
  }

  it.each(EVERY_SCREEN)(
    'LOCK-1 A11Y-1: a PIN is set at the first online login, the app locks and opens offline with it ($size, $lang)',
    async ({ size, lang }) => {
      const { page, context, errors } = await fresh(size, lang);
      await page.goto(`${suite.server.url}/`);
      await page.getByTestId('login-policeNo').fill('demo015');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();

      // the PIN form stands before the app; two different PINs are refused
      await page.getByTestId('pin-set-form').waitFor();
      expect(await page.getByTestId('new-group').count()).toBe(0);
      expect(await page.getByTestId('nav-groups').count()).toBe(0);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `pin-set-${size}-${lang}`);
      await page.getByTestId('pin-new').fill(DEMO_PIN);
      await page.getByTestId('pin-confirm').fill('1357');
      await page.getByTestId('pin-set').click();
      await page.getByTestId('pin-error').waitFor();
      await page.getByTestId('pin-new').fill(DEMO_PIN);
      await page.getByTestId('pin-confirm').fill(DEMO_PIN);
      await page.getByTestId('pin-set').click();
      await page.getByTestId('new-group').waitFor();

      // no PIN or hash of it is readable as the PIN itself
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
      expect(stored).not.toContain(`"${DEMO_PIN}"`);

      // offline, locked by hand (the top bar on wider screens, settings on a phone)
      await context.setOffline(true);
      await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
      if (size === 'phone') {
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('settings-lock').click();
      } else await page.getByTestId('lock-now').click();
      await byTestId(page, 'lock-screen', { 'data-gate': 'locked' }).waitFor();
      expect(await page.getByTestId('nav-groups').count()).toBe(0);
      expect(await axeBlocking(page)).toEqual([]);
      await shot(page, `locked-${size}-${lang}`);

      await page.getByTestId('unlock-pin').fill('0000');
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('unlock-error').waitFor();
      await page.getByTestId('unlock-pin').fill(DEMO_PIN);
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('nav-groups').waitFor();
      expect(await page.getByTestId('lock-screen').count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('LOCK-2: the app locks itself after the lock time the admin set, not before', async () => {
    const { page, context, errors } = await fresh('tablet', 'zh-CN');
    // the page's clock is the test's: minutes pass without waiting
    await page.clock.install();
    await loginAs(page, suite.server.url, 'demo015');
    await page.getByTestId('nav-settings').click();
    await byTestId(page, 'settings-lock-minutes', { 'data-minutes': String(LOCK_MINUTES) }).waitFor();
    await page.getByTestId('nav-groups').click();
    await page.getByTestId('new-group').waitFor();

    await page.clock.fastForward((LOCK_MINUTES - 1) * 60_000);
    await page.getByTestId('new-group').click(); // use resets the time
    await page.clock.fastForward((LOCK_MINUTES - 1) * 60_000);
    expect(await page.getByTestId('lock-screen').count()).toBe(0);
    await page.clock.fastForward(2 * 60_000);
    await byTestId(page, 'lock-screen', { 'data-gate': 'locked' }).waitFor();

    // a reload does not open it: the time without use is kept on the device
    await page.reload();
    await byTestId(page, 'lock-screen', { 'data-gate': 'locked' }).waitFor();
    await page.getByTestId('unlock-pin').fill(DEMO_PIN);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('nav-groups').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('LOCK-3: logout asks first and names the unsent changes; they stay for the same officer and sync after login', async () => {
    const { page, context, errors } = await fresh('tablet', 'zh-CN');
    await loginAs(page, suite.server.url, 'demo015');
    await context.setOffline(true);
    await byTestId(page, 'connection', { 'data-state': 'offline' }).waitFor();
    const groupId = await startGroup(page, { kind: 'task', title: '退出前未发送 (fictional)' });
    await addFinding(page, '离线记录，退出登录前未发送 (fictional)');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-logout').click();
    const unsent = page.getByTestId('logout-unsent');
    await unsent.waitFor();
    expect(Number(await unsent.getAttribute('data-changes'))).toBeGreaterThan(0);
    expect(await unsent.getAttribute('data-groups')).toBe('1');
    expect(await unsent.textContent()).toContain(await unsent.getAttribute('data-changes'));
    expect(await axeBlocking(page)).toEqual([]);
    await shot(page, 'logout-confirm-tablet-zh-CN');
    await page.getByTestId('logout-cancel').click();
    expect(await page.getByTestId('settings-person').textContent()).toContain('demo015');

    await page.getByTestId('settings-logout').click();
    await page.getByTestId('logout-confirm-yes').click();
    await page.getByTestId('login-form').waitFor();

    // online again, the same officer logs in (the PIN is kept: not asked again) and the kept work is sent
    await context.setOffline(false);
    await loginAs(page, suite.server.url, 'demo015');
    const me = await login(suite.server.url, 'demo015');
    const c = connectGroup(suite.server.wsUrl, groupId, me.token);
    try {
      await waitFor(
        () =>
          [...c.doc.getMap<{ text?: string }>('entries').values()].some((e) => e.text?.includes('退出登录前未发送')),
        30_000,
        'the kept finding on the relay',
      );
    } finally {
      c.destroy();
    }
    expect(errors).toEqual([]);
  });
});
