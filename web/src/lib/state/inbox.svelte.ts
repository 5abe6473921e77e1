/**
 * INBOX-1..3 on the device: the logged-in person's inbox document, its unread count, read markers, and in-app
 * toasts for items that arrive while the app is open.
 */
import { DexieYProvider } from 'y-dexie';
import type * as Y from 'yjs';
import { CloseCode } from '@muster/protocol';
import { defineInboxRoots, inboxItems, markRead } from '@muster/core';
import type { InboxEntry, InboxItem } from '@muster/core';
import { dropInboxCopy, ensureInboxRow, inboxDoc } from '../db/db.ts';
import { InboxConnection } from '../sync/InboxConnection.ts';
import type { SocketStatus } from '../sync/syncStatus.ts';
import { syncBaseUrl } from '../sync/urls.ts';

export interface Toast {
  id: string;
  item: InboxItem;
}

const TOAST_MS = 8000;
const MAX_TOASTS = 4;

export class Inbox {
  personId = $state<string | null>(null);
  entries = $state.raw<InboxEntry[]>([]);
  status = $state<SocketStatus>('disconnected');
  /** The relay has no inbox for this person (an older server): the board falls back to open groups. */
  unavailable = $state(false);
  toasts = $state.raw<Toast[]>([]);

  unread = $derived(this.entries.filter((e) => !e.read).length);

  private doc: Y.Doc | null = null;
  private connection: InboxConnection | null = null;
  private known = new Set<string>();
  private loaded = false;
  private offUpdate: (() => void) | null = null;
  private token: string | null = null;
  /** HIST-8: items read on the copy dropped by `startOver`, marked read again as they arrive from the relay. */
  private rereads = new Set<string>();
  private startingOver = false;

  constructor(private readonly events: { onUnauthorized?: () => void; onFresh?: (item: InboxItem) => void } = {}) {}

  /** Opens the inbox of a person (loads it from Dexie, then syncs); null closes it. */
  async open(personId: string | null, token: string | null): Promise<void> {
    this.token = token ?? this.token;
    if (personId === this.personId) {
      if (token) this.connection?.setToken(token);
      return;
    }
    this.close();
    this.personId = personId;
    if (!personId) return;
    await ensureInboxRow(personId);
    if (this.personId !== personId) return;
    const doc = inboxDoc(personId);
    defineInboxRoots(doc);
    const provider = DexieYProvider.load(doc);
    await provider.whenLoaded;
    if (this.personId !== personId) {
      DexieYProvider.release(doc);
      return;
    }
    this.doc = doc;
    const onUpdate = () => this.refresh();
    doc.on('update', onUpdate);
    this.offUpdate = () => doc.off('update', onUpdate);
    this.refresh();
    this.loaded = true;
    if (token) this.connect(token);
  }

  setToken(token: string | null): void {
    this.token = token;
    if (!token) {
      this.connection?.destroy();
      this.connection = null;
      return;
    }
    if (this.connection) this.connection.setToken(token);
    else if (this.doc) this.connect(token);
  }

  reconnectNow(): void {
    this.connection?.reconnectNow();
  }

  markRead(itemIds: readonly string[]): void {
    if (!this.doc || itemIds.length === 0) return;
    markRead(this.doc, itemIds, Date.now());
  }

  /**
   * Viewing a group reads its items, escalations excepted (UX-2): each overdue post is its own matter for the
   * leader, read when that escalation is opened.
   */
  markGroupRead(groupId: string): void {
    this.markRead(
      this.entries
        .filter((e) => !e.read && e.item.groupId === groupId && e.item.kind !== 'escalation')
        .map((e) => e.item.id),
    );
  }

  markAllRead(): void {
    this.markRead(this.entries.filter((e) => !e.read).map((e) => e.item.id));
  }

  dismissToast(id: string): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  close(): void {
    this.connection?.destroy();
    this.connection = null;
    this.offUpdate?.();
    this.offUpdate = null;
    if (this.doc) DexieYProvider.release(this.doc);
    this.doc = null;
    this.entries = [];
    this.known.clear();
    this.rereads.clear();
    this.loaded = false;
    this.unavailable = false;
    this.toasts = [];
    this.status = 'disconnected';
  }

  /**
   * HIST-8: the relay archived this inbox since this copy was made (settled items left it): the copy is dropped and
   * the live inbox synced afresh; what was read here is marked read again as it arrives, and nothing it held pops up
   * as new.
   */
  private async startOver(): Promise<void> {
    const personId = this.personId;
    const token = this.token;
    if (!personId || this.startingOver) return;
    this.startingOver = true;
    try {
      const read = new Set([...this.rereads, ...this.entries.filter((e) => e.read).map((e) => e.item.id)]);
      const known = new Set(this.known);
      this.close();
      this.personId = null;
      await dropInboxCopy(personId);
      this.known = known;
      this.rereads = read;
      await this.open(personId, token);
    } finally {
      this.startingOver = false;
    }
  }

  private connect(token: string): void {
    if (!this.doc || !this.personId) return;
    this.connection = new InboxConnection({
      personId: this.personId,
      doc: this.doc,
      syncUrl: syncBaseUrl(location.origin),
      token,
      onStatus: (s) => (this.status = s),
      onStale: () => void this.startOver(),
      onClosed: (code) => {
        if (code === CloseCode.unauthorized) this.events.onUnauthorized?.();
        else this.unavailable = true;
      },
    });
  }

  private refresh(): void {
    if (!this.doc) return;
    const entries = inboxItems(this.doc);
    if (this.loaded) {
      const fresh = entries.filter((e) => !e.read && !this.known.has(e.item.id));
      for (const e of fresh) {
        this.toast(e.item);
        this.events.onFresh?.(e.item);
      }
    }
    for (const e of entries) this.known.add(e.item.id);
    this.entries = entries;
    const again = entries.filter((e) => !e.read && this.rereads.has(e.item.id)).map((e) => e.item.id);
    if (again.length) {
      for (const id of again) this.rereads.delete(id);
      markRead(this.doc, again, Date.now());
    }
  }

  private toast(item: InboxItem): void {
    const t = { id: item.id, item };
    this.toasts = [...this.toasts.filter((x) => x.id !== item.id), t].slice(-MAX_TOASTS);
    setTimeout(() => this.dismissToast(t.id), TOAST_MS);
  }
}
