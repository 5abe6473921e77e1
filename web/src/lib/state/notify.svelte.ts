/**
 * NOTIF-1..3: system notifications through the service worker (`registration.showNotification`) for inbox items
 * that arrive while the app is open or in the background. Permission is asked from the settings page only.
 * Urgent items (invitations, escalations) vibrate and stay until tapped; a tap opens the group
 * (`notification-sw.js`, imported by the generated service worker).
 */
import type { InboxItem, InboxKind } from '@muster/core';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { notificationFor } from '../device/notification.ts';

export type NotifyPermission = NotificationPermission | 'unsupported';

function supported(): boolean {
  return typeof Notification !== 'undefined' && 'serviceWorker' in navigator;
}

export class SystemNotifications {
  permission = $state<NotifyPermission>(supported() ? Notification.permission : 'unsupported');

  constructor(private readonly t: (key: MessageKey, params?: Record<string, string>) => string) {
    if (!supported()) return;
    // A permission changed in the browser's own settings shows up here too.
    void navigator.permissions
      ?.query({ name: 'notifications' })
      .then((status) => {
        status.onchange = () => (this.permission = Notification.permission);
      })
      .catch(() => {});
    // NOTIF-3: a tap on a notification while this window is open: the service worker asks it to show the group.
    navigator.serviceWorker.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (e.origin && e.origin !== location.origin) return;
      const msg = e.data as { type?: unknown; hash?: unknown } | null;
      if (msg?.type === 'muster:open' && typeof msg.hash === 'string' && msg.hash.startsWith('#/'))
        location.hash = msg.hash;
    });
    navigator.serviceWorker.startMessages();
  }

  /** Asks for permission (from a button: browsers ignore requests without a user gesture). */
  async request(): Promise<NotifyPermission> {
    if (!supported()) return 'unsupported';
    this.permission = await Notification.requestPermission();
    return this.permission;
  }

  /** Shows a system notification for a fresh inbox item; silently nothing without permission or worker. */
  async show(item: InboxItem): Promise<void> {
    if (!supported() || Notification.permission !== 'granted') return;
    const reg = await navigator.serviceWorker.getRegistration();
    if (!reg) return;
    const n = notificationFor(item, location.origin);
    const title = this.t(`notify.${item.kind satisfies InboxKind}`, { title: item.groupTitle });
    await reg.showNotification(title, n.options as NotificationOptions).catch((e: unknown) => console.warn(e));
  }
}
