import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { compareRecords } from './order.ts';
import { Root, rootMap } from './schema.ts';
import type { Actor, Attested, Entry, FindingEntry, GeoPoint, PhotoRef } from './schema.ts';
import { whenDone } from './attested.ts';
import { stampOf } from './stamps.ts';
import { MAX_PHOTOS_PER_FINDING, parseEntry, parseGeoPoint, parsePhotoRef } from './validate.ts';
import { ENTRY_EXISTS, beginWrite, putOnce } from './writeOnce.ts';

export const MAX_FINDING_LENGTH = 20_000;

export interface AddFindingInput {
  id: string;
  text: string;
  author: Actor;
  deviceTime: number;
  /** PHOTO-1: photos by content hash (a finding with photos may have no text). */
  photos?: PhotoRef[];
  /** LOC-1: where the finding was made. */
  location?: GeoPoint;
  /** ATT-1: the device's estimate of server time now, from its anchor (absent when it has none). */
  attested?: Attested | null;
}

/** TL-2: adds a finding to the timeline; works offline. */
export function addFinding(doc: Y.Doc, input: AddFindingInput): FindingEntry {
  beginWrite(doc, input.id, 'entry');
  const text = input.text.trim();
  const photos = input.photos ?? [];
  if (photos.length > MAX_PHOTOS_PER_FINDING) throw new CommandError('too-many-photos', 'at most 10 photos');
  if (photos.some((p) => !parsePhotoRef(p))) throw new CommandError('bad-photo', 'a photo reference is invalid');
  if (input.location && !parseGeoPoint(input.location)) throw new CommandError('bad-location', 'invalid location');
  if (!text && photos.length === 0) throw new CommandError('text-required', 'a finding needs text');
  if (text.length > MAX_FINDING_LENGTH)
    throw new CommandError('text-too-long', 'a finding is at most 20,000 characters');
  const entry: FindingEntry = {
    id: input.id,
    type: 'finding',
    text,
    author: input.author,
    deviceTime: input.deviceTime,
  };
  if (photos.length > 0) entry.photos = photos.map((p) => ({ ...p }));
  if (input.location) entry.location = { ...input.location };
  return putOnce(doc, Root.entries, entry, { unique: ENTRY_EXISTS, attested: input.attested });
}

export interface TimelineItem {
  entry: Entry;
  deviceTime: number;
  /** Server stamp, null while the relay has not seen the entry. */
  serverTime: number | null;
  id: string;
  /** ATT-4: when it was done: plausible attested time, else the stamp, else the device time. */
  doneAt: number;
  /** ATT-2: the attested time when plausible (or, unstamped, as its device wrote it), else null. */
  attestedAt: number | null;
}

/**
 * TL-1 with ATT-4: the timeline in the order things were done (attested time when plausible, else the stamp, else
 * the device time; then the device time and the id); invalid records are left out. An entry made with an attested
 * time keeps its place when its stamp arrives.
 */
export function timeline(doc: Y.Doc): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const [key, value] of rootMap(doc, Root.entries).entries()) {
    const entry = parseEntry(value);
    if (!entry || entry.id !== key) continue;
    const serverTime = stampOf(doc, Root.entries, key)?.at ?? null;
    const done = whenDone(doc, Root.entries, key, entry.deviceTime);
    items.push({
      entry,
      id: entry.id,
      deviceTime: entry.deviceTime,
      serverTime,
      doneAt: done.at,
      attestedAt: done.attested ? done.at : null,
    });
  }
  return items.sort(
    (a, b) => a.doneAt - b.doneAt || compareRecords({ ...a, serverTime: null }, { ...b, serverTime: null }),
  );
}

/** Whether a value under this key of `entries` counts as a timeline entry (what `entryCount` counts). */
export function isEntryAt(key: string, value: unknown): boolean {
  return parseEntry(value)?.id === key;
}

/** Number of valid timeline entries, without sorting. */
export function entryCount(doc: Y.Doc): number {
  let n = 0;
  for (const [key, value] of rootMap(doc, Root.entries).entries()) if (isEntryAt(key, value)) n++;
  return n;
}
