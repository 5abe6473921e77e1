/** Background compaction of a document's update log into a snapshot of its in-memory state. */
import * as Y from 'yjs';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { SharedDocument } from './sharedDocument.ts';

/** Starts a compaction after the current turn unless one is running. */
export function scheduleCompaction(document: SharedDocument, store: Store, log: Logger): void {
  if (document.compacting) return;
  document.compacting = true;
  setImmediate(() => {
    if (document.closed) {
      document.compacting = false;
      return;
    }
    const upto = document.lastSeq;
    // The in-memory state covers every persisted update up to `upto` (and maybe later ones: idempotent).
    const snapshot = Y.encodeStateAsUpdate(document.doc);
    const started = performance.now();
    store
      .compact(document.name, snapshot, upto)
      .then(() => {
        document.sinceSnapshot = document.lastSeq - upto;
        log.debug('compacted', {
          doc: document.name,
          upto,
          bytes: snapshot.byteLength,
          ms: Math.round(performance.now() - started),
        });
      })
      .catch((error: unknown) =>
        log.warn('compaction failed', { doc: document.name, error: error instanceof Error ? error.message : error }),
      )
      .finally(() => {
        document.compacting = false;
      });
  });
}
