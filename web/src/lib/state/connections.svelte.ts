/**
 * Which groups have an open socket: the groups in view, the groups with changes the relay has not acknowledged
 * (and, later, the inbox), never all groups. Each held group has its document loaded from Dexie (y-dexie) and a
 * GroupConnection on it; a group is closed a little after its last holder lets go.
 */
import { liveQuery } from 'dexie';
import { SvelteMap } from 'svelte/reactivity';
import { DexieYProvider } from 'y-dexie';
import type * as Y from 'yjs';
import { CloseCode } from '@muster/protocol';
import { db, groupDoc } from '../db/db.ts';
import { pendingToSend } from '../db/groupIndex.ts';
import { ensureRow, markSynced, patchRow, recordAck } from '../db/groups.ts';
import type { GroupIndexFields } from '../db/schema.ts';
import { GroupConnection, type GroupConnectionSnapshot } from '../sync/GroupConnection.ts';
import { serverClock } from '../sync/serverClock.ts';
import { attestation } from '../sync/attestation.ts';
import type { SocketStatus } from '../sync/syncStatus.ts';
import { syncBaseUrl } from '../sync/urls.ts';
import type { Network } from '../sync/network.ts';

export type HoldReason = 'view' | 'pending' | 'inbox' | 'prefetch';

const RELEASE_GRACE_MS = 3000;

const CLOSED: GroupConnectionSnapshot = {
  status: 'disconnected',
  synced: false,
  pending: 0,
  ackedAt: null,
  closeCode: null,
  notice: null,
};

export class GroupHandle {
  snapshot = $state.raw<GroupConnectionSnapshot>(CLOSED);
  /** Bumped on every document change, so views re-derive. */
  version = $state(0);
  readonly reasons = new Set<HoldReason>();
  releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private offUpdate: () => void;
  private offSnapshot: () => void;

  constructor(
    readonly id: string,
    readonly doc: Y.Doc,
    readonly connection: GroupConnection,
  ) {
    this.snapshot = connection.snapshot;
    this.offSnapshot = connection.subscribe((s) => (this.snapshot = s));
    const onUpdate = () => this.version++;
    doc.on('update', onUpdate);
    this.offUpdate = () => doc.off('update', onUpdate);
  }

  close(): void {
    this.offSnapshot();
    this.offUpdate();
    this.connection.destroy();
    DexieYProvider.release(this.doc);
  }
}

export interface ConnectionsEvents {
  /** The relay refused the token (4401). */
  onUnauthorized?: () => void;
  /** A device write of a group document failed (STORE-2: quota). */
  onStoreError?: (error: unknown) => void;
  /** The logged-in person: only groups held for them get sockets for pending changes (shared tablet). */
  personId?: () => string | null;
  /** The browser network state: every socket reconnects when it comes back. */
  network: Network;
}

export class Connections {
  readonly handles = new SvelteMap<string, GroupHandle>();
  private loading = new Map<string, Promise<GroupHandle>>();
  private token: string | null = null;
  private pendingSub: { unsubscribe(): void } | null = null;

  socketStatuses = $derived<SocketStatus[]>([...this.handles.values()].map((h) => h.snapshot.status));

  constructor(private readonly events: ConnectionsEvents) {
    events.network.whenOnline(() => this.reconnectAll());
  }

  /** Sets (or clears) the token; with a token, groups with pending changes get sockets. */
  setToken(token: string | null): void {
    const changed = token !== this.token;
    this.token = token;
    if (!changed) return;
    for (const h of this.handles.values()) {
      if (token) {
        h.connection.setToken(token);
        h.connection.connect();
      } else h.connection.provider.disconnect();
    }
    if (token && !this.pendingSub) this.watchPending();
    if (!token && this.pendingSub) {
      this.pendingSub.unsubscribe();
      this.pendingSub = null;
    }
  }

  /** Logout: every socket closes now, so nothing of this person's groups is sent under the next person's token. */
  closeAll(): void {
    this.setToken(null);
    for (const h of [...this.handles.values()]) {
      if (h.releaseTimer) clearTimeout(h.releaseTimer);
      h.releaseTimer = null;
      h.reasons.clear();
      this.handles.delete(h.id);
      h.close();
    }
  }

