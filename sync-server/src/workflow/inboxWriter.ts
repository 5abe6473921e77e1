/**
 * INBOX-1/INBOX-3: writes what group documents owe to persons into their inbox documents (`inbox:<personId>`),
 * through core `addInboxItems` with the server's origin. Items are keyed, so delivering twice changes nothing;
 * an in-memory set only saves reloading inbox documents for items already delivered since start-up. HIST-6: that
 * set is a bounded LRU (a Map in use order, oldest first), so it holds the recent deliveries and never grows with
 * history; an item that fell out of it is at worst written again, which changes nothing. HIST-8: an item already in
 * the person's archive (it left the live inbox as settled) is never written into the live inbox again.
 */
import { addInboxItems, defineInboxRoots } from '@muster/core';
import type { Delivery, InboxItem } from '@muster/core';
import { inboxDocName, parseInboxDocName } from '@muster/protocol';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import { SERVER_ORIGIN } from '../relay/types.ts';
import type { DocumentAccess } from './types.ts';

/** SCALE-4: writes items into an inbox document another node owns (the error its loading threw says which). */
export type RemoteInbox = (error: unknown, personId: string, items: InboxItem[]) => Promise<boolean>;

/** HIST-8: which of these item ids are in the person's archive (the store's `archivedInboxIds`). */
export type ArchivedIds = (personId: string, itemIds: readonly string[]) => Promise<string[]>;

export class InboxWriter {
  readonly #docs: () => DocumentAccess;
  readonly #log: Logger;
  /** Several nodes: the owner of an inbox document writes it (cluster/remoteInbox.ts). */
  remote: RemoteInbox | null = null;
  readonly #delivered = new Map<string, true>();
  readonly #limit: number;
  readonly #archived: ArchivedIds | null;
  #queue: Promise<void> = Promise.resolve();

  constructor(docs: () => DocumentAccess, log: Logger, opts: { deliveredLimit?: number; archived?: ArchivedIds } = {}) {
    this.#docs = docs;
    this.#log = log;
    this.#limit = Math.max(1, opts.deliveredLimit ?? 100_000);
    this.#archived = opts.archived ?? null;
  }

  /**
   * Writes items into the person's inbox document on this node (SCALE-4: the owner's side of a remote delivery
   * too), leaving out those already archived (HIST-8); resolves to the items added.
   */
  async write(personId: string, items: readonly InboxItem[]): Promise<InboxItem[]> {
    const archived =
      this.#archived && items.length
        ? new Set(
            await this.#archived(
              personId,
              items.map((i) => i.id),
            ),
          )
        : null;
    const todo = archived?.size ? items.filter((i) => !archived.has(i.id)) : items;
    if (todo.length === 0) return [];
    return this.#docs().withDocument(inboxDocName(personId), ({ doc }) => {
      defineInboxRoots(doc);
      return addInboxItems(doc, todo, SERVER_ORIGIN);
    });
  }

  /** How many deliveries are remembered (bounded by the limit). */
  get rememberedDeliveries(): number {
    return this.#delivered.size;
  }

  /** Whether this delivery is remembered; a hit becomes the most recently used. */
  #seen(key: string): boolean {
    if (!this.#delivered.delete(key)) return false;
    this.#delivered.set(key, true);
    return true;
  }

  #remember(key: string): void {
    this.#delivered.set(key, true);
    while (this.#delivered.size > this.#limit) {
      const oldest = this.#delivered.keys().next().value;
      if (oldest === undefined) break;
      this.#delivered.delete(oldest);
    }
  }

  /**
   * Queues deliveries (in order); resolves when they are written into the inbox documents: true, or false when
   * some could not be written (they are then forgotten, so a later delivery of them writes them).
   */
  deliver(deliveries: readonly Delivery[]): Promise<boolean> {
    const byPerson = new Map<string, InboxItem[]>();
    for (const d of deliveries) {
      const key = `${d.personId}/${d.item.id}`;
      if (this.#seen(key) || !parseInboxDocName(inboxDocName(d.personId))) continue;
      this.#remember(key);
      const list = byPerson.get(d.personId) ?? [];
      list.push(d.item);
      byPerson.set(d.personId, list);
    }
    if (byPerson.size === 0) return this.#queue.then(() => true);
    let ok = true;
    this.#queue = this.#queue.then(async () => {
      for (const [personId, items] of byPerson) {
        try {
          const added = await this.write(personId, items);
          if (added.length) this.#log.debug('inbox items delivered', { person: personId, items: added.length });
        } catch (error) {
          if (this.remote && (await this.remote(error, personId, items).catch(() => false))) continue;
          ok = false;
          for (const i of items) this.#delivered.delete(`${personId}/${i.id}`);
          this.#log.error('inbox delivery failed', { person: personId, error: errorText(error) });
          if (this.retryMs > 0) this.#retry(personId, items);
        }
      }
    });
    return this.#queue.then(() => ok);
  }

  /**
   * SCALE-4: items that could not be written (the inbox's owner just died, the store failed) are tried again after
   * this long, doubling up to a minute; 0 leaves them to the group's next commit.
   */
  retryMs = 0;
  readonly #backoff = new Map<string, number>();
  #stopped = false;

  #retry(personId: string, items: InboxItem[]): void {
    const delay = Math.min(60_000, this.#backoff.get(personId) ?? this.retryMs);
    this.#backoff.set(personId, delay * 2);
    const t = setTimeout(() => {
      if (this.#stopped) return;
      void this.deliver(items.map((item) => ({ personId, item }))).then(() => {
        if (items.every((i) => this.#delivered.has(`${personId}/${i.id}`))) this.#backoff.delete(personId);
      });
    }, delay);
    t.unref();
  }

  /** No more retries (the server stops). */
  stop(): void {
    this.#stopped = true;
  }

  /** Resolves when everything queued is written. */
  idle(): Promise<void> {
    return this.#queue;
  }
}
