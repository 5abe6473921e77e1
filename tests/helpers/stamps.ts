/** What a group document's stamps map shows of how it was written (the cluster tests' check for double writes). */
import { Root } from '@muster/core';
import type * as Y from 'yjs';

/** How many times each stamp key was written (1 when never overwritten). */
export function stampWrites(doc: Y.Doc): Map<string, number> {
  const stamps = doc.getMap(Root.stamps);
  const out = new Map<string, number>();
  for (const key of stamps.keys()) {
    let n = 0;
    for (let item = stamps._map.get(key) ?? null; item; item = item.left) n++;
    out.set(key, n);
  }
  return out;
}
