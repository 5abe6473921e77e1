/**
 * Decoding of incoming frames. The relay accepts sync (step 1, step 2, update), awareness and query-awareness
 * from clients; anything else, and anything truncated, is a ProtocolError (the connection closes with 4400).
 */
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '@muster/protocol';

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface MessageHandlers {
  syncStep1(stateVector: Uint8Array): void;
  /** Sync step 2 or update: a Yjs update to apply. */
  update(update: Uint8Array, kind: 'step2' | 'update'): void;
  awareness(update: Uint8Array): void;
  queryAwareness(): void;
}

function read<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch {
    throw new ProtocolError(`truncated or malformed ${what}`);
  }
}

/** Decodes one frame and calls the matching handler. Throws ProtocolError on anything malformed. */
export function dispatchMessage(data: Uint8Array, h: MessageHandlers): void {
  const decoder = decoding.createDecoder(data);
  const type = read('message type', () => decoding.readVarUint(decoder));
  switch (type) {
    case MessageType.sync: {
      const step = read('sync message', () => decoding.readVarUint(decoder));
      const payload = read('sync payload', () => decoding.readVarUint8Array(decoder));
      if (step === syncProtocol.messageYjsSyncStep1) h.syncStep1(payload);
      else if (step === syncProtocol.messageYjsSyncStep2) h.update(payload, 'step2');
      else if (step === syncProtocol.messageYjsUpdate) h.update(payload, 'update');
      else throw new ProtocolError(`unknown sync message ${step}`);
      return;
    }
    case MessageType.awareness:
      h.awareness(read('awareness update', () => decoding.readVarUint8Array(decoder)));
      return;
    case MessageType.queryAwareness:
      h.queryAwareness();
      return;
    default:
      throw new ProtocolError(`unexpected message type ${type}`);
  }
}

/** The bytes of a ws message (a Buffer, an ArrayBuffer or fragments). */
export function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
