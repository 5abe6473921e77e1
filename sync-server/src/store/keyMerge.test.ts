import { describe, expect, it } from 'vitest';
import { chunkSize, mergeKeyRanges } from './keyMerge.ts';
import type { KeyRow } from './keyMerge.ts';

/** An index of key -> rows in version order, with a count of the rows read. */
function index(entries: Record<string, [string, number][]>) {
  let read = 0;
  const ranges = new Map(
    Object.entries(entries).map(([k, rows]) => [k, rows.map(([groupId, version]) => ({ groupId, version }))]),
  );
  const readRange = (key: string, after: number, n: number): KeyRow[] => {
    const rows = (ranges.get(key) ?? []).filter((r) => r.version > after).slice(0, n);
    read += rows.length;
    return rows;
  };
  return { readRange, read: () => read };
}

describe('HIST-1 lazy merge of key ranges', () => {
  it('HIST-1: distinct groups in version order after the cursor, at most the limit', () => {
    const ix = index({
      'p:a': [
        ['g1', 1],
        ['g4', 4],
      ],
      'post:x': [
        ['g2', 2],
        ['g4', 4],
        ['g5', 5],
      ],
      'u:u1': [['g3', 3]],
    });
    const keys = ['p:a', 'post:x', 'u:u1'];
    expect(mergeKeyRanges(keys, 0, 10, ix.readRange).map((r) => r.groupId)).toEqual(['g1', 'g2', 'g3', 'g4', 'g5']);
    expect(mergeKeyRanges(keys, 2, 2, ix.readRange)).toEqual([
      { groupId: 'g3', version: 3 },
      { groupId: 'g4', version: 4 },
    ]);
    expect(mergeKeyRanges(keys, 5, 10, ix.readRange)).toEqual([]);
    expect(mergeKeyRanges([], 0, 10, ix.readRange)).toEqual([]);
  });

  it('HIST-1: a page over many keys reads about the page, not the page times the keys', () => {
    // 30 keys (a city leader's units), 3,000 groups spread over them round-robin.
    const entries: Record<string, [string, number][]> = {};
    for (let v = 1; v <= 3000; v++) (entries[`u:${v % 30}`] ??= []).push([`g${v}`, v]);
    const ix = index(entries);
    const page = mergeKeyRanges(Object.keys(entries), 0, 200, ix.readRange);
    expect(page.map((r) => r.version)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // The eager merge read 30 × 200 = 6,000 rows; lazily: the page plus at most two chunks a key.
    expect(ix.read()).toBeLessThanOrEqual(200 + 2 * 30 * chunkSize(30, 200));
  });

  it('HIST-9: a group is removed only when every row of it under the keys is a tombstone, and only when asked', () => {
    const rows: Record<string, KeyRow[]> = {
      'p:a': [
        { groupId: 'g1', version: 1, removed: true },
        { groupId: 'g2', version: 2, removed: true },
      ],
      'post:x': [
        { groupId: 'g1', version: 1 },
        { groupId: 'g3', version: 3 },
      ],
    };
    const read = (key: string, after: number, n: number) =>
      (rows[key] ?? []).filter((r) => r.version > after).slice(0, n);
    expect(mergeKeyRanges(['p:a', 'post:x'], 0, 10, read, true)).toEqual([
      { groupId: 'g1', version: 1 },
      { groupId: 'g2', version: 2, removed: true },
      { groupId: 'g3', version: 3 },
    ]);
    expect(mergeKeyRanges(['p:a', 'post:x'], 0, 10, read).map((r) => r.groupId)).toEqual(['g1', 'g3']);
    expect(mergeKeyRanges(['p:a', 'post:x'], 0, 2, read, true).map((r) => r.groupId)).toEqual(['g1', 'g2']);
  });
});
