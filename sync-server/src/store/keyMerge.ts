/**
 * HIST-1: a page of the list index for several keys, merged lazily. Each key's index range is read in small chunks
 * (in version order, after the last version read) and a chunk is refilled only when its key holds the smallest
 * version left, so a page costs about `limit` rows plus one chunk per key, however many keys the asker has (a city
 * leader lists under every unit of the city) and however long the history is.
 */

/** One row of a key's index range; `removed`: the group left that key (HIST-9 tombstone). */
export interface KeyRow {
  groupId: string;
  version: number;
  removed?: boolean;
}

/** Reads at most `n` rows of `key` with a version above `after`, in version order. */
export type ReadKeyRange = (key: string, after: number, n: number) => readonly KeyRow[];

interface Cursor {
  key: string;
  rows: readonly KeyRow[];
  pos: number;
  after: number;
  done: boolean;
}

/** The chunk read per key: the page spread over the keys, at least 8 rows and at most the page. */
export const chunkSize = (keys: number, limit: number): number =>
  Math.max(1, Math.min(limit, Math.max(8, Math.ceil((2 * limit) / Math.max(1, keys)))));

/**
 * Distinct groups under any of `keys` with a version above `since`, oldest change first, at most `limit`. Every key
 * row of a group holds the group's one list version, so the rows of one group come together: a group is removed
 * (HIST-9) when every row of it under `keys` is a tombstone, and removals are left out unless `removals`.
 */
export function mergeKeyRanges(
  keys: readonly string[],
  since: number,
  limit: number,
  read: ReadKeyRange,
  removals = false,
): KeyRow[] {
  const n = chunkSize(keys.length, limit);
  const cursors: Cursor[] = keys.map((key) => ({ key, rows: [], pos: 0, after: since, done: false }));
  const head = (c: Cursor): KeyRow | null => {
    if (c.pos < c.rows.length) return c.rows[c.pos]!;
    if (c.done) return null;
    c.rows = read(c.key, c.after, n);
    c.pos = 0;
    c.done = c.rows.length < n;
    if (c.rows.length > 0) c.after = c.rows[c.rows.length - 1]!.version;
    return c.rows[0] ?? null;
  };
  const out: KeyRow[] = [];
  while (out.length < limit) {
    let version = Infinity;
    for (const c of cursors) version = Math.min(version, head(c)?.version ?? Infinity);
    if (version === Infinity) break;
    // every row at this version (one group's rows under the asker's keys)
    const byGroup = new Map<string, boolean>();
    for (const c of cursors) {
      for (let r = head(c); r && r.version === version; r = head(c)) {
        byGroup.set(r.groupId, (byGroup.get(r.groupId) ?? true) && r.removed === true);
        c.pos++;
      }
    }
    for (const [groupId, removed] of byGroup) {
      if (removed && !removals) continue;
      out.push(removed ? { groupId, version, removed } : { groupId, version });
    }
  }
  return out.slice(0, limit);
}
