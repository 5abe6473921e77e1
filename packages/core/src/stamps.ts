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

/**
 * Records added or replaced by a transaction, for stamping only what changed. Matched through each changed
 * item's parent, not through the type instance: a root type first seen in an update is re-created by
 * `doc.getMap`, so the instance a transaction recorded may no longer be the one in `doc.share`.
 */
export function changedRefs(doc: Y.Doc, transaction: Y.Transaction): readonly RecordRef[] {
  // PERF-1: several relay hooks ask about the same finished transaction; device collections do not change after it.
  const known = refsOf.get(transaction);
  if (known) return known;
  const refs = findChangedRefs(doc, transaction);
  refsOf.set(transaction, refs);
  return refs;
}

const refsOf = new WeakMap<Y.Transaction, readonly RecordRef[]>();

function findChangedRefs(doc: Y.Doc, transaction: Y.Transaction): RecordRef[] {
  const names = new Map<unknown, string>();
  for (const [name, type] of doc.share) names.set(type, name);
  const stamped = new Set<string>(STAMPED_COLLECTIONS);
  const out: RecordRef[] = [];
  for (const [type, keys] of transaction.changed) {
    if (type._item !== null) continue;
    for (const key of keys) {
      if (key === null) continue;
      const item = type._map.get(key);
      if (!item || item.deleted) continue;
      const name = names.get(item.parent);
      if (name !== undefined && stamped.has(name)) out.push({ collection: name as StampedCollection, id: key });
    }
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
