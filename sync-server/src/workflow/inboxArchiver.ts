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
import type { InboxGroupState } from '@muster/core';
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
      const ids = inboxGroupIds(doc);
      if (ids.length === 0) return stored;
      const groups = new Map<string, InboxGroupState>();
      for (const g of await o.store.getGroups(ids)) {
        const state = inboxGroupState(g.status);
        if (state) groups.set(g.id, state);
      }
      const now = o.clock.now();
      const plan = planInboxArchive(doc, groups, { now, keepMs: o.keepMs, staleMs: o.staleMs });
      if (plan.archive.length === 0 || plan.archive.length < o.minItems) return stored;
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
