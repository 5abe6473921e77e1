/**
 * HIST-8: the live inbox holds open work, not history. An item is settled when its group is closed, when the
 * invitation it is about (an invitation or its escalation) has been signed, or when it only tells of a withdrawn
 * escalation; a read item older than `staleMs` is history too. Settled items older than `keepMs` leave the live
 * inbox document for the person's archive: the relay rebuilds the document with only the items that stay (and
 * their read markers), so its size follows open work; tombstones of removed items would still grow with history.
 */
import * as Y from 'yjs';
import type { GroupListStatus } from '@muster/protocol';
import { InboxRoot, defineInboxRoots, inboxItems } from './inbox.ts';
import type { InboxEntry, InboxItem } from './inbox.ts';

/** What the group list index knows of a group (its list row's status). */
export interface InboxGroupState {
  /** Server time of the closure, null while open. */
  closedAt: number | null;
  /** Ids of the group's invitations not signed yet. */
  unsigned: ReadonlySet<string>;
}

/** The state of a group from its list row's status (HIST-1); null when the row has none. */
export function inboxGroupState(status: GroupListStatus | undefined | null): InboxGroupState | null {
  if (!status) return null;
  return { closedAt: status.closedAt, unsigned: new Set(status.open.map((o) => o.invitationId)) };
}

export interface InboxArchivePolicy {
  /** Server time now. */
  now: number;
  /** A settled item stays live this long after its fact (`item.at`). */
  keepMs: number;
  /** A read item of an open group older than this is history too. */
  staleMs: number;
}

/** Default: settled items stay a day; read items of open groups leave after 30 days. */
export const INBOX_KEEP_MS = 24 * 3_600_000;
export const INBOX_STALE_MS = 30 * 24 * 3_600_000;

/**
 * HIST-8: whether an item no longer asks anything of the person. A group the index does not know (or knows without
 * its list status) settles nothing: the item stays.
 */
export function inboxItemSettled(item: InboxItem, group: InboxGroupState | undefined): boolean {
  if (item.kind === 'withdrawn') return true;
  if (!group) return false;
  if (group.closedAt !== null) return true;
  if (item.kind === 'invitation' || item.kind === 'escalation') return !group.unsigned.has(item.refId);
  return false;
}

/** An item leaving the live inbox, with whether the person had read it. */
export interface ArchivedEntry extends InboxEntry {
  /** Device time of the read marker, null when unread. */
  readAt: number | null;
}

export interface InboxArchivePlan {
  archive: ArchivedEntry[];
  keep: InboxEntry[];
}

/** The group ids an inbox's items are about (to look their states up). */
export function inboxGroupIds(doc: Y.Doc): string[] {
  return [...new Set(inboxItems(doc).map((e) => e.item.groupId))];
}

/** HIST-8: which items leave the live inbox now and which stay. */
export function planInboxArchive(
  doc: Y.Doc,
  groups: ReadonlyMap<string, InboxGroupState>,
  p: InboxArchivePolicy,
): InboxArchivePlan {
  const reads = doc.getMap<unknown>(InboxRoot.reads);
  const out: InboxArchivePlan = { archive: [], keep: [] };
  for (const e of inboxItems(doc)) {
    const old = p.now - e.item.at >= p.keepMs;
    const settled = inboxItemSettled(e.item, groups.get(e.item.groupId));
    const stale = e.read && p.now - e.item.at >= p.staleMs;
    if ((settled && old) || stale) out.archive.push({ ...e, readAt: readTime(reads.get(e.item.id)) });
    else out.keep.push(e);
  }
  return out;
}

function readTime(v: unknown): number | null {
  if (typeof v !== 'object' || v === null) return null;
  const t = (v as { deviceTime?: unknown }).deviceTime;
  return typeof t === 'number' && Number.isFinite(t) ? t : 0;
}

/**
 * HIST-8: the state of a live inbox holding only `keep` (items as they are, with their read markers): a new
 * document, so nothing of the archived items (not even their tombstones) is left in it.
 */
export function freshInboxState(doc: Y.Doc, keep: readonly InboxEntry[]): Uint8Array {
  const reads = doc.getMap<unknown>(InboxRoot.reads);
  const fresh = new Y.Doc();
  defineInboxRoots(fresh);
  fresh.transact(() => {
    const items = fresh.getMap<unknown>(InboxRoot.items);
    const freshReads = fresh.getMap<unknown>(InboxRoot.reads);
    for (const e of keep) {
      items.set(e.item.id, e.item);
      const r = reads.get(e.item.id);
      if (r !== undefined) freshReads.set(e.item.id, r);
    }
  });
  const state = Y.encodeStateAsUpdate(fresh);
  fresh.destroy();
  return state;
}
