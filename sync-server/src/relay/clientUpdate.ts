/**
 * A client's update on its way into a document (REQ-2, SYNC-9): decoded, checked by every `beforeApply` hook (a
 * refusal may cut the offending parts, and every hook checks the rest again), applied, then the `afterApply` hooks.
 * Nothing of it reaches another connection before its commit (SharedDocument.releaseCommitted).
 */
import * as Y from 'yjs';
import type { Clock } from '../clock.ts';
import type { Extension } from '../extension.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { Connection } from './connection.ts';
import { dropFromUpdate } from './dropStructs.ts';
import { ProtocolError } from './messages.ts';
import type { Persistence } from './persistence.ts';
import type { SharedDocument } from './sharedDocument.ts';
import type { Refusal } from './types.ts';

export interface ClientUpdateDeps {
  /** The extensions in pipeline order. */
  extensions: readonly Extension[];
  persistence: Persistence;
  store: Store;
  clock: Clock;
  /** Runs a hook of every extension, logging (not throwing) a failure. */
  hooks: (hook: string, call: (x: Extension) => void) => void;
}

export class ClientUpdates {
  constructor(private readonly deps: ClientUpdateDeps) {}

  apply(conn: Connection, document: SharedDocument, update: Uint8Array, kind: 'step2' | 'update', log: Logger): void {
    let decoded;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      throw new ProtocolError('invalid update');
    }
    if (kind === 'step2') conn.syncStepTwosReceived++;
    // PERF-4: this connection gets the acknowledgement of the next commit, whatever becomes of its update.
    document.owed.add(conn);
    this.deps.persistence.schedule(document);
    const xs = this.deps.extensions;
    for (let i = 0, partial = 0; i < xs.length; i++) {
      const x = xs[i]!;
      let refusal: Refusal | null | undefined;
      try {
        refusal = x.beforeApply?.({ connection: conn, document, update, decoded, kind });
      } catch (error) {
        // LIMIT-2: an update that decodes but that an inspection cannot read is malformed client input (4400), on
        // every document kind (groups and inboxes alike); the log names the extension in case it is a bug there.
        log.warn('update could not be inspected', { extension: x.name, error: errorText(error) });
        throw new ProtocolError('update could not be inspected');
      }
      if (!refusal) continue;
      const drop = refusal.drop;
      if (!drop || partial >= 4 || drop.items.length + drop.deletes.length === 0) {
        return this.#refuse(conn, document, refusal, log);
      }
      // REQ-2: refuse the offending parts only; every extension checks the rest again.
      this.#refuse(conn, document, refusal, log);
      try {
        update = dropFromUpdate(decoded, drop.items, drop.deletes);
        decoded = Y.decodeUpdate(update);
      } catch {
        throw new ProtocolError('update could not be cut');
      }
      partial++;
      i = -1;
    }
    // SYNC-9: nothing of this update reaches another connection before its commit, so every afterApply side effect
    // (membership, settling connections that waited on a new group, stamps) happens before anyone receives it.
    let transaction: Y.Transaction | null = null;
    const capture = (tr: Y.Transaction): void => {
      if (tr.origin === conn) transaction = tr;
    };
    document.doc.on('afterTransaction', capture);
    try {
      Y.applyUpdate(document.doc, update, conn);
    } catch {
      throw new ProtocolError('update could not be applied');
    } finally {
      document.doc.off('afterTransaction', capture);
    }
    if (!transaction) return;
    const tr: Y.Transaction = transaction;
    this.deps.hooks('afterApply', (x) => x.afterApply?.({ connection: conn, document, transaction: tr, kind }));
  }

  #refuse(conn: Connection, document: SharedDocument, refusal: Refusal, log: Logger): void {
    if (refusal.resync) {
      log.debug('update out of order; asking the client to sync again', { code: refusal.code });
      conn.requestSync();
    }
    if (!refusal.report) return;
    log.warn('update refused', { code: refusal.code, reason: refusal.message });
    const keys = refusal.drop?.keys;
    conn.notice({
      kind: refusal.notice ?? 'refused',
      code: refusal.code,
      message: refusal.message,
      ...(keys ? { keys } : {}),
    });
    if (refusal.audit === false) return;
    this.deps.store
      .appendAudit({
        at: this.deps.clock.now(),
        actor: conn.principal.sub,
        action: 'update-refused',
        docName: document.name,
        detail: { code: refusal.code, message: refusal.message, ...(refusal.drop ? { keys: refusal.drop.keys } : {}) },
      })
      .catch((error: unknown) => log.error('audit append failed', { error: errorText(error) }));
  }
}
