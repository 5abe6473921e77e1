/** One websocket of one person on one document. */
import type { Socket } from 'node:net';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { MessageType, encodeNotice } from '@muster/protocol';
import type { Notice } from '@muster/protocol';
import type { ConnectionHandle, Principal } from './types.ts';

let nextId = 1;

export class Connection implements ConnectionHandle {
  readonly id = nextId++;
  readonly ws: WebSocket;
  readonly principal: Principal;
  readonly docName: string;
  readonly remote: string;
  /** Awareness client ids this connection announced (removed when it closes). */
  readonly awarenessIds = new Set<number>();
  /** Messages that arrived before the document was ready. */
  readonly backlog: Uint8Array[] = [];
  backlogBytes = 0;
  /** The document once the connection is ready (for sync step 1 requests). */
  document: Y.Doc | null = null;
  syncStepOnesSent = 0;
  syncStepTwosReceived = 0;
  ready = false;
  closed = false;
  alive = true;
  #corked = false;
  /** PERF-2: bytes this socket may hold unsent; beyond them it is dropped (`onOverflow` says so first). */
  readonly maxBuffered: number;
  onOverflow: ((buffered: number) => void) | null = null;

  constructor(ws: WebSocket, principal: Principal, docName: string, remote: string, maxBuffered = Infinity) {
    this.ws = ws;
    this.principal = principal;
    this.docName = docName;
    this.remote = remote;
    this.maxBuffered = maxBuffered;
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.#cork();
    // No callback per message (PERF-4): a failed write makes ws emit 'error' and close the socket, which the relay
    // handles like any close.
    this.ws.send(message);
    // PERF-2: a socket that does not read must not make the relay hold an ever larger backlog for it. A close frame
    // would wait behind that backlog, so the socket is dropped at once (the client reconnects and syncs again).
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.maxBuffered) {
      this.onOverflow?.(buffered);
      this.closed = true;
      this.ws.terminate();
    }
  }

  /**
   * Messages sent to this socket in one turn (an update and its stamps, acknowledgements) leave in one write: the
   * socket is corked at the first and uncorked once the turn's synchronous work is done. Order is unchanged.
   */
  #cork(): void {
    if (this.#corked) return;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket || typeof socket.cork !== 'function') return;
    this.#corked = true;
    socket.cork();
    process.nextTick(() => {
      this.#corked = false;
      socket.uncork();
    });
  }

  /** Sends the relay's sync step 1 (its state vector); the client answers with a sync step 2. */
  requestSync(): void {
    if (!this.document) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    syncProtocol.writeSyncStep1(e, this.document);
    this.syncStepOnesSent++;
    this.send(encoding.toUint8Array(e));
  }

  notice(notice: Notice): void {
    this.send(encodeNotice(notice));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch {
      this.ws.terminate();
    }
  }
}
