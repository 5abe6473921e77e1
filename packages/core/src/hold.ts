/**
 * KEEP-2: a leader's legal hold (法律保全) on a group: while it is on, retention (KEEP-1) never removes the group
 * from a device. A leader acting in the group (POL-21) asks with a `holdRequests` record (place or lift, with a
 * reason), offline too; the relay records each accepted request with its server time in `server:hold` (and audits
 * it); the latest decides. A hold may be placed or lifted on an open, closed or sealed group.
 */
import type * as Y from 'yjs';
import type { Directory } from './directory.ts';
import { groupFactsOf, mayHold } from './policy.ts';
import { stampedRecords } from './records.ts';
import { Root, rootMap } from './schema.ts';
import type { Actor, HoldRecord, HoldRequestRecord } from './schema.ts';
import { parseHold, parseHoldRequest } from './validate.ts';
import { assertId, putOnce } from './writeOnce.ts';

export interface RequestHoldInput {
  id: string;
  on: boolean;
  reason: string;
  by: Actor;
  postId: string;
  deviceTime: number;
}

/** KEEP-2 (device): asks to place (`on`) or lift a legal hold. */
export function requestHold(doc: Y.Doc, input: RequestHoldInput): HoldRequestRecord {
  assertId(input.id, 'record');
  const record: HoldRequestRecord = {
    id: input.id,
    on: input.on,
    reason: input.reason.trim(),
    by: input.by,
    postId: input.postId,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.holdRequests, record, {
    unique: 'a hold request with this id exists',
    check: { parse: parseHoldRequest, invalid: ['bad-hold', 'hold request is not valid'] },
  });
}

/** Every accepted hold request, oldest first (server time, then request id). */
export function holdHistory(doc: Y.Doc): HoldRecord[] {
  const out: HoldRecord[] = [];
  for (const v of rootMap(doc, Root.hold).values()) {
    const h = parseHold(v);
    if (h) out.push(h);
  }
  return out.sort((a, b) => a.at - b.at || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
}

/** KEEP-2: the hold in force (the latest accepted request placed it), or null. */
export function currentHold(doc: Y.Doc): HoldRecord | null {
  const last = holdHistory(doc).at(-1);
  return last?.on ? last : null;
}

/**
 * KEEP-2 (server): records the hold requests not recorded yet that the policy allows (POL-21), in derived order,
 * at server time `now`; returns them (to audit). Requests the relay refused never reach the document (POL-2).
 */
export function recordHolds(doc: Y.Doc, directory: Directory, now: number, origin: unknown): HoldRecord[] {
  const map = rootMap(doc, Root.hold);
  const todo = stampedRecords(doc, Root.holdRequests, parseHoldRequest).filter((r) => !map.has(r.id));
  if (todo.length === 0) return [];
  const facts = groupFactsOf(doc);
  const out: HoldRecord[] = [];
  for (const r of todo) {
    const { by, postId } = r.record;
    const who = directory.person(by.personId);
    if (!who) continue;
    const subject = { personId: who.id, unitId: who.unitId, roles: who.roles };
    if (!mayHold(directory, subject, facts, postId).ok) continue;
    out.push({ requestId: r.id, on: r.record.on, reason: r.record.reason, by, postId, at: now });
  }
  if (out.length)
    doc.transact(() => {
      for (const h of out) map.set(h.requestId, h);
    }, origin);
  return out;
}
