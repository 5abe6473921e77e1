import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addFinding } from './timeline.ts';
import { decodeAckedVector, isFullyAcked, pendingRecordCount, relayedStateVector } from './syncState.ts';
import { officerA, officerB } from './testing.ts';

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

describe('PERF-4: what a device received from the relay counts as saved', () => {
  it('covers the records of an incremental update (not only updates that start at clock 0)', () => {
    const other = new Y.Doc();
    const device = new Y.Doc();
    addFinding(other, { id: 'f1', text: 'first', author: officerB, deviceTime: 1 });
    Y.applyUpdate(device, Y.encodeStateAsUpdate(other));
    const before = Y.encodeStateVector(other);
    addFinding(other, { id: 'f2', text: 'second, relayed on its own', author: officerB, deviceTime: 2 });
    const incremental = Y.encodeStateAsUpdate(other, before);
    Y.applyUpdate(device, incremental);
    // The first record was acknowledged (or received) before; the second came alone from the relay.
    const acked = decodeAckedVector(before);
    expect(pendingRecordCount(device, acked)).toBe(1);
    // Yjs's own reading of the update does not cover it: the update does not start at the client's clock 0.
    expect(decodeAckedVector(Y.encodeStateVectorFromUpdate(incremental)).get(other.clientID)).toBeUndefined();
    const relayed = decodeAckedVector(relayedStateVector(incremental));
    const safe = new Map([...acked, ...relayed].map(([c]) => [c, Math.max(acked.get(c) ?? 0, relayed.get(c) ?? 0)]));
    expect(pendingRecordCount(device, safe)).toBe(0);
  });
});
