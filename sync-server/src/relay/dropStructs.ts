/**
 * REQ-2: rewrites a client update without the parts the relay refuses, so the rest is applied. A refused item is
 * replaced by garbage (a GC struct of the same id and length: the client's clock stays contiguous and later
 * updates of the device still fit), and refused deletions are cut out of the delete set. Items that build on a
 * dropped one (its children, or items whose origin it is) become garbage when Yjs integrates them.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { DecodedUpdate, Span } from './inspectUpdate.ts';
import { writeDeleteSet } from './writeDeleteSet.ts';

const covers = (spans: readonly Span[], client: number, clock: number, len: number): boolean =>
  spans.some((s) => s.client === client && s.clock <= clock && clock + len <= s.clock + s.len);

/** The update without `items` (replaced by garbage) and without the deletions of `deletes`. V1 encoding. */
export function dropFromUpdate(decoded: DecodedUpdate, items: readonly Span[], deletes: readonly Span[]): Uint8Array {
  const enc = new Y.UpdateEncoderV1();
  const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>();
  for (const s of decoded.structs) {
    const list = byClient.get(s.id.client) ?? [];
    const dropped = s instanceof Y.Item && covers(items, s.id.client, s.id.clock, s.length);
    list.push(dropped ? new Y.GC(s.id, s.length) : (s as Y.Item | Y.GC | Y.Skip));
    byClient.set(s.id.client, list);
  }
  encoding.writeVarUint(enc.restEncoder, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(enc.restEncoder, list.length);
    enc.writeClient(client);
    encoding.writeVarUint(enc.restEncoder, list[0]!.id.clock);
    for (const s of list) s.write(enc, 0);
  }
  // The delete set, minus the refused ranges.
  const ds = new Map<number, { clock: number; len: number }[]>();
  for (const [client, ranges] of decoded.ds.clients) {
    let out: { clock: number; len: number }[] = ranges.map((r) => ({ clock: r.clock, len: r.len }));
    for (const cut of deletes.filter((d) => d.client === client)) {
      out = out.flatMap((r) => {
        const end = r.clock + r.len;
        const cutEnd = cut.clock + cut.len;
        if (cutEnd <= r.clock || cut.clock >= end) return [r];
        const parts: { clock: number; len: number }[] = [];
        if (cut.clock > r.clock) parts.push({ clock: r.clock, len: cut.clock - r.clock });
        if (cutEnd < end) parts.push({ clock: cutEnd, len: end - cutEnd });
        return parts;
      });
    }
    if (out.length) ds.set(client, out);
  }
  writeDeleteSet(enc, [...ds]);
  return enc.toUint8Array();
}
