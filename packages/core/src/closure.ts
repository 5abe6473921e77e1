/**
 * CLOSE-1..CLOSE-5: closure (办结). A device asks to close with a result summary; the relay checks who asks and that
 * no task is open, and writes the closure with its time into `server:closure`. Timely when within the closure
 * deadline, counted from the server's time of the group record.
 */
import type * as Y from 'yjs';
import type { Directory } from './directory.ts';
import { CommandError } from './errors.ts';
import { readMeta } from './group.ts';
import { groupFactsOf, mayCloseGroup } from './policy.ts';
import { DEFAULT_DEADLINE_POLICY, closureMinutes, incidentTypeOf } from './sla.ts';
import type { DeadlinePolicy } from './sla.ts';
import { readClosure, stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { CLOSURE_KEY, META_KEY, Root, rootMap } from './schema.ts';
import type { Actor, ClosureRecord, CloseRequestRecord } from './schema.ts';
import { MINUTE } from './sla.ts';
import { stampOf } from './stamps.ts';
import { taskViews } from './tasks.ts';
import { parseCloseRequest, parseInvitation } from './validate.ts';
import { beginWrite, putOnce } from './writeOnce.ts';

export type CloseRefusal =
  { code: 'no-group' } | { code: 'closed' } | { code: 'open-tasks'; taskIds: string[] } | { code: 'not-allowed' };

/** CLOSE-2: a group may close only when every task is done or waived with a reason. */
export function canClose(doc: Y.Doc, now: number): { ok: true } | { ok: false; refusal: CloseRefusal } {
  if (!readMeta(doc)) return { ok: false, refusal: { code: 'no-group' } };
  if (readClosure(doc)) return { ok: false, refusal: { code: 'closed' } };
  const open = taskViews(doc, now).filter((t) => t.state === 'open');
  if (open.length) return { ok: false, refusal: { code: 'open-tasks', taskIds: open.map((t) => t.task.id) } };
  return { ok: true };
}

/**
 * CLOSE-1: the initiator may close, or a person on duty at a management post invited to the group (`postId`).
 */
export function mayClose(doc: Y.Doc, directory: Directory, personId: string, postId: string | null): boolean {
  return readMeta(doc) !== null && mayCloseGroup(directory, personId, postId, groupFactsOf(doc));
}

export interface RequestCloseInput {
  id: string;
  summary: string;
  by: Actor;
  postId?: string | null;
  deviceTime: number;
}

/** CLOSE-1/CLOSE-2 (device): asks to close with a result summary; refused at once while tasks are open. */
export function requestClose(doc: Y.Doc, input: RequestCloseInput, now: number): CloseRequestRecord {
  beginWrite(doc, input.id, 'record');
  const summary = input.summary.trim();
  if (!summary) throw new CommandError('summary-required', 'closing needs a result summary');
  const can = canClose(doc, now);
  if (!can.ok) throw new CommandError(can.refusal.code, `the group cannot close: ${can.refusal.code}`);
  const record: CloseRequestRecord = {
    id: input.id,
    summary,
    by: input.by,
    postId: input.postId ?? null,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.closeRequests, record, {
    check: { parse: parseCloseRequest, invalid: ['bad-close', 'close request is not valid'] },
  });
}

/** CLOSE-4: server time of the group record plus the closure deadline (default 24 h); null until stamped. */
export function closureDeadline(doc: Y.Doc, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): number | null {
  const meta = readMeta(doc);
  const at = stampOf(doc, Root.meta, META_KEY)?.at;
  if (!meta || at === undefined) return null;
  // POL-15: the policy's closure deadline, never the group record's `closureDeadlineMinutes`.
  return at + closureMinutes(policy, incidentTypeOf(doc)) * MINUTE;
}

export type CloseVerdict =
  | { request: Stamped<CloseRequestRecord>; ok: true }
  | { request: Stamped<CloseRequestRecord>; ok: false; refusal: CloseRefusal };

/**
 * CLOSE-3 (server): judges close requests in derived order; the first acceptable one closes the group, and the
 * judging stops there. Refused requests are returned so the relay can tell the device.
 */
export function judgeCloseRequests(doc: Y.Doc, directory: Directory, now: number): CloseVerdict[] {
  const out: CloseVerdict[] = [];
  if (readClosure(doc)) return out;
  for (const r of stampedRecords(doc, Root.closeRequests, parseCloseRequest)) {
    if (!mayClose(doc, directory, r.record.by.personId, r.record.postId)) {
      out.push({ request: r, ok: false, refusal: { code: 'not-allowed' } });
      continue;
    }
    const can = canClose(doc, now);
    if (!can.ok) {
      out.push({ request: r, ok: false, refusal: can.refusal });
      continue;
    }
    out.push({ request: r, ok: true });
    break;
  }
  return out;
}

/** CLOSE-3/CLOSE-4 (server): writes the closure of an accepted request; once only. */
export function recordClosure(
  doc: Y.Doc,
  request: CloseRequestRecord,
  now: number,
  origin: unknown,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): ClosureRecord | null {
  if (readClosure(doc)) return null;
  const deadline = closureDeadline(doc, policy);
  const closure: ClosureRecord = {
    requestId: request.id,
    summary: request.summary,
    by: request.by,
    postId: request.postId,
    at: now,
    deadline,
    timely: deadline !== null && now <= deadline,
  };
  doc.transact(() => rootMap(doc, Root.closure).set(CLOSURE_KEY, closure), origin);
  return closure;
}
