/** NOTIF-1, NOTIF-2: what a system notification for an inbox item carries. Pure: tested in Node. */
import type { InboxItem, InboxKind } from '@muster/core';

export const URGENT_KINDS: readonly InboxKind[] = ['invitation', 'escalation'];
export const VIBRATE_PATTERN = [300, 120, 300, 120, 300];

export interface NotificationData {
  groupId: string;
  itemId: string;
  kind: InboxKind;
  /** Same-origin URL of the group (opened by the service worker's notificationclick). */
  url: string;
}

export interface NotificationSpec {
  options: {
    body: string;
    tag: string;
    data: NotificationData;
    icon: string;
    badge: string;
    lang: string;
    renotify: boolean;
    requireInteraction: boolean;
    vibrate?: number[];
  };
}

export function groupTag(groupId: string): string {
  return `muster-group-${groupId}`;
}

export function notificationFor(item: InboxItem, origin: string, lang = 'zh-CN'): NotificationSpec {
  const urgent = URGENT_KINDS.includes(item.kind);
  return {
    options: {
      body: item.text,
      tag: groupTag(item.groupId),
      data: {
        groupId: item.groupId,
        itemId: item.id,
        kind: item.kind,
        url: `${origin}/#/groups/${encodeURIComponent(item.groupId)}`,
      },
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang,
      renotify: true,
      requireInteraction: urgent,
      ...(urgent ? { vibrate: VIBRATE_PATTERN } : {}),
    },
  };
}
