/** INS-2 / CLUE-2: seen and acknowledged markers of instructions and clues, one record per person and act. */
import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { Root, rootMap } from './schema.ts';
import type { AckRecord, Actor, Attested } from './schema.ts';
import { parseAck, parseEntry } from './validate.ts';
import { beginWrite, putOnce } from './writeOnce.ts';

export interface AcknowledgeInput {
  id: string;
  entryId: string;
  kind: 'seen' | 'ack';
  by: Actor;
  /** The post the person acts for, when the entry was addressed to a post. */
  postId?: string | null;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time now (absent when it has no anchor). */
  attested?: Attested | null;
}

/** Marks an instruction or a clue as seen or acknowledged; works offline. */
export function acknowledge(doc: Y.Doc, input: AcknowledgeInput): AckRecord {
  beginWrite(doc, input.id, 'ack');
  const entry = parseEntry(rootMap(doc, Root.entries).get(input.entryId));
  if (!entry || (entry.type !== 'instruction' && entry.type !== 'clue')) {
    throw new CommandError('not-ackable', 'only instructions and clues are acknowledged');
  }
  const record: AckRecord = {
    id: input.id,
    entryId: input.entryId,
    kind: input.kind,
    by: input.by,
    postId: input.postId ?? null,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.acks, record, {
    attested: input.attested,
    check: { parse: parseAck, invalid: ['bad-ack', 'acknowledgement is not valid'] },
  });
}

/** Acks by entry id, each list in derived order (TL-1). */
export function acksByEntry(doc: Y.Doc): Map<string, Stamped<AckRecord>[]> {
  const out = new Map<string, Stamped<AckRecord>[]>();
  for (const a of stampedRecords(doc, Root.acks, parseAck)) {
    const list = out.get(a.record.entryId) ?? [];
    list.push(a);
    out.set(a.record.entryId, list);
  }
  return out;
}

/** One line per person: the first time they saw and the first time they acknowledged (ack implies seen). */
export interface AckSummary {
  person: Actor;
  postId: string | null;
  seen: Stamped<AckRecord> | null;
  acked: Stamped<AckRecord> | null;
}

export function summariseAcks(acks: readonly Stamped<AckRecord>[]): AckSummary[] {
  const byPerson = new Map<string, AckSummary>();
  for (const a of acks) {
    const s = byPerson.get(a.record.by.personId) ?? {
      person: a.record.by,
      postId: a.record.postId,
      seen: null,
      acked: null,
    };
    if (!s.seen) s.seen = a;
    if (a.record.kind === 'ack' && !s.acked) s.acked = a;
    byPerson.set(a.record.by.personId, s);
  }
  return [...byPerson.values()];
}
