import { describe, expect, it } from 'vitest';
import type { GroupIndexFields } from '../db/schema.ts';
import {
  BUDGET_MAX_BYTES,
  RECENT_CLOSED_MS,
  budgetBytes,
  prefetchOrder,
  readinessOf,
  withinBudget,
} from './prefetchPlan.ts';

const NOW = 10 * RECENT_CLOSED_MS;

function row(id: string, over: Partial<GroupIndexFields> = {}): GroupIndexFields {
  return {
    id,
    title: id,
    kind: 'task',
    initiatorName: '张三',
    createdAt: 1,
    updatedAt: 100,
    entryCount: 0,
    pending: 0,
    ackedStateVector: null,
    ackedAt: null,
    lastOpenedAt: null,
    holders: ['p1'],
    ...over,
  };
}

const closed = (closedAt: number) => ({
  status: { closedAt, invited: 0, signed: 0, openDeadlines: [], closureDeadline: null },
});

describe('background fetch plan (OFFL-1)', () => {
  it('OFFL-1: fetches open and recently closed groups the device lacks, missing before stale, in list order', () => {
    const rows = [
      row('stale', { syncedAt: 50, updatedAt: 100 }),
      row('fresh', { syncedAt: 100, updatedAt: 100 }),
      row('missing'),
      row('closed-recently', closed(NOW - RECENT_CLOSED_MS + 1)),
      row('closed-long-ago', closed(NOW - RECENT_CLOSED_MS - 1)),
      row('skipped'),
    ];
    expect(prefetchOrder(rows, NOW, new Set(['skipped']))).toEqual(['missing', 'closed-recently', 'stale']);
  });

  it('OFFL-1: a row is ready once the device holds its document; the one being fetched says so', () => {
    expect(readinessOf(row('a'), null)).toBe('not-ready');
    expect(readinessOf(row('a', { syncedAt: 5 }), null)).toBe('ready');
    expect(readinessOf(row('a'), 'a')).toBe('fetching');
    expect(readinessOf(row('a', { removedAt: 9 }), null)).toBe('removed');
  });

  it('OFFL-1: the storage budget is half the quota, at most 1 GiB; no estimate never blocks', () => {
    expect(budgetBytes(1000)).toBe(500);
    expect(budgetBytes(10 * BUDGET_MAX_BYTES)).toBe(BUDGET_MAX_BYTES);
    expect(budgetBytes(undefined)).toBeNull();
    expect(withinBudget({ usage: 499, quota: 1000 })).toBe(true);
    expect(withinBudget({ usage: 500, quota: 1000 })).toBe(false);
    expect(withinBudget(null)).toBe(true);
    expect(withinBudget({ quota: 1000 })).toBe(true);
  });
});
