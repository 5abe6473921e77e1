/** The delete set part of a V1 update, written by hand (Yjs does not export its writer). */
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';

export interface DsRange {
  clock: number;
  len: number;
}

/** Writes `clients` (each with its deleted ranges) as the update's delete set. */
export function writeDeleteSet(
  enc: Y.UpdateEncoderV1,
  clients: ReadonlyArray<readonly [number, readonly DsRange[]]>,
): void {
  encoding.writeVarUint(enc.restEncoder, clients.length);
  for (const [client, ranges] of clients) {
    enc.resetDsCurVal();
    encoding.writeVarUint(enc.restEncoder, client);
    encoding.writeVarUint(enc.restEncoder, ranges.length);
    for (const r of ranges) {
      enc.writeDsClock(r.clock);
      enc.writeDsLen(r.len);
    }
  }
}
