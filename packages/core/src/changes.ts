/**
 * PERF-1: what a run of transactions changed, per root: the keys of each root map that were set or deleted. The
 * relay gathers it between two commits, so the views it keeps up to date (deadline, addressees, inbox deliveries,
 * the group-list row, statistics) look at the records the update changed instead of the whole document.
 */
import * as Y from 'yjs';
import { Root } from './schema.ts';

/** Root name → keys changed in it (an empty set: the root changed, but not through map keys). */
export type ChangedKeys = Map<string, Set<string>>;
export type ReadonlyChangedKeys = ReadonlyMap<string, ReadonlySet<string>>;

/** Name under which a change of an unknown (not yet named) root type is recorded: always "something changed". */
export const UNKNOWN_ROOT = '?';

/** Adds what one transaction changed to `into`. */
export function addChanges(into: ChangedKeys, doc: Y.Doc, transaction: Y.Transaction): void {
  let names: Map<unknown, string> | null = null;
  const nameOf = (type: unknown): string => {
    if (!names) {
      names = new Map();
      for (const [name, t] of doc.share) names.set(t, name);
    }
    return names.get(type) ?? UNKNOWN_ROOT;
  };
  const add = (root: string, key: string | null): void => {
    let keys = into.get(root);
    if (!keys) into.set(root, (keys = new Set()));
    if (key !== null) keys.add(key);
  };
  for (const [type, keys] of transaction.changed) {
    if (type._item === null) {
      const root = nameOf(type);
      if (keys.size === 0) add(root, null);
      for (const key of keys) add(root, key);
      continue;
    }
    // A change inside a nested type: the record it belongs to is the top-level key of the root it hangs from.
    let item: Y.Item = type._item;
    while (item.parent instanceof Y.AbstractType && item.parent._item !== null) item = item.parent._item;
    add(item.parent instanceof Y.AbstractType ? nameOf(item.parent) : UNKNOWN_ROOT, item.parentSub);
  }
}

/**
 * The records changed, per collection: the keys changed in each root, and the records whose server stamp changed
 * (`server:stamps` keys `collection/id` are folded into their collection) or whose recorded recipients changed
 * (`server:recipients` keys are clue ids: folded into `entries`, CLUE-5).
 */
export function changedRecords(changes: ReadonlyChangedKeys): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (root: string, key: string | null): void => {
    let keys = out.get(root);
    if (!keys) out.set(root, (keys = new Set()));
    if (key !== null) keys.add(key);
  };
  for (const [root, keys] of changes) {
    if (root === Root.recipients) {
      add(Root.entries, null);
      for (const k of keys) add(Root.entries, k);
      continue;
    }
    if (root !== Root.stamps) {
      add(root, null);
      for (const k of keys) add(root, k);
      continue;
    }
    for (const k of keys) {
      const slash = k.indexOf('/');
      if (slash > 0) add(k.slice(0, slash), k.slice(slash + 1));
    }
  }
  return out;
}

/** Whether any of these roots (or an unknown root) changed. */
export function touchesAny(changed: ReadonlyMap<string, unknown>, roots: readonly string[]): boolean {
  if (changed.has(UNKNOWN_ROOT)) return true;
  return roots.some((r) => changed.has(r));
}
