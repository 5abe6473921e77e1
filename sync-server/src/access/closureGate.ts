/**
 * LATE-1/LATE-2/LATE-3: what a closed group still accepts, judged per connection from what the relay itself
 * delivered to that device, never from what the device claims (its sync step 1 state vector) or its clock.
 *
 * When the relay has delivered the closure to a connection (answering its sync step 1 on a closed group, or
 * broadcasting the closure as it is written) it at once sends a sync step 1 of its own: the probe. A client
 * answers every sync step 1 with one sync step 2, in order, so the answer to the probe carries everything the
 * device made before it had processed the closure (an honest device writes nothing after: CLOSE-5). Until that
 * answer, what the connection sends is offline work and is kept (received after closure, marked by its stamp);
 * the answer itself is kept too; anything newer is cut out (REQ-2) with a `read-only` notice `closed`. The clocks
 * the device's client ids had reached by then are recorded as closure receipts in `server:receipts`, so after a
 * reconnect or a restart of the relay items at or beyond them are still cut. A connection that sends updates but
 * does not answer the probe within the reply window is closed (retryable): on reconnect it is judged afresh.
 *
 * Late work is kept only for field-work record kinds (core `mayArriveLate`) and only after the access rules passed
 * (members, ACL-6/7). Every record kept late is audited (`late-received`). Seal requests and lessons of the
 * review (REVIEW-3) are new after the closure and pass as any record does. A sealed group (LATE-3) refuses every
 * write: the items are cut (the device is acknowledged and keeps its copy) with a `read-only` notice `sealed`.
 */
import * as Y from 'yjs';
import {
  AFTER_CLOSURE_COLLECTIONS,
  Root,
  STAMPED_COLLECTIONS,
  mayArriveLate,
  readClosure,
  readReceipt,
  readSeal,
  recordReceipts,
} from '@muster/core';
import { CloseCode, parseDocName } from '@muster/protocol';
import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../clock.ts';
import type { Extension } from '../extension.ts';
import type { Logger } from '../log.ts';
import { inspectUpdate } from '../relay/inspectUpdate.ts';
import type { Span } from '../relay/inspectUpdate.ts';
import type { ConnectionHandle, DocumentHandle, Refusal } from '../relay/types.ts';
import { SERVER_ORIGIN } from '../relay/types.ts';

/** Default time a connection has to answer the probe once it sends again (relay clock). */
export const CLOSURE_REPLY_WINDOW_MS = 20_000;

interface GateState {
  /** Number of the probe among the relay's sync step 1s on this connection; 0 before the closure was delivered. */
  probe: number;
  /** Relay time of the first update after the probe: the reply window runs from there. */
  windowFrom: number | null;
  /** The probe was answered: everything newer from this connection is cut. */
  answered: boolean;
  /** Device client ids this connection brought items of, or announced in awareness. */
  clients: Set<number>;
}

const COLLECTIONS = new Set<string>(STAMPED_COLLECTIONS);

