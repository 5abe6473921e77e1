import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdateInOrder } from './updateParts.ts';

/** Three replicas editing one array, one text and one map, each building on the others' items. */
function interleavedDoc(): Y.Doc {
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const sync = (): void => {
    for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  };
  for (let round = 0; round < 40; round++) {
    for (const [i, d] of docs.entries()) {
      const arr = d.getArray<string>('list');
      arr.insert(Math.floor(arr.length / 2), [`r${round}-d${i}-${'x'.repeat(200)}`]);
      const text = d.getText('text');
      text.insert(Math.floor(text.length / 3), `(${round}.${i})`);
      d.getMap('meta').set(`k${round % 7}`, { round, i, pad: 'y'.repeat(300) });
      if (round % 5 === 0 && arr.length > 3) arr.delete(1, 1);
    }
    sync();
  }
  return docs[0]!;
}

describe('splitUpdateInOrder', () => {
  it('RELY-1: parts are each within the size, apply one by one with nothing left pending, and end identical', () => {
    const source = interleavedDoc();
    // the receiver holds an early state of the document
    const receiver = new Y.Doc();
    const full = Y.encodeStateAsUpdate(source);
    const diff = Y.encodeStateAsUpdate(source, Y.encodeStateVector(receiver));
    expect(diff.length).toBe(full.length);
    const parts = splitUpdateInOrder(diff, Y.decodeStateVector(Y.encodeStateVector(receiver)), 4096);
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096 + 512);
      Y.applyUpdate(receiver, part);
      // every struct of the part could be integrated: the relay's guard refuses parts that would stay pending
      expect(receiver.store.pendingStructs).toBeNull();
    }
    expect(receiver.store.pendingDs).toBeNull();
    expect(receiver.getArray('list').toJSON()).toEqual(source.getArray('list').toJSON());
    expect(receiver.getText('text').toString()).toBe(source.getText('text').toString());
    expect(receiver.getMap('meta').toJSON()).toEqual(source.getMap('meta').toJSON());
  });

  it('RELY-1: a receiver part-way through gets only what it lacks, and what `first` picks leads', () => {
    const source = interleavedDoc();
    const receiver = new Y.Doc();
    const half = splitUpdateInOrder(Y.encodeStateAsUpdate(source), new Map(), 8192);
    for (const part of half.slice(0, Math.floor(half.length / 2))) Y.applyUpdate(receiver, part);
    // written last, by a client whose structs come last in the update: `first` puts it in the first part
    const late = new Y.Doc();
    late.clientID = 1;
    Y.applyUpdate(late, Y.encodeStateAsUpdate(source));
    late.getMap('group').set('record', { title: 'late' });
    Y.applyUpdate(source, Y.encodeStateAsUpdate(late, Y.encodeStateVector(source)));
    const sv = Y.encodeStateVector(receiver);
    const diff = Y.encodeStateAsUpdate(source, sv);
    const isGroup = (s: unknown): boolean => s instanceof Y.Item && (s.parent as unknown) === 'group';
    expect(isGroup(Y.decodeUpdate(splitUpdateInOrder(diff, Y.decodeStateVector(sv), 8192)[0]!).structs[0])).toBe(false);
    const parts = splitUpdateInOrder(diff, Y.decodeStateVector(sv), 8192, isGroup);
    expect(Y.decodeUpdate(parts[0]!).structs.some(isGroup)).toBe(true);
    for (const part of parts) {
      Y.applyUpdate(receiver, part);
      expect(receiver.store.pendingStructs).toBeNull();
    }
    expect(Y.encodeStateVector(receiver)).toEqual(Y.encodeStateVector(source));
    expect(receiver.getText('text').toString()).toBe(source.getText('text').toString());
  });

  it('RELY-1: an update within the size is returned as it is', () => {
    const d = new Y.Doc();
    d.getMap('m').set('a', 1);
    const u = Y.encodeStateAsUpdate(d);
    expect(splitUpdateInOrder(u, new Map(), 1024)).toEqual([u]);
  });
});
