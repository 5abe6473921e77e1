import * as Y from 'yjs';

/**
 * SYNC-1: the records of a document that the server has not acknowledged as persisted. A record is pending when
 * the item holding its current value is not covered by the acknowledged state vector. Commands only add or
 * replace records (never delete without writing), so the state vector covers every change a device makes.
 */
export function pendingRecordCount(doc: Y.Doc, acked: Map<number, number>): number {
  let n = 0;
  for (const type of doc.share.values()) {
    for (const item of type._map.values()) {
      if (item.id.clock >= (acked.get(item.id.client) ?? 0)) n++;
    }
  }
  return n;
}

/** True when the acknowledged state vector covers everything in the document. */
export function isFullyAcked(doc: Y.Doc, acked: Map<number, number>): boolean {
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc)))
    if ((acked.get(client) ?? 0) < clock) return false;
  return true;
}

export function decodeAckedVector(encoded: Uint8Array): Map<number, number> {
  return Y.decodeStateVector(encoded);
}

/**
 * PERF-4: what an update received from the relay proves the relay holds (encoded state vector): per client, the end
 * of the last struct it carries. The relay integrates each client's structs in order, so it holds everything of that
 * client before them, and it sends an update only once committed (SYNC-9): a device counts it as saved without an
 * acknowledgement of its own (acknowledgements go to the device that wrote). Unlike `Y.encodeStateVectorFromUpdate`
 * (which counts a client only when the update starts at its clock 0), this counts the usual incremental update.
 */
export function relayedStateVector(update: Uint8Array): Uint8Array {
  return Y.encodeStateVector(Y.parseUpdateMeta(update).to);
}