export function closureGate(opts: { clock: Clock; audit: Auditor; log: Logger; replyWindowMs?: number }): Extension {
  const { clock, audit, log } = opts;
  const windowMs = opts.replyWindowMs ?? CLOSURE_REPLY_WINDOW_MS;
  const states = new WeakMap<ConnectionHandle, GateState>();
  const stateOf = (c: ConnectionHandle): GateState => {
    let st = states.get(c);
    if (!st) states.set(c, (st = { probe: 0, windowFrom: null, answered: false, clients: new Set() }));
    return st;
  };

  const probe = (c: ConnectionHandle): void => {
    const st = stateOf(c);
    if (st.probe > 0) return;
    st.probe = c.syncStepOnesSent + 1;
    c.requestSync();
  };

  const writeReceipts = (document: DocumentHandle, st: GateState, person: string): void => {
    const clocks = new Map<number, number>();
    for (const client of st.clients) clocks.set(client, Y.getState(document.doc.store, client));
    const n = recordReceipts(document.doc, clocks, clock.now(), SERVER_ORIGIN);
    if (n > 0) log.info('closure receipts recorded', { doc: document.name, person, clients: n });
  };

  /** The probe was answered: later writes of the connection are cut, and the receipts are recorded. */
  const answer = (document: DocumentHandle, connection: ConnectionHandle, st: GateState): void => {
    st.answered = true;
    for (const id of (connection as { awarenessIds?: Set<number> }).awarenessIds ?? []) st.clients.add(id);
    // After the answer is applied (this hook runs just before): the clocks then are the device's receipt.
    const person = connection.principal.sub;
    queueMicrotask(() => {
      if (!readSeal(document.doc)) writeReceipts(document, st, person);
    });
  };

  return {
    name: 'closure-gate',
    phase: 'inspect',

    onLoadDocument({ document }) {
      if (!parseDocName(document.name)) return;
      const closure = document.doc.getMap(Root.closure) as unknown as Y.AbstractType<Y.YEvent<any>>;
      // The probe follows the closure on each socket: the closure is broadcast once it is committed (SYNC-9), and
      // the probe goes out right after that broadcast.
      document.doc.on('update', (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => {
        if (!tr.changed.has(closure) || !readClosure(document.doc)) return;
        document.afterCommit(() => {
          for (const c of document.connections) probe(c);
        });
      });
    },

    afterSyncAnswer({ connection, document }) {
      if (parseDocName(document.name) && readClosure(document.doc)) probe(connection);
    },

    beforeApply({ connection, document, decoded, kind }) {
      if (!parseDocName(document.name) || !readClosure(document.doc)) return null;
      const doc = document.doc;
      const st = stateOf(connection);
      const fresh = decoded.structs.filter(
        (s): s is Y.Item => s instanceof Y.Item && s.id.clock + s.length > Y.getState(doc.store, s.id.client),
      );
      const isAnswer = kind === 'step2' && st.probe > 0 && connection.syncStepTwosReceived >= st.probe;
      if (fresh.length === 0) {
        // An answer with nothing new still ends what this connection may bring.
        if (isAnswer && !st.answered) answer(document, connection, st);
        return null;
      }
      const ins = inspectUpdate(doc, decoded);
      const keyOf = (s: Span): string | null => {
        const r = ins.added.find((x) => x.span.client === s.client && x.span.clock === s.clock);
        return r ? `${r.collection}/${r.key}` : null;
      };
      const spans = (items: Y.Item[]): Span[] =>
        items.map((s) => ({ client: s.id.client, clock: s.id.clock, len: s.length }));
      const cut = (items: Span[], code: string, message: string): Refusal => {
        const keys = items.map(keyOf).filter((k): k is string => k !== null);
        return {
          code,
          message: `${message}${keys.length ? `; not applied: ${keys.join(', ')}` : ''}`,
          report: true,
          resync: false,
          notice: 'read-only',
          drop: { items, deletes: [], keys },
        };
      };
      if (readSeal(doc)) {
        // KEEP-2: a leader's legal hold is the one write a sealed group still takes (its record rule judges it)
        const rest = fresh.filter((s) => {
          const r = ins.added.find((x) => x.span.client === s.id.client && x.span.clock === s.id.clock);
          return r?.collection !== Root.holdRequests;
        });
        if (rest.length) return cut(spans(rest), 'sealed', 'this group is sealed: nothing more is accepted');
      }

      // Seal requests (LATE-3) and lessons (REVIEW-3) are new after the closure: their record rules judge them.
      const isAfterClosure = (s: Y.Item): boolean => {
        const r = ins.added.find((x) => x.span.client === s.id.client && x.span.clock === s.id.clock);
        return r !== undefined && AFTER_CLOSURE_COLLECTIONS.has(r.collection);
      };
      const now = clock.now();
      if (st.probe > 0 && !st.answered && !isAnswer) {
        st.windowFrom ??= now;
        if (now - st.windowFrom > windowMs) {
          log.warn('closure probe not answered in time; closing', { doc: document.name, conn: connection.id });
          connection.close(CloseCode.closureAnswerLate, 'closed group: answer the sync request, then reconnect');
          return { code: 'closure-answer-late', message: 'not answered in time', report: false, resync: false };
        }
      }
      const newer: Y.Item[] = [];
      for (const s of fresh) {
        if (isAfterClosure(s)) continue;
        const receipt = readReceipt(doc, s.id.client);
        const beyondReceipt = receipt !== null && s.id.clock + s.length > receipt.clock;
        const r = ins.added.find((x) => x.span.client === s.id.client && x.span.clock === s.id.clock);
        // Anything that is not a record of a device collection (nested or unknown roots) is not field work.
        const lateKind = r ? mayArriveLate(r.collection, r.value) : false;
        if (st.answered || beyondReceipt || !lateKind) newer.push(s);
      }
      for (const s of fresh) if (!newer.includes(s)) st.clients.add(s.id.client);
      if (isAnswer && !st.answered) answer(document, connection, st);
      if (newer.length === 0) return null;
      return cut(
        spans(newer),
        'closed',
        'this group is closed; only work made before your device received the closure is kept',
      );
    },

    afterApply({ connection, document, transaction }) {
      if (!parseDocName(document.name) || !readClosure(document.doc)) return;
      const keys: string[] = [];
      for (const [type, changed] of transaction.changed) {
        if (type._item !== null) continue;
        const root = Y.findRootTypeKey(type);
        if (!COLLECTIONS.has(root) || AFTER_CLOSURE_COLLECTIONS.has(root)) continue;
        for (const k of changed) if (k !== null) keys.push(`${root}/${k}`);
      }
      if (keys.length === 0) return;
      audit.note({
        action: 'late-received',
        actor: connection.principal.sub,
        docName: document.name,
        detail: { keys, closedAt: readClosure(document.doc)?.at ?? null },
      });
    },

    onDisconnect({ connection }) {
      states.delete(connection);
    },
  };
}
