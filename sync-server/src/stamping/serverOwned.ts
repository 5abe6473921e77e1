/**
 * STAMP-3: clients may not touch the server-owned part of a document (root types named `server:…`). Reads the one
 * update inspector (relay/inspectUpdate.ts): an update it cannot place is `out-of-order` (the client syncs again);
 * every item that lands in a server-owned root and every deletion of one is reported so the relay drops just those
 * (REQ-2).
 */
import type * as Y from 'yjs';
import { SERVER_ROOT_PREFIX } from '@muster/protocol';
import type { Span } from '../relay/inspectUpdate.ts';
import { inspectUpdate } from '../relay/inspectUpdate.ts';
import type { DecodedUpdate } from '../relay/inspectUpdate.ts';

export type GuardResult =
  | { ok: true }
  | { ok: false; code: 'out-of-order'; detail: string }
  /** REQ-2: every offending item and deletion (struct spans), so the relay can drop just those. */
  | { ok: false; code: 'server-owned'; detail: string; items: Span[]; deletes: Span[] };

export const isServerRoot = (name: string): boolean => name.startsWith(SERVER_ROOT_PREFIX);

export function checkClientUpdate(doc: Y.Doc, decoded: DecodedUpdate): GuardResult {
  const ins = inspectUpdate(doc, decoded);
  if (ins.outOfOrder !== null) return { ok: false, code: 'out-of-order', detail: ins.outOfOrder };
  const items = ins.items.filter((i) => isServerRoot(i.root));
  const deletes = ins.deletes.filter((d) => isServerRoot(d.root));
  const first = items[0] ?? deletes[0];
  if (!first) return { ok: true };
  const verb = items[0] ? 'writes' : 'deletes';
  const detail = `${verb} ${first.span.client}:${first.span.clock} in ${first.root}`;
  return {
    ok: false,
    code: 'server-owned',
    detail,
    items: items.map((i) => i.span),
    deletes: deletes.map((d) => d.span),
  };
}
