/**
 * Wire message types. 0–3 are the stock y-websocket protocol; Muster's own messages take numbers beside them.
 * Every Muster message is `varUint(type)` followed by the payload described here.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MessageType = {
  /** y-protocols sync (step 1, step 2, update). */
  sync: 0,
  /** y-protocols awareness update. */
  awareness: 1,
  /** y-websocket auth: `varUint(0)` + reason means permission denied. */
  auth: 2,
  /** y-websocket query awareness. */
  queryAwareness: 3,
  /**
   * Durable acknowledgement, server → client: `varUint8Array(stateVector)` `varUint(serverTimeMs)`.
   * Everything covered by the state vector is persisted on the server.
   */
  ack: 8,
  /** Notice, server → client: `varString(JSON of Notice)`; refusals, limits, read-only mode. */
  notice: 9,
  /**
   * SYNC-4, server → client, before an initial sync that is sent in several messages:
   * `varUint(totalBytes)` `varUint(messages)` of the sync messages that follow (see syncProgress.ts).
   */
  syncProgress: 10,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export interface Ack {
  /** Encoded Yjs state vector of the server's persisted document. */
  stateVector: Uint8Array;
  /** Server time (ms since epoch) at which the state was persisted. */
  serverTime: number;
}

export function encodeAck(ack: Ack): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.ack);
  encoding.writeVarUint8Array(e, ack.stateVector);
  encoding.writeVarUint(e, ack.serverTime);
  return encoding.toUint8Array(e);
}

/** Reads an ack payload; the decoder is positioned after the message type. */
export function readAck(decoder: decoding.Decoder): Ack {
  const stateVector = decoding.readVarUint8Array(decoder);
  const serverTime = decoding.readVarUint(decoder);
  return { stateVector, serverTime };
}

export type NoticeKind = 'refused' | 'read-only' | 'limit' | 'error';

export interface Notice {
  kind: NoticeKind;
  /** Stable machine code, e.g. `server-owned`, `message-too-large`. */
  code: string;
  /** Human readable text (English; the app localises by `code`). */
  message: string;
  /** REQ-2: the records (`<collection>/<id>`) a `refused` notice is about, when the rest of the update was applied. */
  keys?: string[];
}

export function encodeNotice(notice: Notice): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.notice);
  encoding.writeVarString(e, JSON.stringify(notice));
  return encoding.toUint8Array(e);
}

export function readNotice(decoder: decoding.Decoder): Notice {
  const raw: unknown = JSON.parse(decoding.readVarString(decoder));
  if (typeof raw !== 'object' || raw === null) throw new Error('notice: not an object');
  const r = raw as Record<string, unknown>;
  const kind = r['kind'];
  if (kind !== 'refused' && kind !== 'read-only' && kind !== 'limit' && kind !== 'error') {
    throw new Error('notice: bad kind');
  }
  const out: Notice = { kind, code: String(r['code'] ?? ''), message: String(r['message'] ?? '') };
  if (Array.isArray(r['keys'])) out.keys = r['keys'].map(String);
  return out;
}
