import { describe, expect, it } from 'vitest';
import type { OverdueEvent, TimelineItem } from '@muster/core';
import { timelineRows } from './timelineRows.ts';

const item = (id: string, deviceTime: number, serverTime: number | null): TimelineItem => ({
  id,
  deviceTime,
  serverTime,
  doneAt: serverTime ?? deviceTime,
  attestedAt: null,
  entry: { id, type: 'finding', text: id, author: { personId: 'a', name: 'A' }, deviceTime },
});
const ev = (id: string, at: number): OverdueEvent => ({
  id,
  type: 'overdue',
  invitationId: id,
  postId: 'p',
  escalatedToPostId: null,
  deadline: at - 1,
  at,
});

describe('timeline rows (ESC-1 events in the timeline)', () => {
  it('places overdue events by server time among entries, unstamped entries by device time', () => {
    const rows = timelineRows([item('a', 1, 10), item('b', 2, 30), item('c', 50, null)], [ev('x', 20), ev('y', 99)]);
    expect(rows.map((r) => r.key)).toEqual(['a', 'event:x', 'b', 'c', 'event:y']);
  });
});
