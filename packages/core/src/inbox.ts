/**
 * INBOX-1..INBOX-3: a per-person inbox document (`inbox:<personId>`). The relay writes items into `server:inbox`
 * (invitations to my posts, clues, instructions and approval requests addressed to me, escalations); the person's
 * devices write read markers into `reads`. Items are keyed by a stable id, so delivering twice changes nothing.
 */
import type * as Y from 'yjs';
import { INBOX_ROOT } from '@muster/protocol';
import type { Directory } from './directory.ts';
import { clueRecipientsIn } from './clues.ts';
import { serverEvents } from './escalation.ts';
import { readMeta } from './group.ts';
import { supervisors } from './instructions.ts';
import { stampedRecords } from './records.ts';
import { Root } from './schema.ts';
import type { DeadlinePolicy } from './sla.ts';
import { withdrawnEscalations } from './withdrawn.ts';
import { isObj, isStr, isTime, parseEntry, parseInvitation } from './validate.ts';

export const InboxRoot = { items: INBOX_ROOT, reads: 'reads' } as const;

/**
 * `lookup`: a look-up answer a desk or leader sent to the person (ASSIST-8). `withdrawn`: an escalation the person's
 * leader post received was withdrawn by a sign-off made in time offline (ATT-3).
 */
export type InboxKind = 'invitation' | 'clue' | 'instruction' | 'approval' | 'escalation' | 'lookup' | 'withdrawn';
const KINDS: readonly InboxKind[] = [
  'invitation',
  'clue',
  'instruction',
  'approval',
  'escalation',
  'lookup',
  'withdrawn',
];

export interface InboxItem {
  /** `<kind>.<groupId>.<refId>` */
  id: string;
  kind: InboxKind;
  groupId: string;
  groupTitle: string;
  /** Id of the invitation, entry or event in the group. */
  refId: string;
  text: string;
  /** Server time of the fact (stamp of the record, or the event's time). */
  at: number;
  /** For invitations, escalations and withdrawn escalations: the post concerned. */
  postId?: string;
  /** I18N-4: for an approval request, its type's id. */
  approvalType?: string;
  /** REMIND-2: the item re-notifies (催办) the clue or invitation `refId`; who asked for it. */
  remindedBy?: string;
}

export interface ReadMarker {
  itemId: string;
  deviceTime: number;
}

const ITEM_ID = /^[A-Za-z0-9_.-]{1,200}$/;

export function inboxItemId(kind: InboxKind, groupId: string, refId: string): string {
  return `${kind}.${groupId}.${refId}`;
}

export function parseInboxItem(v: unknown): InboxItem | null {
  if (!isObj(v) || !isStr(v['id'], 200) || !ITEM_ID.test(v['id'])) return null;
  const kind = v['kind'] as InboxKind;
  if (!KINDS.includes(kind) || !isStr(v['groupId'], 64) || !isStr(v['groupTitle'], 500)) return null;
  if (!isStr(v['refId'], 200) || !isStr(v['text'], 2_000) || !isTime(v['at'])) return null;
  const item: InboxItem = {
    id: v['id'],
    kind,
    groupId: v['groupId'],
    groupTitle: v['groupTitle'],
    refId: v['refId'],
    text: v['text'],
    at: v['at'],
  };
  if (isStr(v['postId'], 64)) item.postId = v['postId'];
  if (isStr(v['remindedBy'], 200)) item.remindedBy = v['remindedBy'];
  if (isStr(v['approvalType'], 64)) item.approvalType = v['approvalType'];
  return item;
}

/** INBOX-1 (server): adds items to a person's inbox in the relay's origin; items already there are kept as they are. */
export function addInboxItems(doc: Y.Doc, items: readonly InboxItem[], origin: unknown): InboxItem[] {
  const map = doc.getMap<unknown>(InboxRoot.items);
  const todo = items.filter((i) => !map.has(i.id) && parseInboxItem(i));
  if (todo.length) doc.transact(() => todo.forEach((i) => map.set(i.id, i)), origin);
  return todo;
}

/** INBOX-2 (device): marks items read. */
export function markRead(doc: Y.Doc, itemIds: readonly string[], deviceTime: number): void {
  const reads = doc.getMap<unknown>(InboxRoot.reads);
  const todo = itemIds.filter((id) => ITEM_ID.test(id) && !reads.has(id));
  if (todo.length) doc.transact(() => todo.forEach((itemId) => reads.set(itemId, { itemId, deviceTime })));
}

export interface InboxEntry {
  item: InboxItem;
  read: boolean;
}

/** INBOX-2: the inbox, newest first, each with its read flag. */
export function inboxItems(doc: Y.Doc): InboxEntry[] {
  const reads = doc.getMap<unknown>(InboxRoot.reads);
  const out: InboxEntry[] = [];
  for (const [key, v] of doc.getMap<unknown>(InboxRoot.items).entries()) {
    const item = parseInboxItem(v);
    if (item && item.id === key) out.push({ item, read: reads.has(key) });
  }
  return out.sort((a, b) => b.item.at - a.item.at || (a.item.id < b.item.id ? -1 : 1));
}