  /** SYNC-8: acknowledgements in the index rows (written by any tab of this device) reach the open groups here. */
  absorbAcks(rows: readonly GroupIndexFields[]): void {
    if (this.handles.size === 0) return;
    for (const row of rows) this.handles.get(row.id)?.connection.absorbAck(row.ackedStateVector, row.ackedAt);
  }

  get(id: string): GroupHandle | undefined {
    return this.handles.get(id);
  }

  async acquire(id: string, reason: HoldReason): Promise<GroupHandle> {
    const existing = this.handles.get(id);
    if (existing) {
      this.hold(existing, reason);
      return existing;
    }
    let p = this.loading.get(id);
    if (!p) {
      p = this.open(id);
      this.loading.set(id, p);
      p.finally(() => this.loading.delete(id)).catch(() => {});
    }
    const handle = await p;
    this.hold(handle, reason);
    return handle;
  }

  /** `graceMs` 0 closes at once (OFFL-1: a background fetch is done with the socket). */
  release(id: string, reason: HoldReason, graceMs = RELEASE_GRACE_MS): void {
    const h = this.handles.get(id);
    if (!h) return;
    h.reasons.delete(reason);
    if (h.reasons.size > 0 || h.releaseTimer) return;
    h.releaseTimer = setTimeout(() => {
      h.releaseTimer = null;
      if (h.reasons.size > 0) return;
      // LOCK-1: unsent work keeps flowing whoever lets go (the lock leaving the group page mid-upload included):
      // a socket with changes the relay has not acknowledged stays, held as pending until the index row says none
      if (this.token && h.snapshot.pending > 0) {
        h.reasons.add('pending');
        return;
      }
      this.handles.delete(id);
      h.close();
    }, graceMs);
  }

  /** Reconnects every socket at once (the browser reports the network is back). */
  reconnectAll(): void {
    for (const h of this.handles.values()) h.connection.reconnectNow();
  }

  private hold(h: GroupHandle, reason: HoldReason): void {
    h.reasons.add(reason);
    if (h.releaseTimer) {
      clearTimeout(h.releaseTimer);
      h.releaseTimer = null;
    }
  }

  private async open(id: string): Promise<GroupHandle> {
    await ensureRow(id, Date.now(), this.events.personId?.() ?? null);
    const doc = groupDoc(id);
    const provider = DexieYProvider.load(doc);
    provider.on('error', (e: unknown) => this.events.onStoreError?.(e));
    await provider.whenLoaded;
    const row = await db.groups.get(id);
    const connection = new GroupConnection({
      id,
      doc,
      syncUrl: syncBaseUrl(location.origin),
      token: this.token ?? '',
      ackedStateVector: row?.ackedStateVector ?? null,
      ackedAt: row?.ackedAt ?? null,
      saveAck: (ack) => recordAck(id, ack),
      saveFields: (fields) => patchRow(id, fields),
      onServerTime: (t) => {
        serverClock.observe(t);
        // ATT-1: a durable acknowledgement is the device's server-time anchor.
        attestation.observe(t);
      },
      onClosed: (code) => {
        if (code === CloseCode.unauthorized) this.events.onUnauthorized?.();
      },
      now: () => serverClock.now(),
      connect: this.token !== null,
    });
    const handle = new GroupHandle(id, doc, connection);
    // OFFL-1: a completed sync means the device holds the group as of now: readable and writable offline
    let wasSynced = false;
    connection.subscribe((s) => {
      if (s.synced && !wasSynced) void markSynced(id, serverClock.now()).catch((e: unknown) => console.warn(e));
      wasSynced = s.synced;
    });
    this.handles.set(id, handle);
    return handle;
  }

  /**
   * Groups whose index row says the relay has not acknowledged everything get a socket until it has: only those
   * held for the logged-in person (another officer's unsynced work waits for their own login).
   */
  private watchPending(): void {
    const personId = this.events.personId?.() ?? null;
    this.pendingSub = liveQuery(() => db.groups.where('pending').above(0).toArray()).subscribe({
      next: (rows) => {
        const want = new Set(pendingToSend(rows, personId));
        for (const id of want) {
          const h = this.handles.get(id);
          if (!h || !h.reasons.has('pending')) void this.acquire(id, 'pending').catch((e: unknown) => console.warn(e));
        }
        for (const h of this.handles.values())
          if (h.reasons.has('pending') && !want.has(h.id)) this.release(h.id, 'pending');
      },
      error: (e: unknown) => console.warn('muster: pending watch failed', e),
    });
  }
}
