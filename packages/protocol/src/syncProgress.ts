/**
 * SYNC-4: a large initial sync is sent as several sync messages (updates, the last one sync step 2) so the stock
 * client keeps receiving messages and its 30 s "no message" watchdog (y-websocket #203) never fires. This message
 * announces how many bytes and messages follow, so the device can show progress.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from './messages.ts';

export interface SyncProgress {
  /** Bytes of the sync messages that follow (whole websocket messages). */
  totalBytes: number;
  /** How many sync messages follow; the last is sync step 2. */
  messages: number;
}

export function encodeSyncProgress(p: SyncProgress): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.syncProgress);
  encoding.writeVarUint(e, p.totalBytes);
  encoding.writeVarUint(e, p.messages);
  return encoding.toUint8Array(e);
}

/** Reads the payload (after the message type). */
export function readSyncProgress(decoder: decoding.Decoder): SyncProgress {
  const totalBytes = decoding.readVarUint(decoder);
  const messages = decoding.readVarUint(decoder);
  return { totalBytes, messages };
}
