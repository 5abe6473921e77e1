import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addFinding } from './timeline.ts';
import { changedRefs, stampOf, stampRecords } from './stamps.ts';
import { officerA } from './testing.ts';

describe('stamps', () => {
  it('STAMP-1: stamps records without a stamp and never changes an existing stamp', () => {
    const doc = new Y.Doc();
    addFinding(doc, { id: 'f1', text: 'one', author: officerA, deviceTime: 1 });
    expect(stampRecords(doc, [{ collection: 'entries', id: 'f1' }], 100, 'srv')).toHaveLength(1);
    expect(stampRecords(doc, [{ collection: 'entries', id: 'f1' }], 200, 'srv')).toHaveLength(0);
    expect(stampOf(doc, 'entries', 'f1')?.at).toBe(100);
  });

  it('STAMP-2: changedRefs names exactly the records a transaction added', () => {
    const doc = new Y.Doc();
    addFinding(doc, { id: 'old', text: 'before', author: officerA, deviceTime: 1 });
    const seen: string[][] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(changedRefs(doc, tr).map((r) => r.id)));
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    addFinding(other, { id: 'new1', text: 'x', author: officerA, deviceTime: 2 });
    addFinding(other, { id: 'new2', text: 'y', author: officerA, deviceTime: 3 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    expect(seen.at(-1)?.sort()).toEqual(['new1', 'new2']);
  });

  it('ignores a malformed stamp value', () => {
    const doc = new Y.Doc();
    doc.getMap('server:stamps').set('entries/f1', { at: 'yesterday' });
    expect(stampOf(doc, 'entries', 'f1')).toBeNull();
  });

  it('STAMP-2: changedRefs finds records in a root type the receiving doc had not defined yet', () => {
    const device = new Y.Doc();
    addFinding(device, { id: 'first', text: 'x', author: officerA, deviceTime: 1 });
    const relay = new Y.Doc(); // no getMap('entries') before the update arrives
    const refs: string[] = [];
    relay.on('afterTransaction', (tr: Y.Transaction) => refs.push(...changedRefs(relay, tr).map((r) => r.id)));
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(device));
    expect(refs).toEqual(['first']);
  });
});
