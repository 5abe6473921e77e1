/**
 * The shape every write-once device command shares: it starts in an open group (CLOSE-5) with a well-formed id
 * (`beginWrite`), makes its own checks and builds its record, then `putOnce` refuses an id already used (where the
 * collection asks for it), adds the device's attested time (ATT-1), checks the record with its parser and sets it
 * under its id. A command that breaks a rule throws `CommandError`; the record it wrote is returned.
 */
import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import type { CommandErrorCode } from './errors.ts';
import { assertOpen } from './records.ts';
import { rootMap } from './schema.ts';
import type { Attested } from './schema.ts';
import { isId } from './validate.ts';

/** Refuses an id that is not 1–64 letters, digits, - or _ (`bad-id`); `noun` names the record in the message. */
export function assertId(id: string, noun: string): void {
  if (!isId(id)) throw new CommandError('bad-id', `${noun} id must be 1–64 letters, digits, - or _`);
}

/** The start of a write into an open group: refuses a closed group (CLOSE-5) and a malformed id. */
export function beginWrite(doc: Y.Doc, id: string, noun: string): void {
  assertOpen(doc);
  assertId(id, noun);
}

export interface PutOnceOptions {
  /** Refuses an id already in the collection with `duplicate-id` and this message. */
  unique?: string;
  /** ATT-1: the device's estimate of server time, kept on the record when given. */
  attested?: Attested | null;
  /** The record's parser, and the code and message of the refusal when it does not accept the record. */
  check?: { parse: (v: unknown) => unknown; invalid: readonly [code: CommandErrorCode, message: string] };
}

/** The end of a write-once command: the record, checked, set under its id in `collection`. */
export function putOnce<T extends { id: string; attested?: Attested }>(
  doc: Y.Doc,
  collection: string,
  record: T,
  o: PutOnceOptions = {},
): T {
  const map = rootMap(doc, collection);
  if (o.unique !== undefined && map.has(record.id)) throw new CommandError('duplicate-id', o.unique);
  if (o.attested) record.attested = { ...o.attested };
  if (o.check && !o.check.parse(record)) throw new CommandError(o.check.invalid[0], o.check.invalid[1]);
  map.set(record.id, record);
  return record;
}

/** The `unique` message of the timeline's entries. */
export const ENTRY_EXISTS = 'an entry with this id exists';
