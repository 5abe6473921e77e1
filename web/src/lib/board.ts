/**
 * The desk board (签收台): every invitation awaiting the posts I am on duty at, across groups, most urgent first.
 * Built from loaded group documents (exact: stamps, sign-offs), from the group list index (HIST-3: the server's
 * list rows name each group's unsigned invitations with their deadlines, so the board opens no closed or settled
 * group), and from my inbox's invitation items for groups the index does not know yet (the deadline estimated from
 * the post kind's default). Pure: tested in Node.
 */
import { DEFAULT_DEADLINE_MINUTES, MINUTE } from '@muster/core';
import type { InboxEntry, InvitationView, PostKind } from '@muster/core';
import type { OpenInvitation } from '@muster/protocol';

export type Urgency = 'overdue' | 'soon' | 'waiting' | 'pending';

/** Under this much time left an invitation shows as due soon. */
export const SOON_MS = 3 * MINUTE;

export interface BoardItem {
  key: string;
  groupId: string;
  groupTitle: string;
  invitationId: string;
  postId: string;
  postName: string;
  unitName: string;
  /** Server time of the deadline; null until the server registered the invitation. */
  deadline: number | null;
  remainingMs: number | null;
  urgency: Urgency;
  /** From the group document (exact), the list index (exact deadline) or only the inbox (deadline estimated). */
  source: 'group' | 'index' | 'inbox';
  /** UX-10: server time the invitation was registered (the inbox item's time when only the inbox knows it). */
  since: number | null;
  /** UX-10: what the desk needs to know of the group; null until its document is loaded here. */
  facts: BoardGroupFacts | null;
}

/** UX-10: a group as a board row describes it: incident number and address, initiator and their unit. */
export interface BoardGroupFacts {
  incidentNo: string | null;
  address: string | null;
  initiator: string;
  /** The group's unit (the initiator's station). */
  unitId: string;
}

/** HIST-3: a group as the list index knows it (the server's list row); `open` absent: the index has no status. */
export interface IndexedGroup {
  id: string;
  title: string;
  closedAt: number | null;
  open?: readonly OpenInvitation[];
}

/** Whether the index knows the group's invitations (then it, not the inbox, says which still await a post). */
const knows = (g: IndexedGroup | undefined): g is IndexedGroup & { open: readonly OpenInvitation[] } =>
  g?.open !== undefined;

export interface LoadedGroup {
  id: string;
  title: string;
  closed: boolean;
  invitations: InvitationView[];
  facts?: BoardGroupFacts;
}

export function urgencyOf(remainingMs: number | null): Urgency {
  if (remainingMs === null) return 'pending';
  if (remainingMs < 0) return 'overdue';
  return remainingMs <= SOON_MS ? 'soon' : 'waiting';
}

const RANK: Record<Urgency, number> = { overdue: 0, soon: 1, waiting: 1, pending: 2 };

