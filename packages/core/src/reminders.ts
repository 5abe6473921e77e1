/**
 * REMIND-1..REMIND-4: 催办. Whoever runs a group, or the sender of a clue or instruction, re-notifies the recipients
 * of a clue who have not acknowledged it, the persons on duty at an invited post that has not signed, or the
 * addressees of an instruction (批示) who have not acknowledged it: a `reminders` record the relay stamps and turns
 * into one new inbox item per person still awaited. Works offline (sent when online).
 */
import type * as Y from 'yjs';
import { acksByEntry, summariseAcks } from './acks.ts';
import { clueRecipientsIn } from './clues.ts';
import type { Directory } from './directory.ts';
import { CommandError } from './errors.ts';
import { readMeta } from './group.ts';
import { inboxItemId } from './inbox.ts';
import { instructionViews } from './instructions.ts';
import type { Delivery, InboxItem } from './inbox.ts';
import { stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { Root, rootMap } from './schema.ts';
import type {
  Actor,
  Attested,
  ClueEntry,
  InstructionEntry,
  InvitationRecord,
  ReminderKind,
  ReminderRecord,
} from './schema.ts';
import { parseEntry, parseInvitation, parseReminder, parseSignOff } from './validate.ts';
import { beginWrite, putOnce } from './writeOnce.ts';

export interface RemindInput {
  id: string;
  refKind: ReminderKind;
  refId: string;
  by: Actor;
  deviceTime: number;
  attested?: Attested | null;
}

/** What a reminder refers to, as the document holds it (null: no such clue, invitation or instruction). */
export type ReminderRef =
  | { kind: 'clue'; clue: ClueEntry }
  | { kind: 'invitation'; invitation: InvitationRecord }
  | { kind: 'instruction'; instruction: InstructionEntry };

/** POL-20: who sent the clue or instruction, or made the invitation (they may re-notify it). */
export function reminderRefAuthor(ref: ReminderRef): string {
  if (ref.kind === 'clue') return ref.clue.author.personId;
  if (ref.kind === 'instruction') return ref.instruction.author.personId;
  return ref.invitation.invitedBy.personId;
}

export function reminderRef(doc: Y.Doc, refKind: string, refId: string): ReminderRef | null {
  if (refKind === 'clue' || refKind === 'instruction') {
    const e = parseEntry(rootMap(doc, Root.entries).get(refId));
    if (refKind === 'clue') return e?.type === 'clue' ? { kind: 'clue', clue: e } : null;
    return e?.type === 'instruction' ? { kind: 'instruction', instruction: e } : null;
  }
  if (refKind === 'invitation') {
    const inv = parseInvitation(rootMap(doc, Root.invitations).get(refId));
    return inv ? { kind: 'invitation', invitation: inv } : null;
  }
  return null;
}

/** REMIND-1: writes a reminder of a clue, an invitation or an instruction (the relay re-notifies whom it awaits). */
export function remind(doc: Y.Doc, input: RemindInput): ReminderRecord {
  beginWrite(doc, input.id, 'reminder');
  if (!reminderRef(doc, input.refKind, input.refId)) {
    throw new CommandError('bad-reminder', `no ${input.refKind} ${input.refId} in this group`);
  }
  const record: ReminderRecord = {
    id: input.id,
    refKind: input.refKind,
    refId: input.refId,
    by: input.by,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.reminders, record, {
    unique: 'a reminder with this id exists',
    attested: input.attested,
    check: { parse: parseReminder, invalid: ['bad-reminder', 'reminder is not valid'] },
  });
}

/** REMIND-3: the reminders of a clue or invitation, in derived order (the last is the latest 催办). */
export function remindersOf(doc: Y.Doc, refId: string): Stamped<ReminderRecord>[] {
  return stampedRecords(doc, Root.reminders, parseReminder).filter((r) => r.record.refId === refId);
}

function signed(doc: Y.Doc, invitationId: string): boolean {
  for (const v of rootMap(doc, Root.signoffs).values()) {
    if (parseSignOff(v)?.invitationId === invitationId) return true;
  }
  return false;
}

/**
 * REMIND-2 (server): what stamped reminders owe to inboxes (with `only`: those reminders): a clue's recipients who
 * have not acknowledged it, the persons on duty at an invited post that has not signed, an instruction's addressees
 * who have not acknowledged it (REMIND-4). Each item is keyed by the
 * reminder (a second 催办 is a new item) and refers to the clue or invitation, so the inbox row acts on it.
 */
export function reminderDeliveries(doc: Y.Doc, directory: Directory, only?: Iterable<string>): Delivery[] {
  const meta = readMeta(doc);
  if (!meta) return [];
  const out: Delivery[] = [];
  const acks = acksByEntry(doc);
  for (const r of stampedRecords(doc, Root.reminders, parseReminder, only)) {
    if (r.serverTime === null) continue;
    const ref = reminderRef(doc, r.record.refKind, r.record.refId);
    if (!ref) continue;
    const base = {
      id: inboxItemId(ref.kind, meta.id, r.id),
      kind: ref.kind,
      groupId: meta.id,
      groupTitle: meta.title,
      refId: r.record.refId,
      at: r.serverTime,
      remindedBy: r.record.by.name,
    };
    if (ref.kind === 'clue') {
      const acked = new Set(
        summariseAcks(acks.get(ref.clue.id) ?? [])
          .filter((a) => a.acked)
          .map((a) => a.person.personId),
      );
      const item: InboxItem = { ...base, text: ref.clue.text.slice(0, 2_000) };
      for (const p of clueRecipientsIn(doc, directory, ref.clue)) {
        if (!acked.has(p.personId)) out.push({ personId: p.personId, item });
      }
    } else if (ref.kind === 'instruction') {
      // REMIND-4: each addressee that has not acknowledged: the person, or whoever is on duty at the post
      const view = instructionViews(doc).find((v) => v.instruction.id === ref.instruction.id);
      const item: InboxItem = { ...base, text: ref.instruction.text.slice(0, 2_000) };
      const to = new Set<string>();
      for (const a of view?.addressees ?? []) {
        if (a.acknowledged) continue;
        if (a.addressee.kind === 'person') to.add(a.addressee.id);
        else for (const p of directory.onDutyAt(a.addressee.id)) to.add(p.id);
      }
      for (const personId of to) out.push({ personId, item });
    } else if (!signed(doc, ref.invitation.id)) {
      const post = ref.invitation.post;
      const item: InboxItem = { ...base, text: post.name, postId: post.id };
      for (const p of directory.onDutyAt(post.id)) out.push({ personId: p.id, item });
    }
  }
  return out;
}
