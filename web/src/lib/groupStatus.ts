/**
 * UX-4: what a group list row says of its group without loading the document: closed or open, how many invited
 * posts have signed, how many are overdue (at the server's now), and the closure deadline. The facts are written to
 * the group's index row whenever its document is loaded (`statusFromDoc`); the time-dependent parts are judged when
 * the row is drawn (`rowStatus`). Pure: tested in Node.
 */
import type * as Y from 'yjs';
import { listStatusOf } from '@muster/core';
import type { GroupListStatus, OpenInvitation } from '@muster/protocol';

/** Kept on the index row. */
export interface GroupStatusFacts {
  /** Server time of the closure, null while open. */
  closedAt: number | null;
  invited: number;
  signed: number;
  /** Deadlines of the registered invitations no one has signed yet. */
  openDeadlines: number[];
  closureDeadline: number | null;
  /** HIST-1: the invitations no one has signed yet (the desk board reads them; absent on rows from before). */
  open?: OpenInvitation[];
  /** HIST-1: who started the group (absent on rows from before). */
  initiatorId?: string | null;
  /** KEEP-2: server time the legal hold in force was placed (absent or null: none). */
  heldAt?: number | null;
}

export function statusFromDoc(doc: Y.Doc): GroupStatusFacts {
  return factsOf(listStatusOf(doc));
}

/** HIST-1: the row's facts from the list status (the server's list row, or a document loaded here). */
export function factsOf(s: GroupListStatus): GroupStatusFacts {
  return {
    closedAt: s.closedAt,
    invited: s.invited,
    signed: s.signed,
    openDeadlines: s.open.flatMap((o) => (o.deadline === null ? [] : [o.deadline])),
    closureDeadline: s.closureDeadline,
    open: s.open,
    initiatorId: s.initiatorId ?? null,
    heldAt: s.heldAt ?? null,
  };
}

export interface RowStatus {
  closed: boolean;
  invited: number;
  signed: number;
  /** Registered invitations unsigned past their deadline at `now` (0 once closed). */
  overdue: number;
  closureDeadline: number | null;
  /** Open past the closure deadline at `now`. */
  closureOverdue: boolean;
  /** KEEP-2: a legal hold is on. */
  held: boolean;
}

/** The row's status at `now` (server time), or null when the device has never held the group's document. */
export function rowStatus(facts: GroupStatusFacts | undefined, now: number): RowStatus | null {
  if (!facts) return null;
  const closed = facts.closedAt !== null;
  return {
    closed,
    invited: facts.invited,
    signed: facts.signed,
    overdue: closed ? 0 : facts.openDeadlines.filter((d) => d < now).length,
    closureDeadline: facts.closureDeadline,
    closureOverdue: !closed && facts.closureDeadline !== null && facts.closureDeadline < now,
    held: (facts.heldAt ?? null) !== null,
  };
}

export const LIST_FILTERS = ['all', 'open', 'mine', 'overdue', 'closed'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** HIST-1: "mine": I started the group, or it awaits the sign-off of a post I am on duty at. */
export function isMine(
  facts: GroupStatusFacts | undefined,
  personId: string | null,
  postIds: readonly string[],
): boolean {
  if (!facts || personId === null) return false;
  return facts.initiatorId === personId || (facts.open ?? []).some((o) => postIds.includes(o.postId));
}

/** HIST-1: search over the row's title, initiator and id (case-insensitive; blank matches every row). */
export function matchesSearch(row: { id: string; title: string; initiatorName: string }, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (q === '') return true;
  return [row.title, row.initiatorName, row.id].some((s) => s.toLocaleLowerCase().includes(q));
}

/** Whether a row passes the filter; a row whose status is unknown counts as open (not overdue, not closed). */
export function matchesFilter(status: RowStatus | null, filter: ListFilter, mine = false): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'mine':
      return mine;
    case 'open':
      return !status?.closed;
    case 'overdue':
      return !!status && !status.closed && (status.overdue > 0 || status.closureOverdue);
    case 'closed':
      return !!status?.closed;
  }
}
