/**
 * The relay: y-websocket protocol per document, lazily loaded documents, durable group commit before every
 * acknowledgement, idle unloading, background compaction. Auth happens before a socket reaches it.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { CloseCode, MessageType, encodeAck, encodeSyncProgress } from '@muster/protocol';
import type { ReadonlyChangedKeys } from '@muster/core';
import type { Clock } from '../clock.ts';
import { ConnectionRefused, inPipelineOrder } from '../extension.ts';
import type { Extension } from '../extension.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { Store, StoredDoc } from '../store/store.ts';
import { Connection } from './connection.ts';
import { ProtocolError, dispatchMessage, toBytes } from './messages.ts';
import { scheduleCompaction } from './compaction.ts';
import { Documents } from './documents.ts';
import { Persistence } from './persistence.ts';
import type { SharedDocument } from './sharedDocument.ts';
import { ClientUpdates } from './clientUpdate.ts';
import { SYNC_CHUNK_BYTES, sendPaced, splitUpdate } from './chunkedSync.ts';
import type { DocumentHandle, Principal } from './types.ts';

export interface RelayOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  extensions: readonly Extension[];
  /** Unload a document this long after its last connection left. */
  docIdleMs: number;
  /** Compact a document's log once this many updates follow its snapshot. */
  compactEvery: number;
  maxMessageBytes: number;
  /** PERF-2: bytes one socket may hold unsent before it is dropped (at least twice `maxMessageBytes`). */
  maxSocketBufferBytes?: number;
  /** ALIVE-1: interval of websocket pings; a socket that sent neither a pong nor a message since the last is dropped. */
  pingIntervalMs?: number;
  /** SYNC-4: an initial sync larger than this goes out in parts of about this size (default 256 KiB). */
  syncChunkBytes?: number;
  /** SCALE-2: runs before a document is read from the store (several nodes: takes its lease); throwing refuses. */
  beforeLoad?: (docName: string) => Promise<void>;
  /** HIST-8: rewrites a document's stored state as it loads (documents.ts `prepare`: inbox archiving). */
  prepareLoad?: (docName: string, stored: StoredDoc) => Promise<StoredDoc>;
}

/** Messages a connection may send before its document is loaded. */
const MAX_BACKLOG_MESSAGES = 256;

export class Relay {
  readonly #o: RelayOptions;
  /** The extensions by phase (`PHASES`), in the order given within a phase. */
  readonly #extensions: readonly Extension[];
  readonly #log: Logger;
  readonly #docs: Documents;
  readonly #conns = new Set<Connection>();
  readonly #persistence: Persistence;
  readonly #clientUpdates: ClientUpdates;
  readonly #ping: NodeJS.Timeout;
  #closing = false;

