/**
 * TRUST-1: clients may not touch the server-owned part of a group document (root types named `server:…`).
 * An incoming update is decoded and each of its items is traced to the root type it would land in, through
 * its parent, or through its origins when the parent is implied; every deletion is traced the same way.
 * Updates that cannot be placed are refused as `out-of-order`: items that refer to structs neither the document
 * nor the update holds, gaps in a client's clock, deletions of unknown structs. Yjs would keep those pending
 * and integrate them later unchecked (for example a deletion of a stamp the relay has not written yet). An
 * honest client only sends such an update in a race with its own sync step 2, which carries the same structs.
 */
import * as Y from 'yjs';
import { SERVER_ROOT_PREFIX } from '@muster/protocol';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type GuardResult =
  | { ok: true }
  | { ok: false; code: 'out-of-order'; detail: string }
  /** REQ-2: every offending item and deletion (struct spans), so the relay can drop just those. */
  | { ok: false; code: 'server-owned'; detail: string; items: Span[]; deletes: Span[] };

export interface Span {
  client: number;
  clock: number;
  len: number;
}

/** Where an item lands: a root type name, nowhere (it becomes garbage), or not traceable. */
type Place = { root: string } | 'gc' | 'unknown';

const isServerRoot = (name: string): boolean => name.startsWith(SERVER_ROOT_PREFIX);

interface ItemSpan {
  clock: number;
  end: number;
  item: Y.Item;
}

