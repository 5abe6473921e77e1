/** Reading stamped device records and the closure state, shared by the feature modules. */
import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { compareRecords } from './order.ts';
import { CLOSURE_KEY, Root, rootMap } from './schema.ts';
import type { ClosureRecord, StampedCollection } from './schema.ts';
import { stampOf } from './stamps.ts';
import { parseClosure } from './validate.ts';

export interface Stamped<T> {
  record: T;
  id: string;
  deviceTime: number;
  /** Server stamp, null while the relay has not seen the record. */
  serverTime: number | null;
  /** LATE-1: the server stamped it after the group's closure ("received after closure"). */
  afterClosure: boolean;
}

/**
 * Valid records of a device collection (key must equal the record id), in derived order (TL-1). With `only`, just
 * the records under those keys (PERF-1: a view kept up to date looks at what an update changed).
 */
export function stampedRecords<T extends { id: string; deviceTime: number }>(
  doc: Y.Doc,
  collection: StampedCollection,
  parse: (v: unknown) => T | null,
  only?: Iterable<string>,
): Stamped<T>[] {
  const closedAt = readClosure(doc)?.at ?? null;
  const out: Stamped<T>[] = [];
  const map = rootMap(doc, collection);
  const pairs: Iterable<[string, unknown]> = only
    ? [...only].map((key): [string, unknown] => [key, map.get(key)])
    : map.entries();
  for (const [key, value] of pairs) {
    const record = parse(value);
    if (!record || record.id !== key) continue;
    const serverTime = stampOf(doc, collection, key)?.at ?? null;
    out.push({
      record,
      id: key,
      deviceTime: record.deviceTime,
      serverTime,
      afterClosure: isAfterClosure(closedAt, serverTime),
    });
  }
  return out.sort(compareRecords);
}

/** LATE-1: a record is "received after closure" when its server stamp is later than the closure's. */
export function isAfterClosure(closedAt: number | null, serverTime: number | null): boolean {
  return closedAt !== null && serverTime !== null && serverTime > closedAt;
}

/** The closure record written by the relay, or null while the group is open (as far as this replica knows). */
export function readClosure(doc: Y.Doc): ClosureRecord | null {
  return parseClosure(rootMap(doc, Root.closure).get(CLOSURE_KEY));
}

export function isClosed(doc: Y.Doc): boolean {
  return readClosure(doc) !== null;
}

/**
 * CLOSE-5: commands refuse to write into a group this replica knows is closed. A device that has not heard of the
 * closure still writes (offline); what it wrote is kept and marked received after closure (LATE-1).
 */
export function assertOpen(doc: Y.Doc): void {
  if (isClosed(doc)) throw new CommandError('closed', 'this group is closed and read-only');
}
