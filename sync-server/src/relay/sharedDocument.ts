/** A document in memory: the Y.Doc, its awareness, its connections and its not-yet-persisted updates. */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { Root, defineRoots } from '@muster/core';
import { MessageType, parseDocName } from '@muster/protocol';
import type { GroupSummary } from '@muster/protocol';
import type { Connection } from './connection.ts';
import type { DocumentHandle } from './types.ts';

const INDEX_ROOTS = new Set<string>([Root.meta, Root.entries]);

export class SharedDocument implements DocumentHandle {
  readonly name: string;
  /** Group id when the document is a group. */
  readonly groupId: string | null;
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Updates applied in memory and not yet handed to the store. */
  pending: Uint8Array[] = [];
  /** Encoded state vector of everything persisted. */
  persistedSV: Uint8Array = Y.encodeStateVector(this.doc);
  lastSeq = 0;
  sinceSnapshot = 0;
  /** The group-list row needs recomputing (meta or entries changed). */
  indexDirty = true;
  summary: GroupSummary | null = null;
  compacting = false;
  idleTimer: NodeJS.Timeout | null = null;
  closed = false;

  constructor(name: string) {
    this.name = name;
    this.groupId = parseDocName(name)?.id ?? null;
    if (this.groupId) defineRoots(this.doc);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
  }

  /**
   * Starts relaying: every update is queued for the store and sent to every connection but its origin;
   * awareness changes are sent to everyone. `onUpdate` runs after queueing (schedules persistence).
   */
  attach(onUpdate: (document: SharedDocument) => void): void {
    this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      this.pending.push(update);
      if (!this.indexDirty) {
        for (const type of tr.changed.keys()) {
          const root = type._item === null ? Y.findRootTypeKey(type) : null;
          if (root !== null && INDEX_ROOTS.has(root)) this.indexDirty = true;
        }
      }
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.sync);
      syncProtocol.writeUpdate(e, update);
      this.broadcast(encoding.toUint8Array(e), origin);
      onUpdate(this);
    });
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const conn = this.connections.has(origin as Connection) ? (origin as Connection) : null;
        if (conn) {
          for (const id of added) conn.awarenessIds.add(id);
          for (const id of removed) conn.awarenessIds.delete(id);
        }
        const changed = added.concat(updated, removed);
        this.broadcast(this.awarenessMessage(changed));
      },
    );
  }

  awarenessMessage(clients: number[]): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    return encoding.toUint8Array(e);
  }

  broadcast(message: Uint8Array, except?: unknown): void {
    if (this.#held) {
      this.#held.push({ message, except });
      return;
    }
    for (const c of this.connections) if (c !== except) c.send(message);
  }

  #held: { message: Uint8Array; except: unknown }[] | null = null;

  /**
   * Holds broadcasts while a client update is applied, until every extension's `afterApply` ran (side effects such
   * as closing connections that may no longer read happen before anyone receives the update), then sends them.
   */
  holdBroadcasts<T>(fn: () => T): T {
    if (this.#held) return fn();
    this.#held = [];
    try {
      return fn();
    } finally {
      const held = this.#held;
      this.#held = null;
      for (const h of held) this.broadcast(h.message, h.except);
    }
  }

  takePending(): Uint8Array[] {
    const p = this.pending;
    this.pending = [];
    return p;
  }

  destroy(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
