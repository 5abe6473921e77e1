/**
 * SYNC-4: the initial sync of a large document in several messages (y-websocket #203). The stock client closes a
 * socket that received no message for 30 s; one giant sync step 2 over a slow link takes longer than that to
 * arrive, so the device reconnects, asks again and never finishes. The update the device lacks is cut into
 * updates of at most about `maxBytes` (whole structs, each run of a client contiguous; the delete set goes with
 * the last one). Yjs applies them in any order (structs whose dependencies are missing wait in its pending store),
 * and the device is synced only when the last one, sent as sync step 2, arrives.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Connection } from './connection.ts';
import { writeDeleteSet } from './writeDeleteSet.ts';

/** Initial syncs above this size are sent in parts of about this size. */
export const SYNC_CHUNK_BYTES = 256 * 1024;
/**
 * Parts are queued only while the socket buffers less than this, so a slow link never holds seconds of backlog
 * in front of the relay's pings (a socket that misses a pong is dropped) or of live updates.
 */
export const SEND_HIGH_WATER_BYTES = 512 * 1024;

type Struct = Y.Item | Y.GC | Y.Skip;

function structBytes(s: Struct): number {
  const enc = new Y.UpdateEncoderV1();
  s.write(enc, 0);
  return enc.toUint8Array().length;
}

function encodePart(runs: Map<number, Struct[]>, ds: ReturnType<typeof Y.decodeUpdate>['ds'] | null): Uint8Array {
  const enc = new Y.UpdateEncoderV1();
  encoding.writeVarUint(enc.restEncoder, runs.size);
  for (const [client, list] of runs) {
    encoding.writeVarUint(enc.restEncoder, list.length);
    enc.writeClient(client);
    encoding.writeVarUint(enc.restEncoder, list[0]!.id.clock);
    for (const s of list) s.write(enc, 0);
  }
  writeDeleteSet(enc, ds ? [...ds.clients].filter(([, r]) => r.length > 0) : []);
  return enc.toUint8Array();
}

/** Splits a V1 update into V1 updates of about `maxBytes` or less (a single struct may exceed it). */
export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.length <= maxBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const parts: Uint8Array[] = [];
  let runs = new Map<number, Struct[]>();
  let size = 0;
  let prev: Struct | null = null;
  for (const s of structs) {
    if (s instanceof Y.Skip) {
      prev = null;
      continue;
    }
    const n = structBytes(s) + 8;
    if (size > 0 && size + n > maxBytes) {
      parts.push(encodePart(runs, null));
      runs = new Map();
      size = 0;
    }
    const list = runs.get(s.id.client);
    // A run must be contiguous: a gap in a client's clocks starts a new part.
    const contiguous =
      list &&
      prev &&
      prev.id.client === s.id.client &&
      prev.id.clock + prev.length === s.id.clock &&
      list.at(-1) === prev;
    if (list && !contiguous) {
      parts.push(encodePart(runs, null));
      runs = new Map();
      size = 0;
    }
    const target = runs.get(s.id.client) ?? [];
    target.push(s);
    runs.set(s.id.client, target);
    size += n;
    prev = s;
  }
  parts.push(encodePart(runs, ds));
  return parts;
}

/** Sends `messages` in order, waiting while the socket's buffer is above the high-water mark; false if it closed. */
export async function sendPaced(conn: Connection, messages: readonly Uint8Array[]): Promise<boolean> {
  for (const m of messages) {
    while (!conn.closed && conn.ws.bufferedAmount > SEND_HIGH_WATER_BYTES) {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (conn.closed) return false;
    conn.send(m);
  }
  return !conn.closed;
}