/** Most urgent first: overdue (longest overdue first), then least time left, then not yet registered. */
export function compareBoardItems(a: BoardItem, b: BoardItem): number {
  const r = RANK[a.urgency] - RANK[b.urgency];
  if (r !== 0) return r;
  if (a.remainingMs !== null && b.remainingMs !== null && a.remainingMs !== b.remainingMs) {
    return a.remainingMs - b.remainingMs;
  }
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export interface BoardInput {
  myPostIds: readonly string[];
  groups: readonly LoadedGroup[];
  /** HIST-3: the group list index rows. */
  index?: readonly IndexedGroup[];
  inbox: readonly InboxEntry[];
  /** Post kind and names from the directory, for inbox-only items. */
  post: (postId: string) => { kind: PostKind; name: string; unitName: string } | null;
  now: number;
  /** Invitations seen signed (or their group closed) in a group no longer loaded. */
  settled?: ReadonlySet<string>;
}

export function boardItems(input: BoardInput): BoardItem[] {
  const mine = new Set(input.myPostIds);
  const out: BoardItem[] = [];
  const loaded = new Map(input.groups.map((g) => [g.id, g]));
  const seen = new Set<string>();
  for (const g of input.groups) {
    for (const v of g.invitations) {
      const postId = v.invitation.post.id;
      seen.add(`${g.id}/${v.invitation.id}`);
      if (g.closed || !mine.has(postId) || v.signOff !== null) continue;
      out.push({
        key: `${g.id}/${v.invitation.id}`,
        groupId: g.id,
        groupTitle: g.title,
        invitationId: v.invitation.id,
        postId,
        postName: v.invitation.post.name,
        unitName: v.invitation.post.unitName,
        deadline: v.deadline,
        remainingMs: v.remainingMs,
        urgency: urgencyOf(v.remainingMs),
        source: 'group',
        since: v.registeredAt,
        facts: g.facts ?? null,
      });
    }
  }
  const index = new Map((input.index ?? []).map((g) => [g.id, g]));
  for (const g of index.values()) {
    if (!knows(g) || g.closedAt !== null || loaded.has(g.id)) continue;
    for (const o of g.open) {
      const key = `${g.id}/${o.invitationId}`;
      if (!mine.has(o.postId) || seen.has(key) || input.settled?.has(key)) continue;
      seen.add(key);
      const post = input.post(o.postId);
      const remainingMs = o.deadline === null ? null : o.deadline - input.now;
      out.push({
        key,
        groupId: g.id,
        groupTitle: g.title,
        invitationId: o.invitationId,
        postId: o.postId,
        postName: post?.name ?? o.postId,
        unitName: post?.unitName ?? '',
        deadline: o.deadline,
        remainingMs,
        urgency: urgencyOf(remainingMs),
        source: 'index',
        since: null,
        facts: null,
      });
    }
  }
  for (const { item } of input.inbox) {
    if (item.kind !== 'invitation' || !item.postId || !mine.has(item.postId)) continue;
    const key = `${item.groupId}/${item.refId}`;
    if (seen.has(key) || input.settled?.has(key) || loaded.get(item.groupId)?.closed) continue;
    // HIST-3: the index knows this group: the invitation is signed or the group closed (else it was listed above)
    if (knows(index.get(item.groupId))) continue;
    seen.add(key);
    const post = input.post(item.postId);
    const minutes = DEFAULT_DEADLINE_MINUTES[post?.kind ?? 'support'];
    const deadline = item.at + minutes * MINUTE;
    const remainingMs = deadline - input.now;
    out.push({
      key,
      groupId: item.groupId,
      groupTitle: item.groupTitle,
      invitationId: item.refId,
      postId: item.postId,
      postName: post?.name ?? item.text,
      unitName: post?.unitName ?? '',
      deadline,
      remainingMs,
      urgency: urgencyOf(remainingMs),
      source: 'inbox',
      since: item.at,
      facts: null,
    });
  }
  return out.sort(compareBoardItems);
}

/**
 * Groups whose documents the board should load (to sign from them and show their facts): HIST-3: those the index
 * lists with an open invitation to my posts and not closed; and, once the index has been synced this session,
 * groups with invitations to my posts in the inbox that the index does not know, not yet seen signed or closed. A
 * closed or settled group is never opened, however long the history.
 */
export function groupsToLoad(
  inbox: readonly InboxEntry[],
  myPostIds: readonly string[],
  settled: ReadonlySet<string> = new Set(),
  index: readonly IndexedGroup[] = [],
  indexSynced = true,
): string[] {
  const mine = new Set(myPostIds);
  const ids = new Set<string>();
  const known = new Map(index.map((g) => [g.id, g]));
  for (const g of index) {
    if (!knows(g) || g.closedAt !== null) continue;
    if (g.open.some((o) => mine.has(o.postId) && !settled.has(`${g.id}/${o.invitationId}`))) ids.add(g.id);
  }
  if (indexSynced) {
    for (const { item } of inbox) {
      if (item.kind !== 'invitation' || !item.postId || !mine.has(item.postId)) continue;
      if (knows(known.get(item.groupId))) continue;
      if (!settled.has(`${item.groupId}/${item.refId}`)) ids.add(item.groupId);
    }
  }
  return [...ids].sort();
}

/** Keys (`group/invitation`) of invitations in loaded groups that no longer await anyone: signed, or group closed. */
export function settledKeys(groups: readonly LoadedGroup[]): string[] {
  return groups.flatMap((g) =>
    g.invitations.filter((v) => g.closed || v.signOff !== null).map((v) => `${g.id}/${v.invitation.id}`),
  );
}
