/**
 * NOTIF-1, NOTIF-2: an officer at the management desk has allowed notifications; another officer starts a group by
 * one tap that invites the desk's post; the desk's page shows a system notification through its service worker
 * (`registration.getNotifications()`), tagged with the group, urgent (stays until tapped).
 */
import { describe, expect, it } from 'vitest';
import { browserAvailable, waitForServiceWorker } from '../helpers/browser.ts';
import { MGMT_POST, byTestId, loginAs } from './support.ts';
import { browserSuite } from './suite.ts';

interface Shown {
  title: string;
  tag: string;
  requireInteraction: boolean;
  data: { groupId?: string; kind?: string; url?: string } | null;
}

describe.skipIf(!browserAvailable())('browser: system notifications', () => {
  const suite = browserSuite();

  it('NOTIF-1 NOTIF-2: an invitation to my post shows as an urgent system notification tagged with its group', async () => {
    // The management desk allows notifications (the browser's permission; the settings page reflects it).
    const desk = await suite.open();
    await desk.context.grantPermissions(['notifications'], { origin: suite.server.url });
    await loginAs(desk.page, suite.server.url, 'demo005');
    await waitForServiceWorker(desk.page);
    await desk.page.getByTestId('nav-settings').click();
    const state = desk.page.getByTestId('settings-notifications');
    if ((await state.getAttribute('data-state')) === 'default')
      await desk.page.getByTestId('settings-notify-enable').click();
    await byTestId(desk.page, 'settings-notifications', { 'data-state': 'granted' }).waitFor();
    expect(
      await desk.page.evaluate(async () =>
        (await navigator.serviceWorker.getRegistration())!.getNotifications().then((n) => n.length),
      ),
    ).toBe(0);

    // A station officer starts a theft/robbery group by one tap: the template invites the management desk.
    const station = await suite.open({ policeNo: 'demo015' });
    await station.page.getByTestId('new-group').click();
    await byTestId(station.page, 'template-option', { 'data-incident-type': 'theft' }).click();
    await byTestId(station.page, 'template-post', { 'data-post-id': MGMT_POST }).waitFor();
    await station.page.getByTestId('one-tap-title').fill('通知测试 (fictional)');
    await station.page.getByTestId('one-tap-number').fill('J2030-0500');
    await station.page.getByTestId('one-tap-address').fill('东湖路 1 号 (fictional)');
    await station.page.getByTestId('one-tap-start').click();
    const meta = station.page.getByTestId('group-meta');
    await meta.waitFor();
    const groupId = (await meta.getAttribute('data-group-id'))!;
    expect(groupId).toBeTruthy();
    await byTestId(station.page, 'invitation-row', { 'data-post-id': MGMT_POST, 'data-status': 'waiting' }).waitFor();

    // The desk's service worker shows the notification, tagged with the group.
    // (page.waitForFunction does not wait on a predicate's promise: it is truthy at once. Poll instead.)
    const shownNow = () =>
      desk.page.evaluate(async (id) => {
        const reg = await navigator.serviceWorker.getRegistration();
        const n = ((await reg?.getNotifications()) ?? []).find(
          (x) => (x.data as { groupId?: string } | null)?.groupId === id,
        );
        return n
          ? { title: n.title, tag: n.tag, requireInteraction: n.requireInteraction, data: n.data as Shown['data'] }
          : null;
      }, groupId);
    await expect.poll(shownNow, { timeout: 30_000, interval: 200 }).not.toBeNull();
    const shown = (await shownNow())!;
    expect(shown.tag).toBe(`muster-group-${groupId}`);
    expect(shown.title).toContain('通知测试');
    expect(shown.data?.kind).toBe('invitation');
    expect(shown.data?.url).toBe(`${suite.server.url}/#/groups/${encodeURIComponent(groupId)}`);
    // NOTIF-2: an invitation is urgent and stays until tapped.
    expect(shown.requireInteraction).toBe(true);

    expect(desk.errors).toEqual([]);
    expect(station.errors).toEqual([]);
  });
});
