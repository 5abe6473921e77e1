import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdate } from './chunkedSync.ts';

function bigDoc(): Y.Doc {
  const doc = new Y.Doc();
  const entries = doc.getMap('entries');
  for (let i = 0; i < 80; i++) {
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc));
    writer.getMap('entries').set(`e${i}`, { id: `e${i}`, text: `${i} `.repeat(1500) });
    if (i % 7 === 0) writer.getMap('entries').delete(`e${i - 7}`);
    writer.getText('notes').insert(0, `note ${i} `);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer, Y.encodeStateVector(doc)));
  }
  expect(entries.size).toBeGreaterThan(60);
  return doc;
}

describe('chunked initial sync', () => {
  it('SYNC-4: the parts of a split update rebuild the same document, in order and shuffled', () => {
    const doc = bigDoc();
    const update = Y.encodeStateAsUpdate(doc);
    const parts = splitUpdate(update, 16 * 1024);
    expect(parts.length).toBeGreaterThan(10);
    for (const p of parts.slice(0, -1)) expect(p.length).toBeLessThan(16 * 1024 + 4096);
    for (const order of [parts, [...parts].reverse(), [...parts].sort(() => Math.random() - 0.5)]) {
      const fresh = new Y.Doc();
      for (const p of order) Y.applyUpdate(fresh, p);
      expect(fresh.getMap('entries').toJSON()).toEqual(doc.getMap('entries').toJSON());
      expect(fresh.getText('notes').toString()).toBe(doc.getText('notes').toString());
      expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(doc));
    }
  });

  it('SYNC-4: a diff against a state vector splits too; a small update stays whole', () => {
    const doc = bigDoc();
    const half = new Y.Doc();
    Y.applyUpdate(half, splitUpdate(Y.encodeStateAsUpdate(doc), 8 * 1024)[0]!);
    const diff = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(half));
    for (const p of splitUpdate(diff, 8 * 1024)) Y.applyUpdate(half, p);
    expect(half.getMap('entries').toJSON()).toEqual(doc.getMap('entries').toJSON());
    const small = new Uint8Array([0, 0]);
    expect(splitUpdate(small, 1024)).toEqual([small]);
  });
});
