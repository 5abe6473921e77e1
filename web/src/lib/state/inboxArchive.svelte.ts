/**
 * HIST-8 on the device: the person's inbox archive (items that left the live inbox as settled or old), read from the
 * relay a page at a time (`GET /api/inbox/archive`), newest first. Nothing of it is kept on the device: it is history,
 * read when asked for.
 */
import { parseInboxItem } from '@muster/core';
import type { InboxItem } from '@muster/core';
import { api } from '../sync/api.ts';

export interface ArchivedEntry {
  item: InboxItem;
  read: boolean;
  archivedAt: number;
}

export class InboxArchive {
  entries = $state.raw<ArchivedEntry[]>([]);
  /** More pages after the ones shown. */
  more = $state(false);
  loading = $state(false);
  /** The last page could not be read (offline, server). */
  error = $state<unknown>(null);
  private cursor: string | null = null;
  private asked = 0;

  constructor(private readonly session: { token: string | null }) {}

  /** Reads the newest page again (the archive view opened). */
  async first(): Promise<void> {
    this.cursor = null;
    this.entries = [];
    this.more = false;
    await this.page();
  }

  /** Reads the next page (older items). */
  async next(): Promise<void> {
    if (this.more && !this.loading) await this.page();
  }

  private async page(): Promise<void> {
    const token = this.session.token;
    if (!token) return;
    const ask = ++this.asked;
    this.loading = true;
    this.error = null;
    try {
      const res = await api.inboxArchive(token, this.cursor);
      if (ask !== this.asked) return;
      const fresh = res.items.flatMap((e) => {
        const item = parseInboxItem(e.item);
        return item ? [{ item, read: e.read, archivedAt: e.archivedAt }] : [];
      });
      this.entries = [...this.entries, ...fresh];
      this.cursor = res.cursor;
      this.more = res.cursor !== null;
    } catch (error) {
      if (ask === this.asked) this.error = error;
    } finally {
      if (ask === this.asked) this.loading = false;
    }
  }
}
