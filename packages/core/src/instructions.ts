/**
 * SUP-1, INS-1..INS-3: leaders join a group to supervise (督办) and give instructions (批示) addressed to posts or
 * persons; addressees mark them seen and acknowledged.
 */
import type * as Y from 'yjs';
import { acksByEntry, summariseAcks } from './acks.ts';
import type { AckSummary } from './acks.ts';
import type { Directory } from './directory.ts';
import { CommandError } from './errors.ts';
import { assertOpen, stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { readRefusal } from './refusals.ts';
import { Root } from './schema.ts';
import type { Actor, Addressee, Attested, InstructionEntry, SupervisionRecord } from './schema.ts';
import { parseEntry, parseSupervision } from './validate.ts';
import { ENTRY_EXISTS, beginWrite, putOnce } from './writeOnce.ts';

export interface SuperviseInput {
  id: string;
  postId: string;
  by: Actor;
  deviceTime: number;
}

/** SUP-1: a leader joins the group to supervise it; works offline. */
export function supervise(doc: Y.Doc, input: SuperviseInput): SupervisionRecord {
  assertOpen(doc);
  const record: SupervisionRecord = { id: input.id, postId: input.postId, by: input.by, deviceTime: input.deviceTime };
  return putOnce(doc, Root.supervisions, record, {
    check: { parse: parseSupervision, invalid: ['bad-supervision', 'supervision record is not valid'] },
  });
}

/**
 * Supervisors of the group, one per person and post (the earliest record), in derived order; records the relay
 * refused (REQ-1) are left out.
 */
export function supervisors(doc: Y.Doc): Stamped<SupervisionRecord>[] {
  const seen = new Set<string>();
  return stampedRecords(doc, Root.supervisions, parseSupervision).filter((s) => {
    if (readRefusal(doc, Root.supervisions, s.id)) return false;
    const k = `${s.record.by.personId}/${s.record.postId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface GiveInstructionInput {
  id: string;
  text: string;
  to: Addressee[];
  author: Actor;
  postId?: string | null;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time now (absent when it has no anchor). */
  attested?: Attested | null;
}

/** INS-1: an instruction in the timeline, addressed to one or more posts or persons. */
export function giveInstruction(doc: Y.Doc, input: GiveInstructionInput): InstructionEntry {
  beginWrite(doc, input.id, 'entry');
  const text = input.text.trim();
  if (!text) throw new CommandError('text-required', 'an instruction needs text');
  if (input.to.length === 0) throw new CommandError('addressee-required', 'an instruction needs an addressee');
  const entry: InstructionEntry = {
    id: input.id,
    type: 'instruction',
    text,
    to: input.to,
    author: input.author,
    postId: input.postId ?? null,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.entries, entry, {
    unique: ENTRY_EXISTS,
    attested: input.attested,
    check: { parse: parseEntry, invalid: ['bad-instruction', 'instruction is not valid'] },
  });
}

export interface AddresseeView {
  addressee: Addressee;
  /** Persons who saw / acknowledged it for this addressee (the person, or anyone acting for the post). */
  acks: AckSummary[];
  seen: boolean;
  acknowledged: boolean;
}

export interface InstructionView {
  instruction: Stamped<InstructionEntry>;
  addressees: AddresseeView[];
  /** Every person who saw or acknowledged it, addressed or not. */
  acks: AckSummary[];
  /** INS-3: every addressee acknowledged. */
  fullyAcknowledged: boolean;
}

/** INS-3: each instruction with who has seen and who has acknowledged it, per addressee. */
export function instructionViews(doc: Y.Doc): InstructionView[] {
  const acks = acksByEntry(doc);
  const out: InstructionView[] = [];
  for (const e of stampedRecords(doc, Root.entries, parseEntry)) {
    const entry = e.record;
    if (entry.type !== 'instruction') continue;
    const all = summariseAcks(acks.get(entry.id) ?? []);
    const addressees = entry.to.map((addressee) => {
      const mine = all.filter((a) =>
        addressee.kind === 'person' ? a.person.personId === addressee.id : a.postId === addressee.id,
      );
      return {
        addressee,
        acks: mine,
        seen: mine.some((a) => a.seen),
        acknowledged: mine.some((a) => a.acked),
      };
    });
    out.push({
      instruction: { ...e, record: entry },
      addressees,
      acks: all,
      fullyAcknowledged: addressees.every((a) => a.acknowledged),
    });
  }
  return out;
}
