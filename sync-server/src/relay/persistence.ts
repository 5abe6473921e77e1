/**
 * Group commit: updates applied during one event-loop turn are appended to the store in one transaction,
 * across documents; only after the commit are they acknowledged. One commit runs at a time; what arrives
 * meanwhile goes into the next one.
 */
import * as Y from 'yjs';
import type { Clock } from '../clock.ts';
import { Root, listStatusOf } from '@muster/core';
import type { ReadonlyChangedKeys } from '@muster/core';
import type { DocAppend, Store } from '../store/store.ts';
import { groupSummaryOf, touchesListStatus } from './groupIndex.ts';
import type { Connection } from './connection.ts';
import type { SharedDocument, Unsent } from './sharedDocument.ts';

export interface CommitHooks {
  /** The document's updates up to `stateVector` are durable; `owed` get the acknowledgement (PERF-4). */
  committed(
    document: SharedDocument,
    info: {
      stateVector: Uint8Array;
      count: number;
      serverTime: number;
      changes: ReadonlyChangedKeys;
      owed: readonly Connection[];
    },
  ): void;
  /**
   * PERF-4: connections sent updates that changed nothing (already held, or refused): everything of the document
   * before them is durable, they are acknowledged with what is.
   */
  acknowledge(document: SharedDocument, owed: readonly Connection[], serverTime: number): void;
  /** The store failed; the documents' pending updates were not persisted. */
  failed(documents: SharedDocument[], error: unknown): void;
}

export class Persistence {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #hooks: CommitHooks;
  readonly #dirty = new Set<SharedDocument>();
  #loop: Promise<void> | null = null;

  constructor(store: Store, clock: Clock, hooks: CommitHooks) {
    this.#store = store;
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Marks a document as having pending updates; they are committed after the current turn. */
  schedule(document: SharedDocument): void {
    this.#dirty.add(document);
    if (!this.#loop) this.#loop = this.#run();
  }

  /** Resolves when everything scheduled so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  async #run(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#dirty.size > 0) {
      const documents = [...this.#dirty];
      this.#dirty.clear();
      await this.#commit(documents);
    }
    this.#loop = null;
  }

  async #commit(documents: SharedDocument[]): Promise<void> {
    const serverTime = this.#clock.now();
    const cut: {
      document: SharedDocument;
      stateVector: Uint8Array;
      append: DocAppend;
      changes: ReadonlyChangedKeys;
      messages: Unsent[];
      owed: Connection[];
    }[] = [];
    const nothingNew: { document: SharedDocument; messages: Unsent[]; owed: Connection[] }[] = [];
    for (const document of documents) {
      const { updates, changes, audit, members, messages, owed } = document.takePending();
      if (updates.length === 0 && audit.length === 0 && members.length === 0) {
        // One commit at a time: whatever this document had before is committed by now.
        if (owed.length > 0 || messages.length > 0) nothingNew.push({ document, messages, owed });
        continue;
      }
      let group = null;
      if (document.groupId) {
        // PERF-1: the row is derived from the whole document only when the group record changed.
        if (!document.summary || changes.has(Root.meta)) {
          document.summary = groupSummaryOf(document.doc, document.groupId, serverTime);
        } else {
          const entryCount = document.summary.entryCount + document.entryDelta;
          document.summary = { ...document.summary, entryCount, updatedAt: serverTime };
          // HIST-1: the list status again when invitations, sign-offs (or their stamps) or the closure changed
          if (touchesListStatus(changes)) document.summary.status = listStatusOf(document.doc);
        }
        document.entryDelta = 0;
        group = document.summary;
      }
      const stateVector = Y.encodeStateVector(document.doc);
      const append: DocAppend = {
        docName: document.name,
        updates,
        group,
        ...(audit.length ? { audit } : {}),
        ...(members.length ? { members } : {}),
      };
      cut.push({ document, stateVector, append, changes, messages, owed });
    }
    for (const { document, messages, owed } of nothingNew) {
      document.releaseCommitted(messages);
      if (owed.length > 0) this.#hooks.acknowledge(document, owed, serverTime);
    }
    if (cut.length === 0) return;
    let results;
    try {
      results = await this.#store.appendUpdates(cut.map((c) => c.append));
    } catch (error) {
      this.#hooks.failed(
        cut.map((c) => c.document),
        error,
      );
      return;
    }
    cut.forEach(({ document, stateVector, append, changes, messages, owed }, i) => {
      const r = results[i]!;
      document.releaseCommitted(messages);
      document.persistedSV = stateVector;
      document.lastSeq = r.lastSeq;
      document.sinceSnapshot = r.sinceSnapshot;
      this.#hooks.committed(document, { stateVector, count: append.updates.length, serverTime, changes, owed });
    });
  }
}
