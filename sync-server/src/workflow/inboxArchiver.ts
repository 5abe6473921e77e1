/**
 * HIST-8: as the relay loads a person's inbox document (only the node that owns it: it runs after the lease is
 * taken, SCALE-2), the items that are settled and older than the keep time leave it. Their states come from the
 * group list index (one read for all the inbox's groups, never a group document); the items go into the person's
 * archive and the document is replaced by a new one holding only the items that stay, in one store transaction
 * (core `planInboxArchive`, `freshInboxState`). Below `minItems` to archive nothing is rewritten, so an inbox is not
 * rebuilt for every few items (each rebuild makes the person's devices fetch the live inbox again).
 */
import * as Y from 'yjs';
import { freshInboxState, inboxGroupIds, inboxGroupState, planInboxArchive } from '@muster/core';
import type { InboxArchivePlan, InboxGroupState } from '@muster/core';
import { parseInboxDocName } from '@muster/protocol';
import type { Clock } from '../clock.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { Store, StoredDoc } from '../store/store.ts';

export interface InboxArchiverOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** A settled item stays live this long after its fact (core INBOX_KEEP_MS by default). */
  keepMs: number;
  /** A read item of an open group leaves once this old (core INBOX_STALE_MS). */
  staleMs: number;
  /** Archive only when at least this many items would leave. */
  minItems: number;
}

export interface InboxArchiveOutcome {
  personId: string;
  archived: number;
  kept: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** The states of these groups from the list index (those it knows with a list status). */
async function groupStates(o: InboxArchiverOptions, ids: string[]): Promise<Map<string, InboxGroupState>> {
  const groups = new Map<string, InboxGroupState>();
  if (ids.length === 0) return groups;
  for (const g of await o.store.getGroups(ids)) {
    const state = inboxGroupState(g.status);
    if (state) groups.set(g.id, state);
  }
  return groups;
}

/** What archiving would do now, or null when fewer than `minItems` would leave. */
function planOf(
  o: InboxArchiverOptions,
  doc: Y.Doc,
  groups: ReadonlyMap<string, InboxGroupState>,
  now: number,
): InboxArchivePlan | null {
  const plan = planInboxArchive(doc, groups, { now, keepMs: o.keepMs, staleMs: o.staleMs });
  return plan.archive.length === 0 || plan.archive.length < o.minItems ? null : plan;
}

/** What the sweep needs of the relay. */
export interface LoadedDocuments {
  loadedDocuments(): string[];
  withDocument<T>(docName: string, fn: (document: { doc: Y.Doc }) => T): Promise<T>;
  reload(docName: string): boolean;
}

/**
 * HIST-8: an inbox kept open (a desk's app left running for days) never loads again, so every `everyMs` the inboxes in
 * memory are looked at, and one with enough to archive is reloaded: its connections are closed (4512), they
 * reconnect, and the load archives it (a device's copy is then stale: it starts over). Returns the stop function.
 */
export function startInboxSweep(o: InboxArchiverOptions, relay: () => LoadedDocuments, everyMs: number): () => void {
  if (everyMs <= 0) return () => {};
  let running = false;
  const sweep = async (): Promise<void> => {
    for (const name of relay().loadedDocuments()) {
      if (parseInboxDocName(name) === null) continue;
      try {
        const ids = await relay().withDocument(name, ({ doc }) => inboxGroupIds(doc));
        const groups = await groupStates(o, ids);
        const due = await relay().withDocument(name, ({ doc }) => planOf(o, doc, groups, o.clock.now()) !== null);
        if (due && relay().reload(name)) o.log.info('inbox reloaded to archive it', { doc: name });
      } catch (error) {
        o.log.warn('inbox sweep failed', { doc: name, error: errorText(error) });
      }
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void sweep().finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The relay's `prepareLoad` for inbox documents; `onArchived` hears each archiving (logs, benches). */
export function inboxArchiver(
  o: InboxArchiverOptions,
  onArchived?: (outcome: InboxArchiveOutcome) => void,
): (docName: string, stored: StoredDoc) => Promise<StoredDoc> {
  return async (docName, stored) => {
    const personId = parseInboxDocName(docName);
    if (personId === null || stored.lastSeq === 0) return stored;
    const doc = new Y.Doc();
    try {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      const groups = await groupStates(o, inboxGroupIds(doc));
      const now = o.clock.now();
      const plan = planOf(o, doc, groups, now);
      if (!plan) return stored;
      const snapshot = freshInboxState(doc, plan.keep);
      const rows = plan.archive.map((e) => ({ personId, item: e.item, readAt: e.readAt, archivedAt: now }));
      await o.store.archiveInbox({ docName, rows, snapshot, lastSeq: stored.lastSeq });
      const bytesBefore = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
      const outcome = {
        personId,
        archived: rows.length,
        kept: plan.keep.length,
        bytesBefore,
        bytesAfter: snapshot.byteLength,
      };
      o.log.info('inbox archived', { ...outcome });
      onArchived?.(outcome);
      return { snapshot, snapshotSeq: stored.lastSeq, updates: [], lastSeq: stored.lastSeq };
    } catch (error) {
      // The inbox loads as it was stored; the next load tries again.
      o.log.warn('inbox not archived', { doc: docName, error: errorText(error) });
      return stored;
    } finally {
      doc.destroy();
    }
  };
}
