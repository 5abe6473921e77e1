/**
 * The documents in memory: loaded lazily on first use (snapshot + log, then onLoadDocument hooks), unloaded after
 * being idle with no connection (once everything pending is committed). A connection arriving while its
 * document unloads waits and gets a freshly loaded one.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Extension } from '../extension.ts';
import type { Logger } from '../log.ts';
import type { Store, StoredDoc } from '../store/store.ts';
import type { Connection } from './connection.ts';
import type { Persistence } from './persistence.ts';
import { SharedDocument } from './sharedDocument.ts';
import { LOAD_ORIGIN } from './types.ts';

export interface DocumentsOptions {
  store: Store;
  log: Logger;
  extensions: readonly Extension[];
  persistence: Persistence;
  docIdleMs: number;
  /** SCALE-2: runs before a document is read from the store (takes its lease); throwing refuses the load. */
  beforeLoad?: (name: string) => Promise<void>;
  /**
   * HIST-8: may rewrite what was read from the store before the document is built (and store the rewrite itself);
   * runs after `beforeLoad`, so with several nodes only the owner does. Throwing refuses the load.
   */
  prepare?: (name: string, stored: StoredDoc) => Promise<StoredDoc>;
  /** Runs a hook on every extension, logging (not throwing) failures. */
  hooks: (hook: string, call: (x: Extension) => void) => void;
}

export class Documents {
  readonly #o: DocumentsOptions;
  readonly #entries = new Map<string, Promise<SharedDocument>>();
  readonly #loaded = new Map<string, SharedDocument>();
  readonly #unloading = new Map<string, Promise<void>>();
  #closing = false;

  constructor(options: DocumentsOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#loaded.size;
  }

  /** The loaded document, loading it first when needed. */
  async acquire(name: string): Promise<SharedDocument> {
    for (;;) {
      const unloading = this.#unloading.get(name);
      if (unloading) {
        await unloading;
        continue;
      }
      let entry = this.#entries.get(name);
      if (!entry) {
        const created = this.#load(name);
        entry = created;
        this.#entries.set(name, created);
        created.then(
          (d) => this.#loaded.set(name, d),
          () => {
            if (this.#entries.get(name) === created) this.#entries.delete(name);
          },
        );
      }
      const document = await entry;
      if (document.closed || this.#entries.get(name) !== entry) continue;
      if (document.idleTimer) clearTimeout(document.idleTimer);
      document.idleTimer = null;
      return document;
    }
  }

  /** Removes a connection; the document unloads after the idle time when it was the last one. */
  detach(conn: Connection, document: SharedDocument): void {
    if (!document.connections.delete(conn)) return;
    if (conn.awarenessIds.size > 0 && !document.closed) {
      awarenessProtocol.removeAwarenessStates(document.awareness, [...conn.awarenessIds], null);
    }
    this.release(document);
  }

  release(document: SharedDocument): void {
    if (document.connections.size > 0 || document.closed || this.#closing) return;
    if (document.idleTimer) clearTimeout(document.idleTimer);
    document.idleTimer = setTimeout(() => this.#unload(document), this.#o.docIdleMs);
    document.idleTimer.unref();
  }

  /** Drops a document from memory at once (its state could not be persisted); it reloads from the store. */
  evict(document: SharedDocument): void {
    if (this.#loaded.get(document.name) === document) {
      this.#loaded.delete(document.name);
      this.#entries.delete(document.name);
    }
    document.destroy();
  }

  /** Unloads every document after what is pending has been committed. */
  async closeAll(): Promise<void> {
    this.#closing = true;
    await this.#o.persistence.drain();
    await Promise.all([...this.#unloading.values()]);
    for (const document of this.#loaded.values()) {
      this.#o.hooks('onUnloadDocument', (x) => x.onUnloadDocument?.({ document }));
      document.destroy();
    }
    this.#loaded.clear();
    this.#entries.clear();
  }

  /** The names of the documents in memory. */
  names(): string[] {
    return [...this.#loaded.keys()];
  }

  /**
   * HIST-8: takes a document out of memory now, whatever its connections (the caller closed them), as an idle
   * unload does (pending commits first, unload hooks); the next use loads it afresh from the store.
   */
  unloadNow(document: SharedDocument): void {
    if (document.idleTimer) clearTimeout(document.idleTimer);
    this.#unload(document, true);
  }

  /** The loaded document of that name, if any. */
  loaded(name: string): SharedDocument | undefined {
    return this.#loaded.get(name);
  }

  async #load(name: string): Promise<SharedDocument> {
    const started = performance.now();
    await this.#o.beforeLoad?.(name);
    const read = await this.#o.store.loadDoc(name);
    const stored = this.#o.prepare ? await this.#o.prepare(name, read) : read;
    const document = new SharedDocument(name);
    document.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(document.doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(document.doc, u);
    }, LOAD_ORIGIN);
    document.persistedSV = Y.encodeStateVector(document.doc);
    document.lastSeq = stored.lastSeq;
    document.sinceSnapshot = stored.lastSeq - stored.snapshotSeq;
    document.attach((d) => this.#o.persistence.schedule(d));
    for (const x of this.#o.extensions) await x.onLoadDocument?.({ document });
    this.#o.log.debug('document loaded', {
      doc: name,
      updates: stored.updates.length,
      snapshot: stored.snapshot !== null,
      ms: Math.round(performance.now() - started),
    });
    return document;
  }

  #unload(document: SharedDocument, force = false): void {
    document.idleTimer = null;
    if ((document.connections.size > 0 && !force) || document.closed || this.#closing) return;
    if (this.#loaded.get(document.name) !== document) return;
    this.#loaded.delete(document.name);
    this.#entries.delete(document.name);
    const done = (async () => {
      await this.#o.persistence.drain();
      this.#o.hooks('onUnloadDocument', (x) => x.onUnloadDocument?.({ document }));
      document.destroy();
      this.#o.log.debug('document unloaded', { doc: document.name });
    })().finally(() => this.#unloading.delete(document.name));
    this.#unloading.set(document.name, done);
  }
}
