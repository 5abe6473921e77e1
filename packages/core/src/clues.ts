/** CLUE-1..CLUE-3: a finding pushed to the patrol officers of chosen units (线索推送), acknowledged by each. */
import type * as Y from 'yjs';
import { acksByEntry, summariseAcks } from './acks.ts';
import type { AckSummary } from './acks.ts';
import type { Directory, Person } from './directory.ts';
import { CommandError } from './errors.ts';
import { assertOpen, stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { Root, rootMap } from './schema.ts';
import type { Actor, Attested, ClueEntry } from './schema.ts';
import { isId, parseEntry } from './validate.ts';

export interface PushClueInput {
  id: string;
  text: string;
  targetUnitIds: string[];
  author: Actor;
  deviceTime: number;
  /** ATT-1: the device's estimate of server time now (absent when it has no anchor). */
  attested?: Attested | null;
}

/** CLUE-1: a clue in the timeline for the patrol officers of the target units; works offline. */
export function pushClue(doc: Y.Doc, input: PushClueInput): ClueEntry {
  assertOpen(doc);
  if (!isId(input.id)) throw new CommandError('bad-id', 'entry id must be 1–64 letters, digits, - or _');
  const text = input.text.trim();
  if (!text) throw new CommandError('text-required', 'a clue needs text');
  const targetUnitIds = [...new Set(input.targetUnitIds)];
  if (targetUnitIds.length === 0) throw new CommandError('target-required', 'a clue needs at least one unit');
  const entries = rootMap(doc, Root.entries);
  if (entries.has(input.id)) throw new CommandError('duplicate-id', 'an entry with this id exists');
  const entry: ClueEntry = {
    id: input.id,
    type: 'clue',
    text,
    targetUnitIds,
    author: input.author,
    deviceTime: input.deviceTime,
  };
  if (input.attested) entry.attested = { ...input.attested };
  if (!parseEntry(entry)) throw new CommandError('bad-clue', 'clue is not valid');
  entries.set(entry.id, entry);
  return entry;
}

/**
 * CLUE-2: the recipients of a clue to units: in each unit, the persons with the `patrol` role; in a unit with none
 * (an outside unit such as the airport police, a department), the persons on duty at its posts, its desk.
 */
export function unitClueRecipients(directory: Directory, unitIds: readonly string[]): Person[] {
  const out = new Map<string, Person>();
  for (const unitId of new Set(unitIds)) {
    const patrol = directory.personsIn([unitId], 'patrol');
    const persons = patrol.length ? patrol : directory.postsOf(unitId).flatMap((p) => directory.onDutyAt(p.id));
    for (const p of persons) out.set(p.id, p);
  }
  return [...out.values()];
}

/** CLUE-2: the recipients of a clue (`unitClueRecipients` of its target units). */
export function clueRecipients(directory: Directory, clue: ClueEntry): Person[] {
  return unitClueRecipients(directory, clue.targetUnitIds);
}

export interface ClueView {
  clue: Stamped<ClueEntry>;
  acks: AckSummary[];
  /** CLUE-3: with a directory, each recipient and whether they acknowledged. */
  recipients: { person: Person; seen: boolean; acknowledged: boolean }[];
}

/** CLUE-3: each clue with who has seen and acknowledged it. */
export function clueViews(doc: Y.Doc, directory?: Directory): ClueView[] {
  const acks = acksByEntry(doc);
  const out: ClueView[] = [];
  for (const e of stampedRecords(doc, Root.entries, parseEntry)) {
    const entry = e.record;
    if (entry.type !== 'clue') continue;
    const summary = summariseAcks(acks.get(entry.id) ?? []);
    const recipients = directory
      ? clueRecipients(directory, entry).map((person) => {
          const s = summary.find((a) => a.person.personId === person.id);
          return { person, seen: !!s?.seen, acknowledged: !!s?.acked };
        })
      : [];
    out.push({ clue: { ...e, record: entry }, acks: summary, recipients });
  }
  return out;
}
