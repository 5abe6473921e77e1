/**
 * ATT-1..ATT-4: attested time. A device keeps a server-time anchor from its last durable acknowledgement (the
 * server's time then, and its monotonic clock then) and writes into each record it makes an attested time: its
 * best estimate of the server's time at the moment of the act, with an uncertainty. The server still stamps
 * arrival; a record's attested time counts only when it is plausible (`judgeAttested`): its uncertainty is within
 * the bound, it is not before the device's anchor nor before the device's last contact as the server recorded it
 * (the latest stamp of an earlier record of the same device client id that arrived before it), and not after its
 * own arrival (its stamp). Every replica derives the same judgement from the document alone.
 */
import type * as Y from 'yjs';
import { STAMPED_COLLECTIONS, rootMap } from './schema.ts';
import type { Attested, StampedCollection } from './schema.ts';
import { stampOf } from './stamps.ts';
import { parseAttested } from './validate.ts';

/** ATT-2: default bound on the uncertainty of an attested time the server accepts (2 minutes). */
export const ATTEST_MAX_UNCERTAINTY_MS = 120_000;

/**
 * ATT-2: the device's last contact before a record arrived, as the server recorded it: the latest server stamp of
 * a record written earlier by the same device client id (a lower clock) and stamped before this record. Null when
 * the server has none (the record is the first of its client id, e.g. after an offline restart).
 */
export function lastContactOf(doc: Y.Doc, collection: StampedCollection, key: string): number | null {
  const item = rootMap(doc, collection)._map.get(key);
  const arrival = stampOf(doc, collection, key)?.at;
  if (!item || arrival === undefined) return null;
  let last: number | null = null;
  for (const c of STAMPED_COLLECTIONS) {
    for (const [k, it] of rootMap(doc, c)._map) {
      if (it.id.client !== item.id.client || it.id.clock >= item.id.clock) continue;
      const at = stampOf(doc, c, k)?.at;
      if (at !== undefined && at < arrival && (last === null || at > last)) last = at;
    }
  }
  return last;
}

export type AttestedJudgement =
  | { plausible: true; attested: Attested }
  | {
      plausible: false;
      attested: Attested | null;
      reason: 'none' | 'unstamped' | 'too-uncertain' | 'before-anchor' | 'before-contact' | 'after-arrival';
    };

/** ATT-2: whether a record's attested time is plausible, judged from the document (see the module comment). */
export function judgeAttested(
  doc: Y.Doc,
  collection: StampedCollection,
  key: string,
  boundMs: number = ATTEST_MAX_UNCERTAINTY_MS,
): AttestedJudgement {
  const attested = parseAttested(rootMap(doc, collection).get(key));
  if (!attested) return { plausible: false, attested, reason: 'none' };
  const arrival = stampOf(doc, collection, key)?.at;
  if (arrival === undefined) return { plausible: false, attested, reason: 'unstamped' };
  if (attested.uncertaintyMs > boundMs) return { plausible: false, attested, reason: 'too-uncertain' };
  if (attested.at > arrival || attested.anchorAt > arrival)
    return { plausible: false, attested, reason: 'after-arrival' };
  if (attested.at < attested.anchorAt) return { plausible: false, attested, reason: 'before-anchor' };
  const contact = lastContactOf(doc, collection, key);
  if (contact !== null && attested.at < contact) return { plausible: false, attested, reason: 'before-contact' };
  return { plausible: true, attested };
}

/**
 * ATT-4: when a record was done, for ordering: its attested time when plausible, or (not yet stamped) the attested
 * time its own device wrote; else its stamp; else its device time. A record made with an attested time keeps its
 * place when its stamp arrives.
 */
export function whenDone(
  doc: Y.Doc,
  collection: StampedCollection,
  key: string,
  deviceTime: number,
): { at: number; attested: boolean } {
  const j = judgeAttested(doc, collection, key);
  if (j.plausible) return { at: j.attested.at, attested: true };
  if (j.attested && j.reason === 'unstamped') return { at: j.attested.at, attested: true };
  return { at: stampOf(doc, collection, key)?.at ?? deviceTime, attested: false };
}
