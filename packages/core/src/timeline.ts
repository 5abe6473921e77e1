import type * as Y from 'yjs';
import { CommandError } from './errors.ts';
import { compareRecords } from './order.ts';
import { assertOpen } from './records.ts';
import { Root, rootMap } from './schema.ts';
import type { Actor, Entry, FindingEntry, GeoPoint, PhotoRef } from './schema.ts';
import { stampOf } from './stamps.ts';
import { MAX_PHOTOS_PER_FINDING, isId, parseEntry, parseGeoPoint, parsePhotoRef } from './validate.ts';

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
}

/** TL-2: adds a finding to the timeline; works offline. */
export function addFinding(doc: Y.Doc, input: AddFindingInput): FindingEntry {
  assertOpen(doc);
  if (!isId(input.id)) throw new CommandError('bad-id', 'entry id must be 1–64 letters, digits, - or _');
  const text = input.text.trim();
  const photos = input.photos ?? [];
  if (photos.length > MAX_PHOTOS_PER_FINDING) throw new CommandError('too-many-photos', 'at most 10 photos');
  if (photos.some((p) => !parsePhotoRef(p))) throw new CommandError('bad-photo', 'a photo reference is invalid');
  if (input.location && !parseGeoPoint(input.location)) throw new CommandError('bad-location', 'invalid location');
  if (!text && photos.length === 0) throw new CommandError('text-required', 'a finding needs text');
  if (text.length > MAX_FINDING_LENGTH)
    throw new CommandError('text-too-long', 'a finding is at most 20,000 characters');
  const entries = rootMap(doc, Root.entries);
  if (entries.has(input.id)) throw new CommandError('duplicate-id', 'an entry with this id exists');
  const entry: FindingEntry = {
    id: input.id,
    type: 'finding',
    text,
    author: input.author,
    deviceTime: input.deviceTime,
  };
  if (photos.length > 0) entry.photos = photos.map((p) => ({ ...p }));
  if (input.location) entry.location = { ...input.location };
  entries.set(entry.id, entry);
  return entry;
}

export interface TimelineItem {
  entry: Entry;
  deviceTime: number;
  /** Server stamp, null while the relay has not seen the entry. */
  serverTime: number | null;
  id: string;
}

/** The timeline in derived order; invalid records are left out. */
export function timeline(doc: Y.Doc): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const [key, value] of rootMap(doc, Root.entries).entries()) {
    const entry = parseEntry(value);
    if (!entry || entry.id !== key) continue;
    items.push({
      entry,
      id: entry.id,
      deviceTime: entry.deviceTime,
      serverTime: stampOf(doc, Root.entries, key)?.at ?? null,
    });
  }
  return items.sort(compareRecords);
}

/** Number of valid timeline entries, without sorting. */
export function entryCount(doc: Y.Doc): number {
  let n = 0;
  for (const [key, value] of rootMap(doc, Root.entries).entries()) if (parseEntry(value)?.id === key) n++;
  return n;
}
