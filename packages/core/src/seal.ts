/**
 * LATE-3: sealing a closed group (封存). After closure a member's offline work may still arrive (LATE-1); once a
 * leader or the management desk seals the record, the relay accepts nothing more. A device asks with a
 * `sealRequests` record; the relay judges it and writes the seal with its time into `server:seal`, once.
 */
import type * as Y from 'yjs';
import type { Directory } from './directory.ts';
import { CommandError } from './errors.ts';
import { groupFactsOf, maySeal } from './policy.ts';
import { readClosure, stampedRecords } from './records.ts';
import type { Stamped } from './records.ts';
import { Root, SEAL_KEY, rootMap } from './schema.ts';
import type { Actor, SealRecord, SealRequestRecord } from './schema.ts';
import { parseSeal, parseSealRequest } from './validate.ts';
import { assertId, putOnce } from './writeOnce.ts';

/** The seal written by the relay, or null while the group is not sealed (as far as this replica knows). */
export function readSeal(doc: Y.Doc): SealRecord | null {
  return parseSeal(rootMap(doc, Root.seal).get(SEAL_KEY));
}

export interface RequestSealInput {
  id: string;
  by: Actor;
  postId?: string | null;
  deviceTime: number;
}

/** LATE-3 (device): asks to seal a closed group. The one write a replica that knows of the closure still makes. */
export function requestSeal(doc: Y.Doc, input: RequestSealInput): SealRequestRecord {
  if (!readClosure(doc)) throw new CommandError('not-closed', 'only a closed group is sealed');
  if (readSeal(doc)) throw new CommandError('sealed', 'this group is sealed');
  assertId(input.id, 'record');
  const record: SealRequestRecord = {
    id: input.id,
    by: input.by,
    postId: input.postId ?? null,
    deviceTime: input.deviceTime,
  };
  return putOnce(doc, Root.sealRequests, record);
}

export type SealVerdict =
  | { request: Stamped<SealRequestRecord>; ok: true }
  | { request: Stamped<SealRequestRecord>; ok: false; code: 'not-closed' | 'not-allowed' };

/**
 * LATE-3 (server): judges seal requests in derived order (who may seal: POL-12 `maySeal`, a leader acting in the
 * group or an invited management desk on duty); the first acceptable one seals, judging stops there. */
export function judgeSealRequests(doc: Y.Doc, directory: Directory): SealVerdict[] {
  const out: SealVerdict[] = [];
  if (readSeal(doc)) return out;
  for (const r of stampedRecords(doc, Root.sealRequests, parseSealRequest)) {
    if (!readClosure(doc)) out.push({ request: r, ok: false, code: 'not-closed' });
    else if (!maySeal(directory, r.record.by.personId, r.record.postId, groupFactsOf(doc))) {
      out.push({ request: r, ok: false, code: 'not-allowed' });
    } else {
      out.push({ request: r, ok: true });
      break;
    }
  }
  return out;
}

/** LATE-3 (server): writes the seal of an accepted request; once only. */
export function recordSeal(doc: Y.Doc, request: SealRequestRecord, now: number, origin: unknown): SealRecord | null {
  if (readSeal(doc)) return null;
  const seal: SealRecord = { requestId: request.id, by: request.by, postId: request.postId, at: now };
  doc.transact(() => rootMap(doc, Root.seal).set(SEAL_KEY, seal), origin);
  return seal;
}
