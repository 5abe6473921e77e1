import type * as Y from 'yjs';
import { isStamp, stampKey } from '@muster/protocol';
import type { Stamp } from '@muster/protocol';
import { STAMPED_COLLECTIONS, rootMap, stampsMap } from './schema.ts';
import type { StampedCollection } from './schema.ts';

/** A device record: its collection (root map) and its key there (the meta record's key is `group`). */
export interface RecordRef {
  collection: StampedCollection;
  id: string;
}

/** The server stamp of a record, if the relay has stamped it. */
export function stampOf(doc: Y.Doc, collection: StampedCollection, id: string): Stamp | null {
  const s = stampsMap(doc).get(stampKey(collection, id));
  return isStamp(s) ? s : null;
}

/** Every device record that has no server stamp yet (a full scan; used when a document is loaded). */
export function unstampedRefs(doc: Y.Doc): RecordRef[] {
  const stamps = stampsMap(doc);
  const out: RecordRef[] = [];
  for (const collection of STAMPED_COLLECTIONS) {
    for (const key of rootMap(doc, collection).keys()) {
      if (!stamps.has(stampKey(collection, key))) out.push({ collection, id: key });
    }
  }
  return out;
}

/** Records added or replaced by a transaction, for stamping only what changed. */
export function changedRefs(doc: Y.Doc, transaction: Y.Transaction): RecordRef[] {
  const out: RecordRef[] = [];
  for (const collection of STAMPED_COLLECTIONS) {
    const map = rootMap(doc, collection);
    const keys = transaction.changed.get(map as unknown as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>);
    if (!keys) continue;
    for (const key of keys) if (key !== null && map.has(key)) out.push({ collection, id: key });
  }
  return out;
}

/**
 * STAMP-1: the relay stamps every record that reaches it without a stamp with its own time. An existing stamp
 * is never changed. Returns the refs stamped. Only the server calls this.
 */
export function stampRecords(doc: Y.Doc, refs: readonly RecordRef[], now: number, origin: unknown): RecordRef[] {
  const stamps = stampsMap(doc);
  const todo = refs.filter((r) => !stamps.has(stampKey(r.collection, r.id)));
  if (todo.length === 0) return [];
  doc.transact(() => {
    for (const r of todo) stamps.set(stampKey(r.collection, r.id), { at: now });
  }, origin);
  return todo;
}
