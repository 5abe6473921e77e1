/**
 * A device driven frame by frame over a bare websocket, for what the stock client does on its own timing: it
 * holds a Y.Doc with a fixed client id, sends its writes only when told, and reads what the relay sent only when
 * told ("comes back"), the way a socket that survives an outage delivers both directions late. It can forge a
 * sync step 1 and choose whether to answer the relay's.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType, groupDocName, readAck, readNotice } from '@muster/protocol';
import type { Ack, Notice } from '@muster/protocol';
import { rawSocket } from './clients.ts';
import type { RawSocket } from './clients.ts';

const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

export class RawDevice {
  readonly doc: Y.Doc;
  socket: RawSocket;
  readonly acks: Ack[] = [];
  readonly notices: Notice[] = [];
  /** State vectors of the relay's sync step 1 messages read so far, not yet answered. */
  readonly unanswered: Uint8Array[] = [];
  /** For each sync step 1 of the relay read so far: whether the device held the closure when it read it. */
  readonly stepOnesAfterClosure: boolean[] = [];
  /** Writes made locally and not sent yet. */
  readonly outbox: Uint8Array[] = [];
  #read = 0;

  constructor(
    private readonly wsUrl: string,
    private readonly groupId: string,
    private readonly token: string,
    clientId?: number,
  ) {
    this.doc = new Y.Doc();
    if (clientId !== undefined) this.doc.clientID = clientId;
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== this) this.outbox.push(u);
    });
    this.socket = rawSocket(wsUrl, groupDocName(groupId), token);
  }

  /** Opens a new socket (a reconnect; the doc is kept). */
  reconnect(): void {
    this.socket.ws.close();
    this.socket = rawSocket(this.wsUrl, groupDocName(this.groupId), this.token);
    this.#read = 0;
    this.unanswered.length = 0;
  }

  send(bytes: Uint8Array): void {
    this.socket.ws.send(bytes);
  }

  /** Sends a sync step 1: the doc's real state vector, or a forged one. */
  sendStep1(stateVector: Uint8Array = Y.encodeStateVector(this.doc)): void {
    this.send(
      frame((e) => {
        encoding.writeVarUint(e, MessageType.sync);
        encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
        encoding.writeVarUint8Array(e, stateVector);
      }),
    );
  }

  /** Answers the oldest unanswered sync step 1 of the relay with a sync step 2 (what the relay lacks). */
  answerStep1(): void {
    const sv = this.unanswered.shift();
    if (!sv) throw new Error('no sync step 1 of the relay to answer');
    this.send(
      frame((e) => {
        encoding.writeVarUint(e, MessageType.sync);
        encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
        encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, sv));
      }),
    );
  }

  /** Sends the local writes made since the last flush, one update message each (as the stock client does). */
  flush(): void {
    for (const u of this.outbox.splice(0)) {
      this.send(
        frame((e) => {
          encoding.writeVarUint(e, MessageType.sync);
          syncProtocol.writeUpdate(e, u);
        }),
      );
    }
  }

  /** Reads what the relay sent so far: applies its updates, keeps acks, notices and its sync step 1s. */
  read(): void {
    for (; this.#read < this.socket.received.length; this.#read++) {
      const d = decoding.createDecoder(this.socket.received[this.#read]!);
      const type = decoding.readVarUint(d);
      if (type === MessageType.ack) this.acks.push(readAck(d));
      else if (type === MessageType.notice) this.notices.push(readNotice(d));
      else if (type === MessageType.sync) {
        const step = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (step === syncProtocol.messageYjsSyncStep1) {
          this.unanswered.push(payload);
          this.stepOnesAfterClosure.push(this.doc.getMap('server:closure').size > 0);
        } else Y.applyUpdate(this.doc, payload, this);
      }
    }
  }

  /** True when the last ack covers every item of this device's own client id. */
  ackedOwn(): boolean {
    const ack = this.acks[this.acks.length - 1];
    if (!ack) return false;
    return (
      (Y.decodeStateVector(ack.stateVector).get(this.doc.clientID) ?? 0) >=
      Y.getState(this.doc.store, this.doc.clientID)
    );
  }

  close(): void {
    this.socket.ws.close();
  }
}
