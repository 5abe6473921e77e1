/**
 * One open group: the stock y-websocket client on the group's (already loaded) Y.Doc, plus Muster's durable
 * acknowledgement (message 8) and notices (message 9). It keeps the pending count, computed from the
 * acknowledged state vector, and reports changes to listeners and to the list index.
 */
import * as Y from 'yjs';
import type * as decoding from 'lib0/decoding';
import { CloseCode, MessageType, groupDocName, readAck, readNotice, readSyncProgress } from '@muster/protocol';
import type { Ack, Notice } from '@muster/protocol';
import { Root, decodeAckedVector, pendingRecordCount, relayedStateVector } from '@muster/core';
import { fieldsFromDoc, mergeStateVectors } from '../db/groupIndex.ts';
import type { GroupIndexFields } from '../db/schema.ts';
import { STALL_MS, type SocketStatus } from './syncStatus.ts';
import { BacklogSender, MIN_PART_BYTES } from './backlogSender.ts';
import { RelayConnection } from './relayConnection.ts';
import type { SendProgress } from './backlogSender.ts';

export interface GroupConnectionOptions {
  id: string;
  /** The group's document, loaded from the device database. */
  doc: Y.Doc;
  /** `ws(s)://host/sync`. */
  syncUrl: string;
  token: string;
  ackedStateVector: Uint8Array | null;
  ackedAt: number | null;
  /** Persists an acknowledgement (the store merges state vectors). */
  saveAck: (ack: Ack) => Promise<unknown>;
  /** Persists index fields derived from the document. */
  saveFields: (fields: Partial<GroupIndexFields>) => Promise<unknown>;
  /** Server time seen in an acknowledgement. */
  onServerTime?: (serverTime: number) => void;
  /** The relay closed for good (4400–4499), e.g. 4401 for an expired token. */
  onClosed?: (code: number, reason: string) => void;
  connect?: boolean;
  WebSocketPolyfill?: typeof WebSocket;
  /** Current server time estimate (stamps `updatedAt` of local changes in the index). */
  now?: () => number;
}

export interface GroupConnectionSnapshot {
  status: SocketStatus;
  /** The first sync with the relay completed on the current socket. */
  synced: boolean;
  pending: number;
  ackedAt: number | null;
  closeCode: number | null;
  notice: Notice | null;
  /** LATE-1/REQ-2: how many records (`collection/id`) the relay refused on this device. */
  refused?: number;
  /** The refused records (`collection/id` → refusal code). */
  refusedCodes?: ReadonlyMap<string, string>;
  /** SYNC-4: a first sync sent in parts: bytes received of the announced total (null when none is running). */
  syncProgress?: { received: number; total: number } | null;
  /** RELY-1: offline work sent in parts: bytes the relay acknowledged of the backlog (null when none is running). */
  sendProgress?: SendProgress | null;
  /** RELY-1: the relay refused a part as too large (4413); the device retries with smaller parts. */
  tooLarge?: boolean;
  /** SYNC-6: changes have waited STALL_MS or more without any acknowledgement from the relay. */
  stalled?: boolean;
}

type Listener = (s: GroupConnectionSnapshot) => void;

const refusedKey = (id: string): string => `muster.refused.${id}`;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function loadRefused(id: string): [string, string][] {
  try {
    const raw = globalThis.localStorage?.getItem(refusedKey(id));
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v)
      ? v.filter((x): x is [string, string] => Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'string')
      : [];
  } catch {
    return [];
  }
}

