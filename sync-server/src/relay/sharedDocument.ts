/** A document in memory: the Y.Doc, its awareness, its connections and its not-yet-persisted updates. */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { Root, addChanges, defineRoots, isEntryAt, rootMap } from '@muster/core';
import type { ChangedKeys } from '@muster/core';
import { MessageType, parseDocName } from '@muster/protocol';
import type { GroupSummary } from '@muster/protocol';
import type { AuditInput, MemberRegistration } from '../store/store.ts';
import type { Connection } from './connection.ts';
import type { DocumentHandle } from './types.ts';

/** SYNC-9: what goes out once a commit holds the updates before it (a broadcast, a closure probe). */
export type AfterCommit = () => void;

/** An update applied in memory, waiting for its commit before it goes to the other connections (SYNC-9). */
export interface UnsentUpdate {
  update: Uint8Array;
  /** The connection it came from (it does not get it back), or the relay's own origin. */
  origin: unknown;
}

/** SYNC-9: what a commit releases, in order: updates to broadcast and what must follow them. */
export type Unsent = UnsentUpdate | AfterCommit;

/** PERF-4: the fewest connections that get the whole run of a commit for its updates to go out merged. */
const MERGE_MIN_RECEIVERS = 3;

/** A sync update message (y-websocket message 0, update) around one Yjs update. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export class SharedDocument implements DocumentHandle {
  readonly name: string;
  /** Group id when the document is a group. */
  readonly groupId: string | null;
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Updates applied in memory and not yet handed to the store. */
  pending: Uint8Array[] = [];
  /** AUDIT-7: audit rows about the pending updates, stored in the same transaction. */
  pendingAudit: AuditInput[] = [];
  /** AUDIT-8: members the pending updates register, stored in the same transaction. */
  pendingMembers: MemberRegistration[] = [];
  #onUpdate: ((document: SharedDocument) => void) | null = null;
  /** Encoded state vector of everything persisted. */
  persistedSV: Uint8Array = Y.encodeStateVector(this.doc);
  lastSeq = 0;
  sinceSnapshot = 0;
  /** PERF-1: the keys changed per root since the last commit took them (`takePending`). */
  changes: ChangedKeys = new Map();
  /**
   * PERF-4: connections that sent an update since the last commit took them: each gets the durable acknowledgement
   * of that commit. Nobody else does: what a device receives from the relay is already committed (SYNC-9).
   */
  owed = new Set<Connection>();
  /**
   * The group-list row, kept up to date from what changed: derived again when `meta` changed, its entry count moved
   * by `entryDelta` (valid entries added minus removed since the row was derived) otherwise.
   */
  summary: GroupSummary | null = null;
  entryDelta = 0;
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
    this.#onUpdate = onUpdate;
    if (this.groupId) {
      rootMap(this.doc, Root.entries).observe((event) => {
        for (const [key, change] of event.changes.keys) {
          const was = change.action !== 'add' && isEntryAt(key, change.oldValue) ? 1 : 0;
          const is = change.action !== 'delete' && isEntryAt(key, event.target.get(key)) ? 1 : 0;
          this.entryDelta += is - was;
        }
      });
    }
    this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      this.pending.push(update);
      addChanges(this.changes, this.doc, tr);
      // SYNC-9: sent once committed (`releaseCommitted`), so no device holds a write the store may not have: after
      // an owner dies mid-commit, nobody sends the next owner server stamps or others' records it never stored.
      this.unsent.push({ update, origin });
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
    for (const c of this.connections) if (c !== except) c.send(message);
  }

  /** SYNC-9: updates (and what must follow them) waiting for their commit. */
  private unsent: Unsent[] = [];

  /** AUDIT-7: the row goes to the store with the pending updates (the update being handled now among them). */
  auditWithCommit(entry: AuditInput): void {
    this.pendingAudit.push(entry);
    this.#onUpdate?.(this);
  }

  /** AUDIT-8: the member goes to the store with the pending updates (the update being handled now among them). */
  registerWithCommit(registration: MemberRegistration): void {
    this.pendingMembers.push(registration);
    this.#onUpdate?.(this);
  }

  /**
   * What to commit: the pending updates, the keys they changed, their audit rows (AUDIT-7) and members (AUDIT-8), what goes to the other
   * connections once committed, and the connections owed the commit's acknowledgement (PERF-4).
   */
  takePending(): {
    updates: Uint8Array[];
    changes: ChangedKeys;
    audit: AuditInput[];
    members: MemberRegistration[];
    messages: Unsent[];
    owed: Connection[];
  } {
    const taken = {
      updates: this.pending,
      changes: this.changes,
      audit: this.pendingAudit,
      members: this.pendingMembers,
      messages: this.unsent,
      owed: [...this.owed],
    };
    this.pending = [];
    this.pendingAudit = [];
    this.pendingMembers = [];
    this.changes = new Map();
    this.unsent = [];
    this.owed.clear();
    return taken;
  }

  /**
   * SYNC-9: runs `fn` after the update being handled now is committed and broadcast (call it from a `doc.on('update')`
   * listener: the closure probe must follow the closure on every socket).
   */
  afterCommit(fn: AfterCommit): void {
    this.unsent.push(fn);
  }

  /** SYNC-9: the updates of a commit reach the other connections once the store holds them, in order. */
  releaseCommitted(messages: readonly Unsent[]): void {
    if (this.closed) return;
    let run: UnsentUpdate[] = [];
    for (const m of messages) {
      if (typeof m !== 'function') {
        run.push(m);
        continue;
      }
      this.#sendUpdates(run);
      run = [];
      m();
    }
    this.#sendUpdates(run);
  }

  /**
   * PERF-4: consecutive updates of a commit reach each connection as one message: a client's update and the stamps
   * the relay wrote for it go out merged (one Yjs update), and the connection an update came from gets the rest
   * without it. Each distinct message is encoded once and the same bytes go to every socket that gets it. Merging
   * costs the relay about as much as sending 3 small messages (and saves each receiving device a transaction), so for
   * fewer receivers the updates go out one by one.
   */
  #sendUpdates(run: readonly UnsentUpdate[]): void {
    if (run.length === 0) return;
    const origins = new Set(run.map((u) => u.origin));
    let receivers = 0;
    for (const c of this.connections) if (!origins.has(c)) receivers++;
    if (run.length === 1 || receivers < MERGE_MIN_RECEIVERS) {
      for (const u of run) this.broadcast(updateMessage(u.update), u.origin);
      return;
    }
    const byOrigin = new Map<unknown, Uint8Array | null>();
    for (const c of this.connections) {
      const key = origins.has(c) ? c : null;
      let message = byOrigin.get(key);
      if (message === undefined) {
        const parts = run.filter((u) => u.origin !== c).map((u) => u.update);
        message = parts.length === 0 ? null : updateMessage(parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
        byOrigin.set(key, message);
      }
      if (message) c.send(message);
    }
  }

  destroy(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
