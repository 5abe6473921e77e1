/**
 * ACL-8: whom a group addresses, from stamped records and the directory only: patrol officers of a clue's target
 * units (CLUE-2), persons and posts an instruction names (INS-1), the post an escalation went to (ESC-2), and
 * supervising leaders who may supervise (SUP-1). The relay registers them as members so they can open the group.
 */
import type * as Y from 'yjs';
import { clueRecipientsIn } from './clues.ts';
import type { Directory } from './directory.ts';
import { serverEvents } from './escalation.ts';
import { readMeta } from './group.ts';
import { supervisors } from './instructions.ts';
import { parseLookupPush } from './lookup/thread.ts';
import { maySupervise } from './policy.ts';
import { stampedRecords } from './records.ts';
import { Root } from './schema.ts';
import { parseEntry } from './validate.ts';

export interface GroupAddressees {
  /** Person ids: clue recipients, persons named by instructions, supervising leaders. */
  persons: string[];
  /** Post ids named by instructions or escalated to: whoever is on duty there is addressed. */
  posts: string[];
}

/**
 * PERF-1: the entries and look-up pushes an update changed, when nothing else addressees depend on changed (the
 * group record, server events, supervisions, the directory): only whom those records address is derived.
 */
export interface AddresseeScope {
  entries: Iterable<string>;
  lookupPushes: Iterable<string>;
}

export function groupAddressees(doc: Y.Doc, directory: Directory, only?: AddresseeScope): GroupAddressees {
  const persons = new Set<string>();
  const posts = new Set<string>();
  const meta = readMeta(doc);
  if (!meta) return { persons: [], posts: [] };
  for (const e of stampedRecords(doc, Root.entries, parseEntry, only?.entries)) {
    if (e.serverTime === null) continue;
    const entry = e.record;
    if (entry.type === 'clue') for (const p of clueRecipientsIn(doc, directory, entry)) persons.add(p.personId);
    else if (entry.type === 'instruction') {
      for (const a of entry.to) (a.kind === 'person' ? persons : posts).add(a.id);
    }
  }
  // ASSIST-8: a member an answer was pushed to opens the group from the inbox item.
  for (const p of stampedRecords(doc, Root.lookupPushes, parseLookupPush, only?.lookupPushes)) {
    if (p.serverTime !== null) persons.add(p.record.to.personId);
  }
  if (only) return { persons: [...persons].sort(), posts: [...posts].sort() };
  for (const ev of serverEvents(doc)) if (ev.escalatedToPostId !== null) posts.add(ev.escalatedToPostId);
  for (const s of supervisors(doc)) {
    if (s.serverTime !== null && maySupervise(directory, s.record.by.personId, s.record.postId, meta.unitId)) {
      persons.add(s.record.by.personId);
    }
  }
  return { persons: [...persons].sort(), posts: [...posts].sort() };
}