export function checkClientUpdate(doc: Y.Doc, decoded: DecodedUpdate): GuardResult {
  const store = doc.store;
  const rootNames = new Map<Y.AbstractType<any>, string>();
  for (const [name, type] of doc.share) rootNames.set(type, name);

  // Every client's structs must continue where the document ends, without gaps (Skip structs are gaps).
  const reach = new Map<number, number>();
  for (const s of decoded.structs) {
    const expected = reach.get(s.id.client) ?? Y.getState(store, s.id.client);
    if (s instanceof Y.Skip || s.id.clock > expected) {
      return { ok: false, code: 'out-of-order', detail: `gap before ${s.id.client}:${s.id.clock}` };
    }
    reach.set(s.id.client, Math.max(expected, s.id.clock + s.length));
  }

  // Items of the update by client, in clock order (the decoder yields them so).
  const spans = new Map<number, ItemSpan[]>();
  const gcs: Span[] = [];
  for (const s of decoded.structs) {
    if (s instanceof Y.GC) gcs.push({ client: s.id.client, clock: s.id.clock, len: s.length });
    if (!(s instanceof Y.Item)) continue;
    let list = spans.get(s.id.client);
    if (!list) spans.set(s.id.client, (list = []));
    list.push({ clock: s.id.clock, end: s.id.clock + s.length, item: s });
  }
  const updateItemAt = (id: Y.ID): Y.Item | null => {
    const list = spans.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.clock) hi = mid - 1;
      else if (id.clock >= s.end) lo = mid + 1;
      else return s.item;
    }
    return null;
  };

  // Garbage of the update (the relay drops refused items as garbage, REQ-2): what builds on it becomes garbage.
  const gcAt = (id: Y.ID): Span | null =>
    gcs.find((g) => g.client === id.client && g.clock <= id.clock && id.clock < g.clock + g.len) ?? null;

  const placeOfType = (type: Y.AbstractType<any>): Place => {
    let t = type;
    while (t._item !== null) {
      const parent = t._item.parent;
      if (!(parent instanceof Y.AbstractType)) return 'unknown';
      t = parent;
    }
    const name = rootNames.get(t) ?? Y.findRootTypeKey(t);
    return { root: name };
  };

  const placeOfDocStruct = (id: Y.ID): Place | null => {
    if (id.clock >= Y.getState(store, id.client)) return null;
    const structs = store.clients.get(id.client)!;
    const s = structs[Y.findIndexSS(structs, id.clock)];
    if (!(s instanceof Y.Item)) return 'gc';
    return s.parent instanceof Y.AbstractType ? placeOfType(s.parent) : 'unknown';
  };

  // Places of update items, resolved without recursion (origin chains can be long).
  const memo = new Map<Y.Item, Place>();
  const visiting = new Set<Y.Item>();
  const placeOfUpdateItem = (start: Y.Item): Place => {
    const stack: Y.Item[] = [start];
    while (stack.length > 0) {
      const item = stack[stack.length - 1]!;
      if (memo.has(item)) {
        stack.pop();
        continue;
      }
      visiting.add(item);
      const refs: Y.ID[] = [];
      if (typeof item.parent === 'string') {
        memo.set(item, { root: item.parent });
      } else if (item.parent instanceof Y.ID) {
        refs.push(item.parent);
      } else {
        if (item.origin) refs.push(item.origin);
        if (item.rightOrigin) refs.push(item.rightOrigin);
        if (refs.length === 0) memo.set(item, 'unknown');
      }
      if (memo.has(item)) {
        visiting.delete(item);
        stack.pop();
        continue;
      }
      const places: Place[] = [];
      let waiting = false;
      for (const ref of refs) {
        const inDoc = placeOfDocStruct(ref);
        if (inDoc !== null) {
          places.push(inDoc);
          continue;
        }
        if (gcAt(ref)) {
          places.push('gc');
          continue;
        }
        const dep = updateItemAt(ref);
        if (!dep || (visiting.has(dep) && !memo.has(dep))) {
          places.push('unknown');
          continue;
        }
        const known = memo.get(dep);
        if (known) places.push(known);
        else {
          stack.push(dep);
          waiting = true;
        }
      }
      if (waiting) continue;
      visiting.delete(item);
      stack.pop();
      memo.set(item, combine(places));
    }
    return memo.get(start)!;
  };

  const items: Span[] = [];
  const cuts: Span[] = [];
  let first: string | null = null;
  const offends = (verdict: Verdict | null, span: Span, into: Span[]): GuardResult | null => {
    if (!verdict) return null;
    if (verdict.code !== 'server-owned') return { ok: false, code: 'out-of-order', detail: verdict.detail };
    first ??= verdict.detail;
    into.push(span);
    return null;
  };
  for (const list of spans.values()) {
    for (const { item } of list) {
      // Items the document already holds entirely are skipped by Yjs.
      if (item.id.clock + item.length <= Y.getState(store, item.id.client)) continue;
      const span = { client: item.id.client, clock: item.id.clock, len: item.length };
      const stop = offends(judge(placeOfUpdateItem(item), item.id), span, items);
      if (stop) return stop;
    }
  }

  for (const [client, deletes] of decoded.ds.clients) {
    const known = Y.getState(store, client);
    const structs = store.clients.get(client);
    for (const d of deletes) {
      const end = d.clock + d.len;
      if (structs && d.clock < known) {
        for (let i = Y.findIndexSS(structs, d.clock); i < structs.length; i++) {
          const s = structs[i]!;
          if (s.id.clock >= end) break;
          if (!(s instanceof Y.Item) || s.deleted) continue;
          const place = s.parent instanceof Y.AbstractType ? placeOfType(s.parent) : 'unknown';
          const span = { client, clock: s.id.clock, len: s.length };
          const stop = offends(judge(place, s.id, 'deletes'), span, cuts);
          if (stop) return stop;
        }
      }
      // The part beyond what the document holds must be items of this very update.
      for (let clock = Math.max(d.clock, known); clock < end;) {
        const item = updateItemAt(Y.createID(client, clock));
        if (!item) {
          const gc = gcAt(Y.createID(client, clock));
          if (gc) {
            clock = gc.clock + gc.len;
            continue;
          }
          return { ok: false, code: 'out-of-order', detail: `deletes unknown ${client}:${clock}` };
        }
        const span = { client, clock: item.id.clock, len: item.length };
        const stop = offends(judge(placeOfUpdateItem(item), item.id, 'deletes'), span, cuts);
        if (stop) return stop;
        clock = item.id.clock + item.length;
      }
    }
  }
  if (first !== null) return { ok: false, code: 'server-owned', detail: first, items, deletes: cuts };
  return { ok: true };
}

function combine(places: Place[]): Place {
  // Yjs drops the parent of an item next to garbage (it becomes garbage); a server root anywhere is refused.
  const server = places.find((p) => typeof p === 'object' && isServerRoot(p.root));
  if (server) return server;
  if (places.length === 0 || places.includes('unknown')) return 'unknown';
  if (places.includes('gc')) return 'gc';
  return places[0]!;
}

type Verdict = { ok: false; code: 'server-owned' | 'out-of-order'; detail: string };

function judge(place: Place, id: Y.ID, verb = 'writes'): Verdict | null {
  if (place === 'gc') return null;
  if (place === 'unknown') {
    return { ok: false, code: 'out-of-order', detail: `${verb} ${id.client}:${id.clock} with an unknown parent` };
  }
  if (isServerRoot(place.root)) {
    return { ok: false, code: 'server-owned', detail: `${verb} ${id.client}:${id.clock} in ${place.root}` };
  }
  return null;
}
