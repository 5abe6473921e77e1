import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addFinding } from './timeline.ts';
import { decodeAckedVector, isFullyAcked, pendingRecordCount } from './syncState.ts';
import { officerA } from './testing.ts';

describe('SYNC-1: pending changes from the durable acknowledgement', () => {
  it('counts the records not covered by the acknowledged state vector', () => {
    const device = new Y.Doc();
    addFinding(device, { id: 'f1', text: 'one', author: officerA, deviceTime: 1 });
    addFinding(device, { id: 'f2', text: 'two', author: officerA, deviceTime: 2 });
    expect(pendingRecordCount(device, new Map())).toBe(2);
    expect(isFullyAcked(device, new Map())).toBe(false);
    // The server persisted what it received so far.
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
    const acked = decodeAckedVector(Y.encodeStateVector(server));
    addFinding(device, { id: 'f3', text: 'three, written after the ack', author: officerA, deviceTime: 3 });
    expect(pendingRecordCount(device, acked)).toBe(1);
    expect(isFullyAcked(device, acked)).toBe(false);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
    const all = decodeAckedVector(Y.encodeStateVector(server));
    expect(pendingRecordCount(device, all)).toBe(0);
    expect(isFullyAcked(device, all)).toBe(true);
  });
});
