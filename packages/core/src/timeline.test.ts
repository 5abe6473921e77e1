import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { stampKey } from '@muster/protocol';
import { Root, rootMap, stampsMap } from './schema.ts';
import { stampRecords, unstampedRefs } from './stamps.ts';
import { officerA, officerB } from './testing.ts';
import { addFinding, entryCount, timeline } from './timeline.ts';

describe('timeline', () => {
  it('TL-1: orders by server stamp when known, else device time, then id', () => {
    const doc = new Y.Doc();
    addFinding(doc, { id: 'c', text: 'third by device time', author: officerA, deviceTime: 300 });
    addFinding(doc, { id: 'b', text: 'tie on device time', author: officerA, deviceTime: 100 });
    addFinding(doc, { id: 'a', text: 'tie on device time', author: officerB, deviceTime: 100 });
    expect(timeline(doc).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    // The server stamps c before a and b arrive: its trusted time now leads.
    stampsMap(doc).set(stampKey(Root.entries, 'c'), { at: 50 });
    expect(timeline(doc).map((i) => i.id)).toEqual(['c', 'a', 'b']);
    expect(timeline(doc)[0]?.serverTime).toBe(50);
    expect(timeline(doc)[1]?.serverTime).toBeNull();
  });

  it('TL-2: a finding keeps its device time and gets a server stamp once stamped', () => {
    const doc = new Y.Doc();
    addFinding(doc, { id: 'f1', text: 'Suspect wore a red jacket', author: officerA, deviceTime: 1234 });
    expect(unstampedRefs(doc)).toEqual([{ collection: 'entries', id: 'f1' }]);
    stampRecords(doc, unstampedRefs(doc), 9999, 'server');
    const [item] = timeline(doc);
    expect(item?.deviceTime).toBe(1234);
    expect(item?.serverTime).toBe(9999);
    expect(unstampedRefs(doc)).toEqual([]);
  });

  it('rejects empty and oversized text, and duplicate ids', () => {
    const doc = new Y.Doc();
    expect(() => addFinding(doc, { id: 'x', text: ' ', author: officerA, deviceTime: 1 })).toThrow(/text/);
    expect(() => addFinding(doc, { id: 'x', text: 'a'.repeat(20_001), author: officerA, deviceTime: 1 })).toThrow(
      /20,000/,
    );
    addFinding(doc, { id: 'x', text: 'ok', author: officerA, deviceTime: 1 });
    expect(() => addFinding(doc, { id: 'x', text: 'again', author: officerA, deviceTime: 2 })).toThrow(/exists/);
  });

  it('leaves malformed records out of the views', () => {
    const doc = new Y.Doc();
    addFinding(doc, { id: 'ok', text: 'fine', author: officerA, deviceTime: 1 });
    rootMap(doc, Root.entries).set('bad', { type: 'finding', text: 42 });
    rootMap(doc, Root.entries).set('mismatch', {
      id: 'other',
      type: 'finding',
      text: 't',
      author: officerA,
      deviceTime: 1,
    });
    expect(timeline(doc).map((i) => i.id)).toEqual(['ok']);
    expect(entryCount(doc)).toBe(1);
  });
});