export function unreadCount(doc: Y.Doc): number {
  return inboxItems(doc).filter((e) => !e.read).length;
}

export interface Delivery {
  personId: string;
  item: InboxItem;
}

/**
 * PERF-1: the entries an update changed, when nothing else that deliveries depend on changed (the group record,
 * invitations, sign-offs, supervisions, server events, the directory): only what those entries owe is derived.
 */
export interface DeliveryScope {
  entries: Iterable<string>;
}

/**
 * INBOX-3 (server): what a group document owes to inboxes now: registered invitations → persons on duty at the
 * post; clues → patrol officers of the target units; instructions → addressed persons and persons on duty at
 * addressed posts; approval requests → persons on duty at leader posts invited to or supervising the group;
 * escalations → persons on duty at the leader post, and when a sign-off made in time offline withdraws one (ATT-3)
 * a `withdrawn` item to the same post. Only stamped records are delivered (trusted time).
 */
export function inboxDeliveries(
  groupDoc: Y.Doc,
  directory: Directory,
  policy?: DeadlinePolicy,
  only?: DeliveryScope,
): Delivery[] {
  const meta = readMeta(groupDoc);
  if (!meta) return [];
  const out: Delivery[] = [];
  const base = { groupId: meta.id, groupTitle: meta.title };
  const toPost = (postId: string, item: InboxItem) => {
    for (const p of directory.onDutyAt(postId)) out.push({ personId: p.id, item });
  };
  const leaderPosts = new Set<string>();
  for (const s of supervisors(groupDoc)) leaderPosts.add(s.record.postId);
  for (const inv of stampedRecords(groupDoc, Root.invitations, parseInvitation)) {
    if (inv.record.post.kind === 'leader') leaderPosts.add(inv.record.post.id);
    if (inv.serverTime === null || only) continue;
    const item: InboxItem = {
      id: inboxItemId('invitation', meta.id, inv.id),
      kind: 'invitation',
      ...base,
      refId: inv.id,
      text: inv.record.post.name,
      at: inv.serverTime,
      postId: inv.record.post.id,
    };
    toPost(inv.record.post.id, item);
  }
  for (const e of stampedRecords(groupDoc, Root.entries, parseEntry, only?.entries)) {
    if (e.serverTime === null) continue;
    const entry = e.record;
    const make = (kind: InboxKind, text: string): InboxItem => ({
      id: inboxItemId(kind, meta.id, entry.id),
      kind,
      ...base,
      refId: entry.id,
      text: text.slice(0, 2_000),
      at: e.serverTime!,
    });
    if (entry.type === 'clue') {
      const item = make('clue', entry.text);
      for (const p of clueRecipientsIn(groupDoc, directory, entry)) out.push({ personId: p.personId, item });
    } else if (entry.type === 'instruction') {
      const item = make('instruction', entry.text);
      for (const a of entry.to) {
        if (a.kind === 'person') out.push({ personId: a.id, item });
        else toPost(a.id, item);
      }
    } else if (entry.type === 'approval') {
      // I18N-4: the type's id too, so a device names it in the language it shows
      const item: InboxItem = { ...make('approval', entry.typeName), approvalType: entry.approvalType };
      for (const postId of leaderPosts) toPost(postId, item);
    }
  }
  const events = only ? [] : serverEvents(groupDoc);
  for (const ev of events) {
    if (ev.escalatedToPostId === null) continue;
    toPost(ev.escalatedToPostId, {
      id: inboxItemId('escalation', meta.id, ev.invitationId),
      kind: 'escalation',
      ...base,
      refId: ev.invitationId,
      text: directory.post(ev.postId)?.name ?? ev.postId,
      at: ev.at,
      postId: ev.postId,
    });
  }
  // ATT-3: the leader post an escalation went to is told when it is withdrawn.
  for (const w of only ? [] : withdrawnEscalations(groupDoc, policy).values()) {
    const ev = events.find((e) => e.id === w.eventId);
    if (!ev || ev.escalatedToPostId === null) continue;
    toPost(ev.escalatedToPostId, {
      id: inboxItemId('withdrawn', meta.id, w.invitationId),
      kind: 'withdrawn',
      ...base,
      refId: w.invitationId,
      text: directory.post(ev.postId)?.name ?? ev.postId,
      at: w.arrivedAt,
      postId: ev.postId,
    });
  }
  // One delivery per person and item.
  const seen = new Set<string>();
  return out.filter((d) => {
    const k = `${d.personId}/${d.item.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Defines the inbox document's root types before updates arrive. */
export function defineInboxRoots(doc: Y.Doc): void {
  doc.getMap(InboxRoot.items);
  doc.getMap(InboxRoot.reads);
}
