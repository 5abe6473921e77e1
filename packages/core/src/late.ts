/**
 * LATE-1/LATE-2: work that reaches a closed group. The relay keeps what a member's device made before it had
 * received the closure; which client clocks that was is recorded per device client id in `server:receipts` (the
 * closure receipts), so a reconnect or a restart of the relay judges the same way. Only field work arrives late:
 * findings, clues and instructions, sign-offs, acknowledgements, task outcomes and supervisions, questions to
 * the look-up assistant (ASSIST-10: asked offline while the group was open, answered when they arrive) and look-up
 * answers a desk pushed to a member (ASSIST-8), like clues. What would change
 * the closed record's decisions (the group record, invitations, new tasks and approvals, decision and close
 * requests) does not; a seal request (LATE-3) and a lesson of the review (REVIEW-3) are the writes that are new
 * after closure (judged by the record rules like any other, never cut for coming after the closure).
 */
import type * as Y from 'yjs';
import { Root, rootMap } from './schema.ts';

const LATE_COLLECTIONS = new Set<string>([
  Root.entries,
  Root.signoffs,
  Root.acks,
  Root.taskEvents,
  Root.supervisions,
  Root.questions,
  Root.lookupPushes,
]);
const LATE_ENTRY_TYPES = new Set(['finding', 'clue', 'instruction']);

/** Collections whose records are written after the closure: seal requests (LATE-3), lessons (REVIEW-3), holds. */
export const AFTER_CLOSURE_COLLECTIONS: ReadonlySet<string> = new Set([
  Root.sealRequests,
  Root.lessons,
  // KEEP-2: a legal hold is placed or lifted on a closed group too
  Root.holdRequests,
]);

/** LATE-2: may a record of this collection (with this value) be received after closure? */
export function mayArriveLate(collection: string, value: unknown): boolean {
  if (!LATE_COLLECTIONS.has(collection)) return false;
  if (collection !== Root.entries) return true;
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === 'string' && LATE_ENTRY_TYPES.has(type);
}

export interface ClosureReceipt {
  /** The client's clock when it had received the closure: its items at or beyond it are newer than the closure. */
  clock: number;
  /** Server time the receipt was recorded. */
  at: number;
}

/** LATE-1: the closure receipt of a device client id, or null when none was recorded. */
export function readReceipt(doc: Y.Doc, client: number): ClosureReceipt | null {
  const v = rootMap(doc, Root.receipts).get(String(client)) as Partial<ClosureReceipt> | undefined;
  return v && typeof v.clock === 'number' && typeof v.at === 'number' ? { clock: v.clock, at: v.at } : null;
}

/** LATE-1 (server): records closure receipts; a receipt, once written, never changes (the first bound counts). */
export function recordReceipts(doc: Y.Doc, clocks: ReadonlyMap<number, number>, now: number, origin: unknown): number {
  const map = rootMap(doc, Root.receipts);
  const todo = [...clocks].filter(([client]) => !map.has(String(client)));
  if (todo.length === 0) return 0;
  doc.transact(() => {
    for (const [client, clock] of todo) map.set(String(client), { clock, at: now });
  }, origin);
  return todo.length;
}
