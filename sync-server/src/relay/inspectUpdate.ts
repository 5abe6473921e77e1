/**
 * The one inspector of client updates: every rule of the relay (server-owned roots, the inbox, the policy's record
 * rules, closure) reads what an update would do from here, before it is applied.
 *
 * Each new item of the update is traced to the root type it would land in, through its parent, or through its
 * origins when the parent is implied; each deletion the same way. Top-level entries of root maps are reported as
 * records (root, key, value, whether they replace a live record). An update that cannot be placed (items that refer
 * to structs neither the document nor the update holds, gaps in a client's clock, deletions of unknown structs) is
 * reported as out of order: Yjs would keep those pending and integrate them later unchecked. An honest client only
 * sends such an update in a race with its own sync step 2, which carries the same structs.
 *
 * The inspection is memoised per decoded update: every extension of one pass reads the same result.
 */
import * as Y from 'yjs';
import { SERVER_ROOT_PREFIX } from '@muster/protocol';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** A run of structs of one client (an item, or a range a deletion covers). */
export interface Span {
  client: number;
  clock: number;
  len: number;
}

/** A new item of the update (or a live item it deletes), with the root type it lands in. */
export interface PlacedSpan {
  span: Span;
  root: string;
  /** The item is a top-level entry of a root map (a record); nested or array content is not. */
  record: boolean;
}

export interface NewRecord {
  collection: string;
  key: string;
  value: Record<string, unknown> | null;
  /** Replaces a live record already in the document (or one the same update writes). */
  replaces: boolean;
  /** The item of the update that writes it. */
  span: Span;
}

export interface DeletedRecord {
  collection: string;
  key: string;
  value: unknown;
  span: Span;
}

export interface Inspection {
  /** Why the update cannot be placed, or null. When set, the lists below are empty. */
  outOfOrder: string | null;
  /** Names of the root types the update writes into or deletes from. */
  roots: Set<string>;
  /** New items (items that become garbage at once are left out). */
  items: PlacedSpan[];
  /** Live items of the document the update deletes, and deletions of its own new items. */
  deletes: PlacedSpan[];
  /** Records (top-level entries of root maps) the update writes. */
  added: NewRecord[];
  /** Live records of the document the update deletes. */
  deleted: DeletedRecord[];
}

/** Where an item lands: a root type name, nowhere (it becomes garbage), or not traceable. */
type Place = { root: string } | 'gc' | 'unknown';

interface ItemSpan {
  clock: number;
  end: number;
  item: Y.Item;
}

const memo = new WeakMap<DecodedUpdate, { doc: Y.Doc; state: Uint8Array; result: Inspection }>();

const empty = (outOfOrder: string): Inspection => ({
  outOfOrder,
  roots: new Set(),
  items: [],
  deletes: [],
  added: [],
  deleted: [],
});

