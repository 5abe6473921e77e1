/**
 * REQ-1: requests (decision, close and supervision requests) are records like any other; the relay judges them and
 * writes its verdict on the ones it refuses into `server:refusals`, so every replica shows them as refused.
 */
import type * as Y from 'yjs';
import { Root, rootMap } from './schema.ts';

export interface RefusalRecord {
  /** Why: `not-a-leader`, `not-allowed`, `open-tasks`, `no-approval`, … */
  code: string;
  /** Server time of the verdict. */
  at: number;
}

export const refusalKey = (collection: string, id: string): string => `${collection}/${id}`;

export function readRefusal(doc: Y.Doc, collection: string, id: string): RefusalRecord | null {
  const v = rootMap(doc, Root.refusals).get(refusalKey(collection, id)) as Partial<RefusalRecord> | undefined;
  return v && typeof v.code === 'string' && typeof v.at === 'number' ? { code: v.code, at: v.at } : null;
}

/** Server: records refusals of requests, once each (a verdict is never rewritten). */
export function recordRefusals(
  doc: Y.Doc,
  refusals: readonly { collection: string; id: string; code: string }[],
  now: number,
  origin: unknown,
): void {
  const map = rootMap(doc, Root.refusals);
  const todo = refusals.filter((r) => !map.has(refusalKey(r.collection, r.id)));
  if (todo.length === 0) return;
  doc.transact(() => {
    for (const r of todo) map.set(refusalKey(r.collection, r.id), { code: r.code, at: now });
  }, origin);
}
