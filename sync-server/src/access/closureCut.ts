/**
 * LATE-1 on a closed group: a member's offline work, made before this connection could show the device the closure
 * (below its state vector at connect), is kept and received after closure. Anything newer is cut out (REQ-2), never
 * the whole update, so the device is not stuck. Device times are not trusted and not used.
 */
import * as Y from 'yjs';
import type { Span } from '../relay/inspectUpdate.ts';
import type { DecodedUpdate, Inspection } from '../relay/inspectUpdate.ts';
import type { ConnectionHandle, DocumentHandle, Refusal } from '../relay/types.ts';
import { closedAt } from './updateRules.ts';

/**
 * The items of an update, new to the server, that the device made after this connection opened (at or beyond its
 * state vector at connect): on a closed group these are not offline work. An item that reaches past the state
 * vector is counted whole.
 */
export function newerThanConnect(doc: Y.Doc, decoded: DecodedUpdate, svAtConnect: ReadonlyMap<number, number>): Span[] {
  const out: Span[] = [];
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue;
    const end = s.id.clock + s.length;
    if (end <= Y.getState(doc.store, s.id.client)) continue;
    if (end > (svAtConnect.get(s.id.client) ?? 0)) out.push({ client: s.id.client, clock: s.id.clock, len: s.length });
  }
  return out;
}

/** The refusal that cuts a closed group's newer work out of an update, or null when the group is open or none. */
export function closureCut(
  connection: ConnectionHandle,
  document: DocumentHandle,
  decoded: DecodedUpdate,
  ins: Inspection,
): Refusal | null {
  if (closedAt(document.doc) === null) return null;
  const newer = newerThanConnect(document.doc, decoded, connection.svAtConnect ?? new Map());
  if (newer.length === 0) return null;
  const keys = ins.added
    .filter((r) => newer.some((s) => s.client === r.span.client && s.clock === r.span.clock))
    .map((r) => `${r.collection}/${r.key}`);
  return {
    code: 'closed',
    message: `this group is closed; only work made offline before reconnecting is kept${keys.length ? `; not applied: ${keys.join(', ')}` : ''}`,
    report: true,
    resync: false,
    notice: 'read-only',
    drop: { items: newer, deletes: [], keys },
  };
}