/** What the update would do to `doc` (memoised for the same decoded update and document state). */
export function inspectUpdate(doc: Y.Doc, decoded: DecodedUpdate): Inspection {
  const state = Y.encodeStateVector(doc);
  const m = memo.get(decoded);
  if (m && m.doc === doc && equalBytes(m.state, state)) return m.result;
  const result = inspect(doc, decoded);
  memo.set(decoded, { doc, state, result });
  return result;
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function inspect(doc: Y.Doc, decoded: DecodedUpdate): Inspection {
  const store = doc.store;
  const rootNames = new Map<unknown, string>();
  for (const [name, type] of doc.share) rootNames.set(type, name);

  // Every client's structs must continue where the document ends, without gaps (Skip structs are gaps).
  const reach = new Map<number, number>();
  for (const s of decoded.structs) {
    const expected = reach.get(s.id.client) ?? Y.getState(store, s.id.client);
    if (s instanceof Y.Skip || s.id.clock > expected) return empty(`gap before ${s.id.client}:${s.id.clock}`);
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
  const docItemAt = (id: Y.ID): Y.Item | null => {
    const structs = store.clients.get(id.client);
    if (!structs || id.clock >= Y.getState(store, id.client)) return null;
    const s = structs[Y.findIndexSS(structs, id.clock)];
    return s instanceof Y.Item ? s : null;
  };

  // Garbage of the update (the relay drops refused items as garbage, REQ-2): what builds on it becomes garbage.
  const gcAt = (id: Y.ID): Span | null =>
    gcs.find((g) => g.client === id.client && g.clock <= id.clock && id.clock < g.clock + g.len) ?? null;

  const placeOfType = (type: Y.AbstractType<unknown>): Place => {
    let t = type;
    while (t._item !== null) {
      const parent = t._item.parent;
      if (!(parent instanceof Y.AbstractType)) return 'unknown';
      t = parent;
    }
    return { root: rootNames.get(t) ?? Y.findRootTypeKey(t) };
  };

  const placeOfDocStruct = (id: Y.ID): Place | null => {
    if (id.clock >= Y.getState(store, id.client)) return null;
    const s = docItemAt(id);
    if (!s) return 'gc';
    return s.parent instanceof Y.AbstractType ? placeOfType(s.parent) : 'unknown';
  };

  // Places of update items, resolved without recursion (origin chains can be long).
  const places = new Map<Y.Item, Place>();
  const visiting = new Set<Y.Item>();
  const placeOfUpdateItem = (start: Y.Item): Place => {
    const stack: Y.Item[] = [start];
    while (stack.length > 0) {
      const item = stack[stack.length - 1]!;
      if (places.has(item)) {
        stack.pop();
        continue;
      }
      visiting.add(item);
      const refs: Y.ID[] = [];
      if (typeof item.parent === 'string') places.set(item, { root: item.parent });
      else if (item.parent instanceof Y.ID) refs.push(item.parent);
      else {
        if (item.origin) refs.push(item.origin);
        if (item.rightOrigin) refs.push(item.rightOrigin);
        if (refs.length === 0) places.set(item, 'unknown');
      }
      if (places.has(item)) {
        visiting.delete(item);
        stack.pop();
        continue;
      }
      const found: Place[] = [];
      let waiting = false;
      for (const ref of refs) {
        const inDoc = placeOfDocStruct(ref);
        if (inDoc !== null) {
          found.push(inDoc);
          continue;
        }
        if (gcAt(ref)) {
          found.push('gc');
          continue;
        }
        const dep = updateItemAt(ref);
        if (!dep || (visiting.has(dep) && !places.has(dep))) {
          found.push('unknown');
          continue;
        }
        const known = places.get(dep);
        if (known) found.push(known);
        else {
          stack.push(dep);
          waiting = true;
        }
      }
      if (waiting) continue;
      visiting.delete(item);
      stack.pop();
      places.set(item, combine(found));
    }
    return places.get(start)!;
  };

  /**
   * Root and key of a top-level map item. An item written over another value of its key carries no key in the
   * update (only its origin): the key is the origin's, found in the document or, for a key written twice in one
   * update, in the update itself (then it replaces a record too).
   */
  const keyOf = (item: Y.Item): { root: string; key: string; inUpdate: boolean } | null => {
    let it: Y.Item = item;
    let inUpdate = false;
    for (let hops = 0; hops < 10_000; hops++) {
      if (it.parentSub !== null && typeof it.parent === 'string')
        return { root: it.parent, key: it.parentSub, inUpdate };
      if (it.parentSub !== null && it.parent === null && it.origin === null) return null;
      const ref = it.origin;
      if (!ref) return null;
      const s = docItemAt(ref);
      if (s) {
        if (!(s.parent instanceof Y.AbstractType) || s.parent._item !== null || s.parentSub === null) return null;
        const root = rootNames.get(s.parent);
        return root === undefined ? null : { root, key: s.parentSub, inUpdate };
      }
      const next = updateItemAt(ref);
      if (!next) return null;
      it = next;
      inUpdate = true;
    }
    return null;
  };

  const out: Inspection = { outOfOrder: null, roots: new Set(), items: [], deletes: [], added: [], deleted: [] };
  for (const list of spans.values()) {
    for (const { item } of list) {
      // Items the document already holds entirely are skipped by Yjs.
      if (item.id.clock + item.length <= Y.getState(store, item.id.client)) continue;
      const place = placeOfUpdateItem(item);
      if (place === 'gc') continue;
      if (place === 'unknown') {
        return empty(`writes ${item.id.client}:${item.id.clock} with an unknown parent`);
      }
      const span = { client: item.id.client, clock: item.id.clock, len: item.length };
      const at = keyOf(item);
      out.roots.add(place.root);
      out.items.push({ span, root: place.root, record: at !== null && at.root === place.root });
      if (at === null || at.root !== place.root) continue;
      let value: Record<string, unknown> | null = null;
      if (item.content instanceof Y.ContentAny) {
        const v: unknown = item.content.arr[item.content.arr.length - 1];
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) value = v as Record<string, unknown>;
      }
      const existing = doc.getMap(at.root)._map.get(at.key);
      out.added.push({
        collection: at.root,
        key: at.key,
        value,
        replaces: at.inUpdate || (!!existing && !existing.deleted),
        span,
      });
    }
  }

  for (const [client, ranges] of decoded.ds.clients) {
    const known = Y.getState(store, client);
    const structs = store.clients.get(client);
    for (const d of ranges) {
      const end = d.clock + d.len;
      if (structs && d.clock < known) {
        for (let i = Y.findIndexSS(structs, d.clock); i < structs.length; i++) {
          const s = structs[i]!;
          if (s.id.clock >= end) break;
          if (!(s instanceof Y.Item) || s.deleted) continue;
          const place = s.parent instanceof Y.AbstractType ? placeOfType(s.parent) : 'unknown';
          if (place === 'unknown' || place === 'gc')
            return empty(`deletes ${client}:${s.id.clock} with an unknown parent`);
          const span = { client, clock: s.id.clock, len: s.length };
          const record = s.parentSub !== null && s.parent instanceof Y.AbstractType && s.parent._item === null;
          out.roots.add(place.root);
          out.deletes.push({ span, root: place.root, record });
          if (record) {
            const content = s.content instanceof Y.ContentAny ? s.content.arr[s.content.arr.length - 1] : null;
            out.deleted.push({ collection: place.root, key: s.parentSub!, value: content, span });
          }
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
          return empty(`deletes unknown ${client}:${clock}`);
        }
        const place = placeOfUpdateItem(item);
        if (place === 'unknown') return empty(`deletes ${client}:${clock} with an unknown parent`);
        if (place !== 'gc') {
          out.roots.add(place.root);
          out.deletes.push({
            span: { client, clock: item.id.clock, len: item.length },
            root: place.root,
            record: false,
          });
        }
        clock = item.id.clock + item.length;
      }
    }
  }
  return out;
}

function combine(places: Place[]): Place {
  // Yjs drops the parent of an item next to garbage (it becomes garbage); a server-owned root anywhere is kept,
  // so the server-owned guard sees it.
  const server = places.find((p) => typeof p === 'object' && p.root.startsWith(SERVER_ROOT_PREFIX));
  if (server) return server;
  if (places.length === 0 || places.includes('unknown')) return 'unknown';
  if (places.includes('gc')) return 'gc';
  return places[0]!;
}