  constructor(options: RelayOptions) {
    this.#o = options;
    this.#extensions = inPipelineOrder(options.extensions);
    this.#log = options.log.child({ part: 'relay' });
    this.#persistence = new Persistence(options.store, options.clock, {
      committed: (document, info) => this.#committed(document, info),
      acknowledge: (document, owed, serverTime) => {
        const ack = encodeAck({ stateVector: document.persistedSV, serverTime });
        for (const c of owed) c.send(ack);
      },
      failed: (documents, error) => this.#failed(documents, error),
    });
    this.#clientUpdates = new ClientUpdates({
      extensions: this.#extensions,
      persistence: this.#persistence,
      store: options.store,
      clock: options.clock,
      hooks: (hook, call) => this.#hooks(hook, call),
    });
    this.#docs = new Documents({
      store: options.store,
      log: this.#log,
      extensions: this.#extensions,
      persistence: this.#persistence,
      docIdleMs: options.docIdleMs,
      ...(options.beforeLoad ? { beforeLoad: options.beforeLoad } : {}),
      ...(options.prepareLoad ? { prepare: options.prepareLoad } : {}),
      hooks: (hook, call) => this.#hooks(hook, call),
    });
    this.#ping = setInterval(() => this.pingAll(), options.pingIntervalMs ?? 30_000);
    this.#ping.unref();
  }

  get stats(): { documents: number; connections: number } {
    return { documents: this.#docs.size, connections: this.#conns.size };
  }

  /** Takes over an authenticated websocket for `docName`. */
  handleConnection(ws: WebSocket, principal: Principal, docName: string, remote: string): void {
    const maxBuffered = Math.max(this.#o.maxSocketBufferBytes ?? Infinity, 2 * this.#o.maxMessageBytes);
    const conn = new Connection(ws, principal, docName, remote, maxBuffered);
    const log = this.#log.child({ conn: conn.id, doc: docName, person: principal.sub });
    conn.onOverflow = (buffered) =>
      log.warn('socket not reading; dropped', { code: CloseCode.slowConsumer, buffered, max: maxBuffered });
    if (this.#closing) {
      conn.close(CloseCode.serverShutdown, 'server shutting down');
      return;
    }
    this.#conns.add(conn);
    let document: SharedDocument | null = null;
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (conn.closed) return;
      // A socket that delivers messages is alive, even when its pong waits behind them on a slow uplink.
      conn.alive = true;
      const bytes = toBytes(data);
      for (const x of this.#extensions) {
        const over = x.onMessage?.({ connection: conn, bytes: bytes.byteLength });
        if (over) {
          log.warn('limit exceeded; closing', { code: over.code, reason: over.reason });
          conn.close(over.code, over.reason);
          return;
        }
      }
      if (bytes.byteLength > this.#o.maxMessageBytes) {
        log.warn('message too large; closing', { bytes: bytes.byteLength, max: this.#o.maxMessageBytes });
        conn.close(CloseCode.messageTooLarge, 'message too large');
        return;
      }
      if (!isBinary) {
        log.warn('text frame; closing', { code: CloseCode.malformed });
        conn.close(CloseCode.malformed, 'binary frames only');
        return;
      }
      if (conn.ready && document) {
        this.#process(conn, document, bytes, log);
        return;
      }
      // Before the document is ready an honest client sends a handful of small messages.
      conn.backlogBytes += bytes.byteLength;
      if (conn.backlog.length >= MAX_BACKLOG_MESSAGES || conn.backlogBytes > 2 * this.#o.maxMessageBytes) {
        log.warn('too many messages before the document was ready; closing', { code: CloseCode.rateLimited });
        conn.close(CloseCode.rateLimited, 'too many messages');
        return;
      }
      conn.backlog.push(bytes);
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (err: Error) => log.warn('socket error', { error: err.message }));
    ws.on('close', (code: number) => {
      conn.closed = true;
      this.#conns.delete(conn);
      if (document) this.#docs.detach(conn, document);
      this.#hooks('onDisconnect', (x) => x.onDisconnect?.({ connection: conn, document, code }));
      log.debug('disconnected', { code });
    });

    void (async () => {
      try {
        document = await this.#docs.acquire(docName);
      } catch (error) {
        log.error('could not load document', { error: errorText(error) });
        conn.close(CloseCode.storageFailure, 'could not load document');
        return;
      }
      if (conn.closed) return this.#docs.release(document);
      document.connections.add(conn);
      try {
        for (const x of this.#extensions) await x.onConnect?.({ connection: conn, document });
      } catch (error) {
        const code = error instanceof ConnectionRefused ? error.code : 1011;
        log.warn('connection refused', { code, reason: errorText(error) });
        conn.close(code, error instanceof ConnectionRefused ? error.message : 'internal error');
        return;
      }
      if (conn.closed) return;
      conn.ready = true;
      conn.document = document.doc;
      conn.requestSync();
      const states = document.awareness.getStates();
      if (states.size > 0) conn.send(document.awarenessMessage([...states.keys()]));
      log.debug('connected', { remote });
      for (const bytes of conn.backlog.splice(0)) {
        if (conn.closed) break;
        this.#process(conn, document, bytes, log);
      }
    })();
  }

  #process(conn: Connection, document: SharedDocument, data: Uint8Array, log: Logger): void {
    try {
      dispatchMessage(data, {
        syncStep1: (sv) => {
          let diff: Uint8Array;
          try {
            diff = Y.encodeStateAsUpdate(document.doc, sv);
          } catch {
            throw new ProtocolError('invalid state vector');
          }
          // SYNC-4: a large initial state goes out in several messages (chunkedSync.ts).
          const parts = splitUpdate(diff, this.#o.syncChunkBytes ?? SYNC_CHUNK_BYTES);
          const messages = parts.map((part, i) => {
            const e = encoding.createEncoder();
            encoding.writeVarUint(e, MessageType.sync);
            if (i === parts.length - 1) {
              encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
              encoding.writeVarUint8Array(e, part);
            } else syncProtocol.writeUpdate(e, part);
            return encoding.toUint8Array(e);
          });
          // Tells a device with nothing pending that all it has is saved.
          const ack = () => encodeAck({ stateVector: document.persistedSV, serverTime: this.#o.clock.now() });
          const answered = (): void =>
            this.#hooks('afterSyncAnswer', (x) => x.afterSyncAnswer?.({ connection: conn, document }));
          if (messages.length === 1) {
            conn.send(messages[0]!);
            conn.send(ack());
            answered();
            return;
          }
          const totalBytes = messages.reduce((n, m) => n + m.length, 0);
          log.info('initial sync in parts', { bytes: totalBytes, messages: messages.length });
          conn.send(encodeSyncProgress({ totalBytes, messages: messages.length }));
          void sendPaced(conn, messages).then((sent) => {
            if (!sent) return;
            conn.send(ack());
            answered();
          });
        },
        update: (update, kind) => this.#clientUpdates.apply(conn, document, update, kind, log),
        awareness: (update) => {
          try {
            let bound: Uint8Array | null = update;
            for (const x of this.#extensions) {
              if (bound && x.beforeAwareness) bound = x.beforeAwareness({ connection: conn, document, update: bound });
            }
            if (bound) awarenessProtocol.applyAwarenessUpdate(document.awareness, bound, conn);
          } catch {
            throw new ProtocolError('invalid awareness update');
          }
        },
        queryAwareness: () => conn.send(document.awarenessMessage([...document.awareness.getStates().keys()])),
      });
    } catch (error) {
      if (error instanceof ProtocolError) {
        log.warn('malformed message; closing', { code: CloseCode.malformed, reason: error.message });
        conn.close(CloseCode.malformed, error.message);
      } else {
        log.error('message handling failed; closing', { error: errorText(error) });
        conn.close(1011, 'internal error');
      }
    }
  }

  #committed(
    document: SharedDocument,
    info: {
      stateVector: Uint8Array;
      count: number;
      serverTime: number;
      changes: ReadonlyChangedKeys;
      owed: readonly Connection[];
    },
  ): void {
    // PERF-4: the acknowledgement goes to the connections whose updates the commit holds; the others received
    // those updates after the commit (SYNC-9), so they have nothing it could confirm.
    if (info.owed.length > 0) {
      const ack = encodeAck({ stateVector: info.stateVector, serverTime: info.serverTime });
      for (const c of info.owed) c.send(ack);
    }
    const { count, serverTime, changes } = info;
    this.#hooks('onStoreUpdate', (x) =>
      x.onStoreUpdate?.({ document, lastSeq: document.lastSeq, count, serverTime, changes }),
    );
    if (document.sinceSnapshot >= this.#o.compactEvery) scheduleCompaction(document, this.#o.store, this.#log);
  }

  #failed(documents: SharedDocument[], error: unknown): void {
    for (const document of documents) {
      this.#log.error('could not persist updates; closing the document', {
        doc: document.name,
        error: errorText(error),
      });
      // Clients keep their unacknowledged updates and send them again once they reconnect.
      for (const c of document.connections) c.close(CloseCode.storageFailure, 'storage failure');
      this.#docs.evict(document);
    }
  }

  /** ALIVE-1: one liveness round: drops sockets silent since the last round, pings the rest (run by the interval). */
  pingAll(): void {
    for (const c of this.#conns) {
      if (!c.alive) {
        this.#log.warn('no pong since the last ping; dropping the socket', { conn: c.id, doc: c.docName });
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      try {
        c.ws.ping();
      } catch {
        c.ws.terminate();
      }
    }
  }

  /**
   * Loads a document when needed and runs `fn` on it (server-side writes: escalations, inbox items). Writes in
   * `fn` use SERVER_ORIGIN; they are persisted and broadcast like any update. The document may unload afterwards.
   */
  async withDocument<T>(docName: string, fn: (document: DocumentHandle) => T | Promise<T>): Promise<T> {
    if (this.#closing) throw new Error('relay is closing');
    const document = await this.#docs.acquire(docName);
    try {
      return await fn(document);
    } finally {
      this.#docs.release(document);
    }
  }

  /**
   * SCALE-2: this node may no longer act for these documents (their leases are lost): their connections are closed
   * with 4512 (the clients reconnect to the new owner and send again what was not acknowledged) and they leave
   * memory without persisting anything more.
   */
  dropDocuments(docNames: readonly string[]): void {
    for (const name of docNames) {
      const document = this.#docs.loaded(name);
      if (!document) continue;
      document.pending = [];
      for (const c of document.connections) c.close(CloseCode.ownerMoved, 'owner moved');
      this.#docs.evict(document);
    }
  }

  /** The names of the documents in memory. */
  loadedDocuments(): string[] {
    return this.#docs.names();
  }

  /**
   * HIST-8: closes a loaded document's connections (4512: the clients reconnect) and takes it out of memory at once,
   * so the next connection loads it afresh (through `prepareLoad`). False when it is not loaded here.
   */
  reload(docName: string): boolean {
    const document = this.#docs.loaded(docName);
    if (!document || this.#closing) return false;
    for (const c of document.connections) c.close(CloseCode.ownerMoved, 'reloading');
    this.#docs.unloadNow(document);
    return true;
  }

  /** Commits everything pending (for tests and shutdown). */
  flush(): Promise<void> {
    return this.#persistence.drain();
  }

  /** Stops: closes every socket with 1001, commits what is pending, unloads every document. */
  async close(graceMs = 2000): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearInterval(this.#ping);
    const closed = [...this.#conns].map(
      (c) =>
        new Promise<void>((resolve) => (c.ws.readyState === c.ws.CLOSED ? resolve() : c.ws.once('close', resolve))),
    );
    for (const c of this.#conns) c.close(CloseCode.serverShutdown, 'server shutting down');
    await this.#docs.closeAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const c of this.#conns) c.ws.terminate();
    for (const x of this.#extensions) {
      try {
        await x.onDestroy?.();
      } catch (error) {
        this.#log.error('extension onDestroy failed', { extension: x.name, error: errorText(error) });
      }
    }
  }

  #hooks(hook: string, call: (x: Extension) => void): void {
    for (const x of this.#extensions) {
      try {
        call(x);
      } catch (error) {
        this.#log.error('extension hook failed', { extension: x.name, hook, error: errorText(error) });
      }
    }
  }
}
