import { describe, expect, it } from 'vitest';
import type { InboxItem } from '@muster/core';
import { groupTag, notificationFor, VIBRATE_PATTERN } from './notification.ts';

const item = (kind: InboxItem['kind']): InboxItem =>
  ({ id: `${kind}.g1.r1`, kind, groupId: 'g1', groupTitle: 'T', text: 'body', at: 1 }) as InboxItem;

describe('NOTIF-1 NOTIF-2: system notification options', () => {
  it('urgent kinds vibrate and stay; others do not', () => {
    for (const kind of ['invitation', 'escalation'] as const) {
      const n = notificationFor(item(kind), 'http://127.0.0.1:8080');
      expect(n.options.vibrate).toEqual(VIBRATE_PATTERN);
      expect(n.options.requireInteraction).toBe(true);
    }
    for (const kind of ['clue', 'instruction', 'approval'] as const) {
      const n = notificationFor(item(kind), 'http://127.0.0.1:8080');
      expect(n.options.vibrate).toBeUndefined();
      expect(n.options.requireInteraction).toBe(false);
    }
  });

  it('carries the group tag and a same-origin group URL', () => {
    const n = notificationFor(item('clue'), 'http://127.0.0.1:8080');
    expect(n.options.tag).toBe(groupTag('g1'));
    expect(n.options.data).toEqual({
      groupId: 'g1',
      itemId: 'clue.g1.r1',
      kind: 'clue',
      url: 'http://127.0.0.1:8080/#/groups/g1',
    });
  });
});
