/**
 * RELY-1: a device's unsynced work goes to the relay in bounded pieces. The stock client answers the relay's sync
 * step 1 with one sync step 2 holding everything the relay lacks; past the relay's maximum message size (4 MiB)
 * that closes the socket with 4413 and the work never leaves the device. When what the relay lacks exceeds one
 * part, this sender takes over the answer: it cuts the difference into updates of at most `partBytes` that apply
 * one after another (`splitUpdateInOrder`), sends them with a window of a few unacknowledged parts (the relay's
 * durable acknowledgements pace it, so a slow link never queues megabytes in front of pings), reports the
 * acknowledged bytes as progress, and sends what was written meanwhile after it. A dropped socket ends the
 * session; the next connection's sync step 1 says what the relay already has, so it resumes from there.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, splitUpdateInOrder } from '@muster/protocol';

/** Parts of at most this size; far below the relay's default maximum message (4 MiB). */
export const BACKLOG_PART_BYTES = 256 * 1024;
/** The smallest part size after the relay refused a part as too large (4413). */
export const MIN_PART_BYTES = 16 * 1024;
/** Parts sent ahead of the relay's acknowledgement. */
const WINDOW_PARTS = 4;
/** How often a waiting session looks whether its socket is still the provider's. */
const RECHECK_MS = 500;

export interface SendProgress {
  /** Bytes of this backlog the relay acknowledged as persisted. */
  sent: number;
  total: number;
}

export interface BacklogSenderOptions {
  provider: WebsocketProvider;
  doc: Y.Doc;
  /** Structs that go out first (a new group's record: the relay takes a new group only with it). */
  first?: (item: Y.Item) => boolean;
  onProgress: (p: SendProgress | null) => void;
}

interface Part {
  message: Uint8Array;
  bytes: number;
  /** The state vector the relay reaches with this part. */
  end: Map<number, number>;
}

export class BacklogSender {
  partBytes = BACKLOG_PART_BYTES;
  private session = 0;
  private active = false;
  /** A local change was held back during the current session. */
  private held = false;
  private acked = new Map<number, number>();
  private wake: (() => void) | null = null;
  private readonly stockUpdateHandler: (update: Uint8Array, origin: unknown) => void;

  constructor(private readonly o: BacklogSenderOptions) {
    const { provider, doc } = o;
    // Local changes made while a backlog goes out wait for it (they may build on parts not sent yet).
    this.stockUpdateHandler = provider._updateHandler;
    doc.off('update', this.stockUpdateHandler);
    provider._updateHandler = (update: Uint8Array, origin: unknown) => {
      if (this.active && origin !== provider) {
        this.held = true;
        return;
      }
      this.stockUpdateHandler(update, origin);
    };
    doc.on('update', provider._updateHandler);
  }

  /** True while a backlog is being sent. */
  get sending(): boolean {
    return this.active;
  }

  /**
   * Looks at a sync message from the relay (decoder after the message type). Takes over a sync step 1 whose
   * answer would exceed one part and returns true; otherwise leaves the decoder where it was and returns false.
   */
  handleSync(decoder: decoding.Decoder): boolean {
    const start = decoder.pos;
    const step = decoding.readVarUint(decoder);
    if (step !== syncProtocol.messageYjsSyncStep1) {
      decoder.pos = start;
      return false;
    }
    const sv = decoding.readVarUint8Array(decoder);
    const target = Y.encodeStateVector(this.o.doc);
    const diff = Y.encodeStateAsUpdate(this.o.doc, sv);
    if (diff.length <= this.partBytes) {
      this.stop();
      decoder.pos = start;
      return false;
    }
    void this.run(Y.decodeStateVector(sv), diff, target);
    return true;
  }

  /** A durable acknowledgement: parts it covers are saved. */
  onAck(stateVector: Uint8Array): void {
    for (const [client, clock] of Y.decodeStateVector(stateVector)) {
      if (clock > (this.acked.get(client) ?? 0)) this.acked.set(client, clock);
    }
    this.wake?.();
  }

  /** Ends the current session (the socket closed, or the connection is destroyed). */
  stop(): void {
    this.session++;
    if (this.active) {
      this.active = false;
      this.o.onProgress(null);
    }
    this.wake?.();
  }

  private covered(end: ReadonlyMap<number, number>): boolean {
    for (const [client, clock] of end) if ((this.acked.get(client) ?? 0) < clock) return false;
    return true;
  }

  private parts(diff: Uint8Array, known: ReadonlyMap<number, number>): Part[] {
    return splitUpdateInOrder(diff, known, this.partBytes, this.o.first).map((update) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.sync);
      syncProtocol.writeUpdate(e, update);
      const message = encoding.toUint8Array(e);
      return { message, bytes: message.length, end: Y.parseUpdateMeta(update).to };
    });
  }

  private async run(known: Map<number, number>, diff: Uint8Array, target: Uint8Array): Promise<void> {
    const id = ++this.session;
    const { provider, doc } = this.o;
    const ws = provider.ws;
    const live = (): boolean => this.session === id && provider.ws === ws && ws?.readyState === 1;
    this.active = true;
    this.acked = new Map(known);
    let parts = this.parts(diff, known);
    let total = parts.reduce((n, p) => n + p.bytes, 0);
    let done = 0;
    const report = (): void => this.o.onProgress({ sent: done, total });
    report();
    const waitAck = (): Promise<void> =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, RECHECK_MS);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    let lastTarget = target;
    try {
      for (;;) {
        this.held = false;
        let ackedUpTo = 0;
        const advance = (): void => {
          while (ackedUpTo < parts.length && this.covered(parts[ackedUpTo]!.end)) done += parts[ackedUpTo++]!.bytes;
        };
        for (let i = 0; i < parts.length; i++) {
          for (advance(); i - ackedUpTo >= WINDOW_PARTS; advance()) {
            if (!live()) return;
            report();
            await waitAck();
          }
          if (!live()) return;
          ws!.send(parts[i]!.message as Uint8Array<ArrayBuffer>);
        }
        for (advance(); ackedUpTo < parts.length; advance()) {
          if (!live()) return;
          report();
          await waitAck();
        }
        report();
        // What was written while the backlog went out follows it, in parts again if it is large.
        if (!live()) return;
        if (!this.held) break;
        const more = Y.encodeStateAsUpdate(doc, lastTarget);
        const from = Y.decodeStateVector(lastTarget);
        lastTarget = Y.encodeStateVector(doc);
        parts = this.parts(more, from);
        total += parts.reduce((n, p) => n + p.bytes, 0);
      }
    } finally {
      if (this.session === id) {
        this.active = false;
        this.o.onProgress(null);
      }
    }
  }
}