export class GroupConnection extends RelayConnection {
  readonly id: string;
  readonly doc: Y.Doc;
  private acked: Uint8Array | null;
  /** State vector of updates that came from the relay: another device's records are not this device's to send. */
  private received: Uint8Array | null = null;
  private state: GroupConnectionSnapshot;
  private readonly refused = new Map<string, string>();
  private listeners = new Set<Listener>();
  private recomputeTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFields = '';
  /** A document change since the last index write that counts as a change now (see onDocUpdate). */
  private touched = false;
  /** RELY-1: sends a large backlog in parts (backlogSender.ts). */
  private readonly backlog: BacklogSender;
  /** SYNC-6: runs while changes are pending; restarted by every acknowledgement; on expiry the state is stalled. */
  private stallTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: GroupConnectionOptions) {
    super({
      syncUrl: opts.syncUrl,
      docName: groupDocName(opts.id),
      doc: opts.doc,
      token: opts.token,
      ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
    });
    this.id = opts.id;
    this.doc = opts.doc;
    this.acked = opts.ackedStateVector;
    for (const [k, code] of loadRefused(opts.id)) this.refused.set(k, code);
    this.state = {
      status: 'disconnected',
      synced: false,
      pending: this.computePending(),
      ackedAt: opts.ackedAt,
      closeCode: null,
      notice: null,
      syncProgress: null,
      refused: this.refused.size,
      refusedCodes: new Map(this.refused),
      sendProgress: null,
      tooLarge: false,
      stalled: false,
    };
    this.provider.messageHandlers[MessageType.ack] = (_enc, dec) => this.handleAck(readAck(dec as decoding.Decoder));
    this.provider.messageHandlers[MessageType.notice] = (_enc, dec) => {
      const notice = readNotice(dec as decoding.Decoder);
      this.noteRefused(notice);
      this.set({ notice });
    };
    // SYNC-4: a large first sync comes in parts after an announcement; progress counts the bytes of its parts.
    this.provider.messageHandlers[MessageType.syncProgress] = (_enc, dec) => {
      const p = readSyncProgress(dec as decoding.Decoder);
      this.set({ syncProgress: { received: 0, total: p.totalBytes } });
    };
    this.backlog = new BacklogSender({
      provider: this.provider,
      doc: this.doc,
      first: (item) => (item.parent as unknown) === Root.meta,
      onProgress: (p) => this.set({ sendProgress: p }),
    });
    const syncHandler = this.provider.messageHandlers[MessageType.sync]!;
    this.provider.messageHandlers[MessageType.sync] = (enc, dec, provider, emitSynced, type) => {
      if (this.backlog.handleSync(dec as decoding.Decoder)) return;
      syncHandler(enc, dec, provider, emitSynced, type);
      const p = this.state.syncProgress;
      if (p && p.received < p.total) {
        const received = Math.min(p.total, p.received + (dec as decoding.Decoder).arr.length);
        this.set({ syncProgress: { received, total: p.total } });
      }
    };
    this.provider.on('sync', (synced: boolean) =>
      this.set({ synced, ...(synced && this.state.syncProgress ? { syncProgress: null } : {}) }),
    );
    this.doc.on('update', this.onDocUpdate);
    if (opts.connect !== false) this.connect();
  }

  /**
   * LATE-1/REQ-2: a notice naming refused records: they became garbage on the server, so the acknowledgement covers
   * them, yet the server does not hold them. They are kept apart (and persisted), never counted as saved.
   */
  private noteRefused(notice: Notice): void {
    if ((notice.kind !== 'refused' && notice.kind !== 'read-only') || !notice.keys?.length) return;
    for (const k of notice.keys) if (!this.refused.has(k)) this.refused.set(k, notice.code);
    try {
      globalThis.localStorage?.setItem(refusedKey(this.id), JSON.stringify([...this.refused]));
    } catch {
      // storage unavailable: kept for this page session
    }
    this.set({ refused: this.refused.size, refusedCodes: new Map(this.refused) });
  }

  /** LATE-1: refused records of this group on this device (`collection/id` → code). */
  get refusedRecords(): ReadonlyMap<string, string> {
    return this.refused;
  }

  get snapshot(): GroupConnectionSnapshot {
    return this.state;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  override destroy(): void {
    if (this.destroyed) return;
    super.destroy();
    this.backlog.stop();
    if (this.recomputeTimer) clearTimeout(this.recomputeTimer);
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    this.doc.off('update', this.onDocUpdate);
    this.listeners.clear();
  }

  protected override onStatus(status: SocketStatus, raw: SocketStatus | null): void {
    // y-websocket's own event: any socket but a connected one has no first sync (nor its progress)
    if (raw !== null) this.set({ status, ...(status === 'connected' ? {} : { synced: false, syncProgress: null }) });
    // Muster's: connect() after a close for good clears its code; a failed attempt's end changes the status only
    else this.set({ status, ...(this.state.status === 'closed' ? { closeCode: null } : {}) });
  }

  protected override onSocketClose(event: CloseEvent | null): void {
    this.backlog.stop();
    // RELY-1: a frame above the relay's socket limit is closed by ws itself (1009); the provider retries anyway
    if (event?.code === 1009) this.shrinkParts();
  }

  /** RELY-1: a part the relay found too large is sent again smaller; syncing never stops on it silently. */
  protected override retryClosed(code: number): boolean {
    return code === CloseCode.messageTooLarge && this.shrinkParts();
  }

  protected override onClosed(code: number, reason: string): void {
    this.set({
      status: 'closed',
      closeCode: code,
      ...(code === CloseCode.messageTooLarge ? { tooLarge: true } : {}),
    });
    this.opts.onClosed?.(code, reason);
  }

  /** Sends the backlog in smaller parts after the relay refused one as too large; false at the smallest. */
  private shrinkParts(): boolean {
    if (this.backlog.partBytes <= MIN_PART_BYTES) return false;
    this.backlog.partBytes = Math.max(MIN_PART_BYTES, this.backlog.partBytes / 4);
    this.set({ tooLarge: true });
    return true;
  }

  /**
   * SYNC-8: an acknowledgement another tab of this device heard (its socket wrote it to the shared index row): what
   * the relay holds is acknowledged whichever tab's socket it answered.
   */
  absorbAck(stateVector: Uint8Array | null, ackedAt: number | null): void {
    if (!stateVector || this.destroyed) return;
    const merged = mergeStateVectors(this.acked, stateVector);
    const grew = !this.acked || !sameBytes(merged, this.acked);
    const later = ackedAt !== null && ackedAt > (this.state.ackedAt ?? 0);
    if (!grew && !later) return;
    this.acked = merged;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    this.set({
      pending: this.computePending(),
      ...(later ? { ackedAt } : {}),
      ...(grew ? { stalled: false } : {}),
    });
    if (grew) this.persistFields(false);
  }

  /** Records a durable acknowledgement from the relay (message 8). */
  handleAck(ack: Ack): void {
    this.acked = mergeStateVectors(this.acked, ack.stateVector);
    this.backlog.onAck(ack.stateVector);
    const ackedAt = Math.max(this.state.ackedAt ?? 0, ack.serverTime);
    this.opts.onServerTime?.(ack.serverTime);
    // SYNC-6: the relay answered: whatever still waits gets a fresh STALL_MS
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    this.set({ ackedAt, pending: this.computePending(), stalled: false });
    void this.opts.saveAck(ack).catch((e: unknown) => console.warn('muster: saving ack failed', e));
    this.persistFields(false);
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // PERF-4: what came from the relay is committed (SYNC-9); the acknowledgements go to the device that wrote it
    if (origin === this.provider) this.received = mergeStateVectors(this.received, relayedStateVector(update));
    // OFFL-1: a change made now (here, or live from the relay) moves the group up the list; catching up on the
    // relay's older state (the first sync, a background fetch) does not
    if (origin !== this.provider || this.state.synced) this.touched = true;
    if (this.recomputeTimer) return;
    this.recomputeTimer = setTimeout(() => {
      this.recomputeTimer = null;
      if (this.destroyed) return;
      this.set({ pending: this.computePending() });
      const touched = this.touched;
      this.touched = false;
      this.persistFields(touched);
    }, 30);
  };

  /** The state vector counted as safe: acknowledged as persisted, or received from the relay. */
  private safeVector(): Uint8Array | null {
    if (!this.received) return this.acked;
    return mergeStateVectors(this.acked, this.received);
  }

  private computePending(): number {
    const safe = this.safeVector();
    return pendingRecordCount(this.doc, safe ? decodeAckedVector(safe) : new Map());
  }

  private persistFields(changed: boolean): void {
    const fields = fieldsFromDoc(this.doc, this.safeVector());
    const key = JSON.stringify(fields);
    if (key === this.lastFields && !changed) return;
    this.lastFields = key;
    if (changed) fields.updatedAt = (this.opts.now ?? Date.now)();
    void this.opts.saveFields(fields).catch((e: unknown) => console.warn('muster: saving index failed', e));
  }

  private set(patch: Partial<GroupConnectionSnapshot>): void {
    this.state = { ...this.state, ...patch };
    this.watchStall();
    for (const fn of this.listeners) fn(this.state);
  }

  /** SYNC-6: pending changes start the stall clock; nothing pending stops it and clears the stall. */
  private watchStall(): void {
    if (this.state.pending <= 0 || this.destroyed) {
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.stallTimer = null;
      if (this.state.stalled) this.state = { ...this.state, stalled: false };
      return;
    }
    if (this.stallTimer || this.state.stalled) return;
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      if (!this.destroyed && this.state.pending > 0) this.set({ stalled: true });
    }, STALL_MS);
  }
}
