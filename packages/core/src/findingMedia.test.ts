import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Root, rootMap } from './schema.ts';
import { officerA } from './testing.ts';
import { addFinding, timeline } from './timeline.ts';
import { parseEntry } from './validate.ts';

const HASH = 'a'.repeat(64);
const photo = { hash: HASH, mime: 'image/jpeg' as const, size: 1234, width: 1600, height: 1200 };

describe('photos and location on findings', () => {
  it('PHOTO-1: a finding carries photo references by SHA-256 and may have no text', () => {
    const doc = new Y.Doc();
    addFinding(doc, { id: 'f1', text: '', author: officerA, deviceTime: 1, photos: [photo] });
    const [item] = timeline(doc);
    expect(item?.entry).toMatchObject({ type: 'finding', text: '', photos: [photo] });
    expect(() => addFinding(doc, { id: 'f2', text: ' ', author: officerA, deviceTime: 2, photos: [] })).toThrow(/text/);
    expect(() =>
      addFinding(doc, { id: 'f3', text: 'x', author: officerA, deviceTime: 3, photos: [{ ...photo, hash: '../x' }] }),
    ).toThrow(/photo/);
  });

  it('LOC-1: a finding may carry a location with accuracy', () => {
    const doc = new Y.Doc();
    const location = { lat: 31.2304, lon: 121.4737, accuracy: 12 };
    addFinding(doc, { id: 'f1', text: 'here', author: officerA, deviceTime: 1, location });
    expect(timeline(doc)[0]?.entry).toMatchObject({ location });
    expect(() =>
      addFinding(doc, {
        id: 'f2',
        text: 'x',
        author: officerA,
        deviceTime: 1,
        location: { lat: 91, lon: 0, accuracy: 1 },
      }),
    ).toThrow(/location/);
  });

  it('PHOTO-1 LOC-1: old findings stay valid; bad photo or location shapes leave the record out', () => {
    const base = { id: 'e', type: 'finding', text: 't', author: officerA, deviceTime: 1 };
    expect(parseEntry(base)).toEqual(base);
    expect(parseEntry({ ...base, photos: [photo] })).toMatchObject({ photos: [photo] });
    for (const bad of [
      { ...base, photos: [{ ...photo, hash: 'A'.repeat(64) }] },
      { ...base, photos: [{ ...photo, mime: 'image/gif' }] },
      { ...base, photos: [{ ...photo, size: -1 }] },
      { ...base, photos: 'x' },
      { ...base, photos: Array.from({ length: 11 }, () => photo) },
      { ...base, location: { lat: 0, lon: 200, accuracy: 1 } },
      { ...base, location: { lat: 0, lon: 0 } },
    ]) {
      expect(parseEntry(bad)).toBeNull();
    }
    const doc = new Y.Doc();
    rootMap(doc, Root.entries).set('e', { ...base, location: { lat: 1, lon: 2, accuracy: 3 } });
    expect(timeline(doc)[0]?.entry).toMatchObject({ location: { lat: 1, lon: 2, accuracy: 3 } });
  });
});
