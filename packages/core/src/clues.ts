/** CLUE-1..CLUE-3: a finding pushed to the patrol officers of chosen units (线索推送), acknowledged by each. */
import type * as Y from 'yjs';
import { acksByEntry, summariseAcks } from './acks.ts';
import type { AckSummary } from './acks.ts';
import type { Directory, Person } from './directory.ts';
import { CommandError } from './errors.ts';
import { stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { Root, rootMap } from './schema.ts';
import type { Actor, Attested, ClueEntry } from './schema.ts';
import { isId, isObj, isStr, isTime, parseEntry } from './validate.ts';
import { ENTRY_EXISTS, beginWrite, putOnce } from './writeOnce.ts';

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
  beginWrite(doc, input.id, 'entry');
  const text = input.text.trim();
  if (!text) throw new CommandError('text-required', 'a clue needs text');
  const targetUnitIds = [...new Set(input.targetUnitIds)];
  if (targetUnitIds.length === 0) throw new CommandError('target-required', 'a clue needs at least one unit');
  const entry: ClueEntry = {
    id: input.id,
    type: 'clue',
    text,
    targetUnitIds,
    author: input.author,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.entries, entry, {
    unique: ENTRY_EXISTS,
    attested: input.attested,
    check: { parse: parseEntry, invalid: ['bad-clue', 'clue is not valid'] },
  });
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

/** A clue's recipient as the group shows it: name and unit, no police number or duty (DIR-6). */
export interface ClueRecipient {
  personId: string;
  name: string;
  unitId: string;
}

/** CLUE-5: whom a clue went to, as the relay resolved it when it accepted the clue (`server:recipients`). */
export interface ClueRecipientsRecord {
  clueId: string;
  persons: ClueRecipient[];
  /** Server time it was resolved. */
  at: number;
}

function parseRecipient(v: unknown): ClueRecipient | null {
  if (!isObj(v) || !isId(v['personId']) || !isStr(v['name'], 200) || !isStr(v['unitId'], 64)) return null;
  return { personId: v['personId'], name: v['name'], unitId: v['unitId'] };
}

export function parseClueRecipients(v: unknown): ClueRecipientsRecord | null {
  if (!isObj(v) || !isId(v['clueId']) || !isTime(v['at']) || !Array.isArray(v['persons'])) return null;
  const persons = v['persons'].map(parseRecipient);
  if (persons.some((p) => p === null)) return null;
  return { clueId: v['clueId'], persons: persons as ClueRecipient[], at: v['at'] };
}

/** CLUE-5: the recipients the relay recorded for a clue, or null while it has not (offline, not yet accepted). */
export function readClueRecipients(doc: Y.Doc, clueId: string): ClueRecipientsRecord | null {
  return parseClueRecipients(rootMap(doc, Root.recipients).get(clueId));
}

/**
 * CLUE-5 (relay): records the recipients of every accepted (stamped) clue not yet recorded, from the directory now.
 * Written once per clue: a later change of the roster does not change whom a clue went to. With `only`, of the
 * entries under those keys (PERF-1: the entries an update brought).
 */
export function recordClueRecipients(
  doc: Y.Doc,
  directory: Directory,
  now: number,
  origin: unknown,
  only?: Iterable<string>,
): ClueRecipientsRecord[] {
  const map = rootMap(doc, Root.recipients);
  const todo: ClueRecipientsRecord[] = [];
  for (const e of stampedRecords(doc, Root.entries, parseEntry, only)) {
    if (e.record.type !== 'clue' || e.serverTime === null || map.has(e.id)) continue;
    const persons = clueRecipients(directory, e.record).map((p) => ({
      personId: p.id,
      name: p.name,
      unitId: p.unitId,
    }));
    todo.push({ clueId: e.id, persons, at: now });
  }
  if (todo.length) doc.transact(() => todo.forEach((r) => map.set(r.clueId, r)), origin);
  return todo;
}

/**
 * CLUE-2, CLUE-5: whom a clue goes to: the relay's record where it has one (every member sees the same recipients,
 * whatever part of the roster their directory shows), else as the directory resolves it (on a device before the
 * relay answered).
 */
export function clueRecipientsIn(doc: Y.Doc, directory: Directory | undefined, clue: ClueEntry): ClueRecipient[] {
  const recorded = readClueRecipients(doc, clue.id);
  if (recorded) return recorded.persons;
  if (!directory) return [];
  return clueRecipients(directory, clue).map((p) => ({ personId: p.id, name: p.name, unitId: p.unitId }));
}

export interface ClueView {
  clue: Stamped<ClueEntry>;
  acks: AckSummary[];
  /** CLUE-3: each recipient (CLUE-5) and whether they have seen and acknowledged it. */
  recipients: { person: ClueRecipient; seen: boolean; acknowledged: boolean }[];
}

/** CLUE-3: each clue with who has seen and acknowledged it. */
export function clueViews(doc: Y.Doc, directory?: Directory): ClueView[] {
  const acks = acksByEntry(doc);
  const out: ClueView[] = [];
  for (const e of stampedRecords(doc, Root.entries, parseEntry)) {
    const entry = e.record;
    if (entry.type !== 'clue') continue;
    const summary = summariseAcks(acks.get(entry.id) ?? []);
    const recipients = clueRecipientsIn(doc, directory, entry).map((person) => {
      const s = summary.find((a) => a.person.personId === person.personId);
      return { person, seen: !!s?.seen, acknowledged: !!s?.acked };
    });
    out.push({ clue: { ...e, record: entry }, acks: summary, recipients });
  }
  return out;
}
