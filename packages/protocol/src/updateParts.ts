/**
 * RELY-1: a Yjs update cut into several valid updates of about `maxBytes` or less, in an order the receiver can
 * apply one by one. The relay refuses an update whose structs refer to structs it does not hold yet (it would keep
 * them pending, unchecked), so each part may only build on what the receiver has (its state vector) and on the
 * parts before it. Structs go out client by client in clock order, a struct only once its origins and parent are
 * covered; the delete set goes with the last part. Whole structs only: one struct may exceed `maxBytes`.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Struct = Y.Item | Y.GC;

function structBytes(s: Struct): number {
  const enc = new Y.UpdateEncoderV1();
  s.write(enc, 0);
  return enc.toUint8Array().length + 8;
}

interface DsRange {
  clock: number;
  len: number;
}

/** Writes a V1 update: each client's run (contiguous, clock order), then the delete set. */
function encodePart(runs: Map<number, Struct[]>, ds: ReadonlyArray<readonly [number, readonly DsRange[]]>): Uint8Array {
  const enc = new Y.UpdateEncoderV1();
  encoding.writeVarUint(enc.restEncoder, runs.size);
  for (const [client, list] of runs) {
    encoding.writeVarUint(enc.restEncoder, list.length);
    enc.writeClient(client);
    encoding.writeVarUint(enc.restEncoder, list[0]!.id.clock);
    for (const s of list) s.write(enc, 0);
  }
  encoding.writeVarUint(enc.restEncoder, ds.length);
  for (const [client, ranges] of ds) {
    enc.resetDsCurVal();
    encoding.writeVarUint(enc.restEncoder, client);
    encoding.writeVarUint(enc.restEncoder, ranges.length);
    for (const r of ranges) {
      enc.writeDsClock(r.clock);
      enc.writeDsLen(r.len);
    }
  }
  return enc.toUint8Array();
}

/** The ids a struct needs the receiver to hold before it can be integrated. */
function dependencies(s: Struct): Y.ID[] {
  if (!(s instanceof Y.Item)) return [];
  const deps: Y.ID[] = [];
  if (s.origin) deps.push(s.origin);
  if (s.rightOrigin) deps.push(s.rightOrigin);
  if (s.parent instanceof Y.ID) deps.push(s.parent);
  return deps;
}

/**
 * Splits a V1 `update` into V1 updates of about `maxBytes` or less, ordered so that each applies on top of
 * `known` (the receiver's state vector) and the parts before it. An update no larger than `maxBytes` is returned
 * as it is.
 */
export function splitUpdateInOrder(
  update: Uint8Array,
  known: ReadonlyMap<number, number>,
  maxBytes: number,
  first?: (item: Y.Item) => boolean,
): Uint8Array[] {
  if (update.length <= maxBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const queues = new Map<number, Struct[]>();
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    let q = queues.get(s.id.client);
    if (!q) queues.set(s.id.client, (q = []));
    q.push(s);
  }
  const reach = new Map<number, number>();
  for (const [client, q] of queues) reach.set(client, Math.max(known.get(client) ?? 0, q[0]!.id.clock));
  const covered = (id: Y.ID): boolean => id.clock < (reach.get(id.client) ?? known.get(id.client) ?? 0);

  const parts: Uint8Array[] = [];
  let runs = new Map<number, Struct[]>();
  let size = 0;
  const flush = (): void => {
    if (runs.size === 0) return;
    parts.push(encodePart(runs, []));
    runs = new Map();
    size = 0;
  };
  const emit = (s: Struct): void => {
    const n = structBytes(s);
    const run = runs.get(s.id.client);
    // a client's run in one part must be contiguous
    const contiguous = !run || run.at(-1)!.id.clock + run.at(-1)!.length === s.id.clock;
    if ((size > 0 && size + n > maxBytes) || !contiguous) flush();
    const target = runs.get(s.id.client) ?? [];
    target.push(s);
    runs.set(s.id.client, target);
    size += n;
    reach.set(s.id.client, s.id.clock + s.length);
  };

  const heads = new Map<number, number>([...queues.keys()].map((c) => [c, 0]));
  // What `first` asks for goes out first, with what comes before it in its client's clock (as far as it can).
  const until = new Map<number, number>();
  if (first) {
    for (const [client, q] of queues) {
      for (let i = q.length - 1; i >= 0; i--) {
        const s = q[i]!;
        if (s instanceof Y.Item && first(s)) {
          until.set(client, i + 1);
          break;
        }
      }
    }
  }
  const send = (limit: (client: number, q: Struct[]) => number): void => {
    for (let progressed = true; progressed;) {
      progressed = false;
      for (const [client, q] of queues) {
        let i = heads.get(client)!;
        const end = limit(client, q);
        while (i < end) {
          const s = q[i]!;
          if (s.id.clock > reach.get(client)! || !dependencies(s).every(covered)) break;
          emit(s);
          i++;
          progressed = true;
        }
        heads.set(client, i);
      }
    }
  };
  send((client) => until.get(client) ?? 0);
  send((_client, q) => q.length);
  // What cannot go in order (the receiver lacks something this update does not hold) goes as it comes.
  for (const [client, q] of queues) {
    for (let i = heads.get(client)!; i < q.length; i++) emit(q[i]!);
  }
  const deletes = [...ds.clients].filter(([, r]) => r.length > 0);
  const dsBytes = encodePart(new Map(), deletes).length;
  if (size > 0 && size + dsBytes > maxBytes) flush();
  parts.push(encodePart(runs, deletes));
  return parts;
}
