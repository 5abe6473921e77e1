import { describe, expect, it } from 'vitest';
import type { GroupIndexFields } from '../db/schema.ts';
import { DAY_MS, retentionDays, toRemove } from './retention.ts';

const NOW = 100 * DAY_MS;

function row(id: string, over: Partial<GroupIndexFields> = {}): GroupIndexFields {
  return {
    id,
    title: id,
    kind: 'task',
    initiatorName: '张三',
    createdAt: 1,
    updatedAt: 1,
    entryCount: 1,
    pending: 0,
    ackedStateVector: null,
    ackedAt: null,
    lastOpenedAt: null,
    holders: ['p1'],
    syncedAt: 5,
    ...over,
  };
}
const closedAt = (at: number) => ({
  status: { closedAt: at, invited: 0, signed: 0, openDeadlines: [], closureDeadline: null },
});

describe('closed groups leaving the device (KEEP-1)', () => {
  it('KEEP-1: removes closed groups past the retention, never with unsent work, refused records or open on screen', () => {
    const rows = [
      row('open'),
      row('closed-recently', closedAt(NOW - 2 * DAY_MS)),
      row('closed-long-ago', closedAt(NOW - 4 * DAY_MS)),
      row('unsent', { ...closedAt(NOW - 4 * DAY_MS), pending: 2 }),
      row('kept', closedAt(NOW - 4 * DAY_MS)),
      row('removed-already', { ...closedAt(NOW - 4 * DAY_MS), removedAt: NOW - DAY_MS }),
    ];
    expect(toRemove(rows, NOW, 3, (id) => id === 'kept')).toEqual(['closed-long-ago']);
  });

  it('KEEP-2: a group on a legal hold stays past the retention; once the hold is lifted it leaves', () => {
    const held = row('held', { status: { ...closedAt(NOW - 4 * DAY_MS).status, heldAt: NOW - 3 * DAY_MS } });
    const lifted = row('lifted', { status: { ...closedAt(NOW - 4 * DAY_MS).status, heldAt: null } });
    expect(toRemove([held, lifted], NOW, 3)).toEqual(['lifted']);
  });

  it('KEEP-1: the retention is the server’s, within 1..3650 days, 30 by default', () => {
    expect(retentionDays(7)).toBe(7);
    expect(retentionDays(0)).toBe(1);
    expect(retentionDays(10_000)).toBe(3650);
    expect(retentionDays('x')).toBe(30);
  });
});
