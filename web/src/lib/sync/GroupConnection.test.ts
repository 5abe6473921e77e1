import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { addFinding, startGroup } from '@muster/core';
import { MessageType, encodeAck, encodeNotice } from '@muster/protocol';
import type { Ack } from '@muster/protocol';
import { GroupConnection } from './GroupConnection.ts';
import { STALL_MS } from './syncStatus.ts';
import type { GroupIndexFields } from '../db/schema.ts';

/** Never opened: the tests drive the provider's message handlers directly. */
class NoSocket {
  constructor() {
    throw new Error('no network in unit tests');
  }
}

const actor = { personId: 'p1', name: '张三' };
const open: GroupConnection[] = [];

function setup() {
  const doc = new Y.Doc();
  startGroup(doc, { id: 'g-000001', kind: 'task', title: '补办身份证', unitId: 'u1', initiator: actor, deviceTime: 1 });
  const acks: Ack[] = [];
  const fields: Partial<GroupIndexFields>[] = [];
  const conn = new GroupConnection({
    id: 'g-000001',
    doc,
    syncUrl: 'ws://relay.invalid/sync',
    token: 't',
    ackedStateVector: null,
    ackedAt: null,
    saveAck: async (a) => acks.push(a),
    saveFields: async (f) => fields.push(f),
    connect: false,
    WebSocketPolyfill: NoSocket as unknown as typeof WebSocket,
    now: () => 42,
  });
  open.push(conn);
  return { doc, conn, acks, fields };
}

/** Feeds a raw server message to the provider as y-websocket would. */
function deliver(conn: GroupConnection, message: Uint8Array) {
  const dec = decoding.createDecoder(message);
  const type = decoding.readVarUint(dec);
  const handler = conn.provider.messageHandlers[type]!;
  handler(undefined as never, dec, conn.provider, true, type);
}

afterEach(() => {
  while (open.length) open.pop()!.destroy();
  vi.useRealTimers();
});

/** The pending count is recomputed on a short timer after document updates; tests fire it rather than sleep. */
function fakeRecomputeTimer() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
}

describe('GroupConnection', () => {
  it('counts every record as pending before any acknowledgement', () => {
    const { conn } = setup();
    expect(conn.snapshot.pending).toBe(1);
    expect(conn.snapshot.status).toBe('disconnected');
  });

  it('a durable ack (message 8) clears pending records and is persisted', () => {
    const { doc, conn, acks } = setup();
    deliver(conn, encodeAck({ stateVector: Y.encodeStateVector(doc), serverTime: 9000 }));
    expect(conn.snapshot).toMatchObject({ pending: 0, ackedAt: 9000 });
    expect(acks).toHaveLength(1);
    expect(acks[0]!.serverTime).toBe(9000);
  });

  it('an ack that covers only part of the document leaves the rest pending', () => {
    fakeRecomputeTimer();
    const { doc, conn, fields } = setup();
    const first = Y.encodeStateVector(doc);
    addFinding(doc, { id: 'e1', text: '昏迷，无证件', author: actor, deviceTime: 2 });
    addFinding(doc, { id: 'e2', text: '已联系人口管理', author: actor, deviceTime: 3 });
    vi.runOnlyPendingTimers();
    expect(conn.snapshot.pending).toBe(3);
    expect(fields.at(-1)).toMatchObject({ pending: 3, entryCount: 2, updatedAt: 42 });
    deliver(conn, encodeAck({ stateVector: first, serverTime: 9000 }));
    expect(conn.snapshot.pending).toBe(2);
    // an older ack arriving late does not undo a newer one
    deliver(conn, encodeAck({ stateVector: Y.encodeStateVector(doc), serverTime: 9500 }));
    deliver(conn, encodeAck({ stateVector: first, serverTime: 9100 }));
    expect(conn.snapshot).toMatchObject({ pending: 0, ackedAt: 9500 });
  });

  it('records received from the relay are not counted as this device’s to send', () => {
    fakeRecomputeTimer();
    const { conn, fields } = setup();
    const saved = fields.length;
    const other = new Y.Doc();
    addFinding(other, { id: 'x1', text: '另一台设备的记录', author: actor, deviceTime: 5 });
    Y.applyUpdate(conn.doc, Y.encodeStateAsUpdate(other), conn.provider);
    vi.runOnlyPendingTimers();
    expect(fields.length).toBeGreaterThan(saved); // the recount ran
    expect(conn.snapshot.pending).toBe(1); // only the local group record
  });

  it('PERF-4: an incremental update from the relay (a later record of a known device) is not counted as pending', () => {
    fakeRecomputeTimer();
    const { conn } = setup();
    const other = new Y.Doc();
    addFinding(other, { id: 'x1', text: '另一台设备的记录', author: actor, deviceTime: 5 });
    Y.applyUpdate(conn.doc, Y.encodeStateAsUpdate(other), conn.provider);
    const before = Y.encodeStateVector(other);
    addFinding(other, { id: 'x2', text: '同一设备的下一条', author: actor, deviceTime: 6 });
    // Relayed on its own, without an acknowledgement for this device (the writer gets that).
    Y.applyUpdate(conn.doc, Y.encodeStateAsUpdate(other, before), conn.provider);
    vi.runOnlyPendingTimers();
    expect(conn.snapshot.pending).toBe(1); // only the local group record
  });

  it('keeps the latest notice (message 9)', () => {
    const { conn } = setup();
    deliver(conn, encodeNotice({ kind: 'refused', code: 'server-owned', message: 'no' }));
    expect(conn.snapshot.notice).toEqual({ kind: 'refused', code: 'server-owned', message: 'no' });
  });

  it('SYNC-5 LATE-1 REQ-2: records a notice names as refused are kept apart, never counted as saved, and remembered', () => {
    const { conn } = setup();
    deliver(
      conn,
      encodeNotice({ kind: 'read-only', code: 'closed', message: 'closed', keys: ['entries/f-1', 'entries/f-2'] }),
    );
    expect(conn.snapshot.refused).toBe(2);
    expect([...(conn.snapshot.refusedCodes ?? [])]).toEqual([
      ['entries/f-1', 'closed'],
      ['entries/f-2', 'closed'],
    ]);
    deliver(conn, encodeNotice({ kind: 'refused', code: 'server-owned', message: 'no' }));
    expect(conn.snapshot.refused).toBe(2);
  });

  it('notifies subscribers of changes', () => {
    const { doc, conn } = setup();
    const seen: number[] = [];
    conn.subscribe((s) => seen.push(s.pending));
    deliver(conn, encodeAck({ stateVector: Y.encodeStateVector(doc), serverTime: 1 }));
    expect(seen).toEqual([1, 0]);
  });
});

describe('GroupConnection acknowledgements from another tab (SYNC-8)', () => {
  it("SYNC-8: an ack another tab wrote to the index row clears this tab's pending count", () => {
    fakeRecomputeTimer();
    const { doc, conn } = setup();
    addFinding(doc, { id: 'e1', text: '现场', author: actor, deviceTime: 2 });
    vi.advanceTimersByTime(30);
    expect(conn.snapshot.pending).toBeGreaterThan(0);
    conn.absorbAck(Y.encodeStateVector(doc), 77);
    expect(conn.snapshot).toMatchObject({ pending: 0, ackedAt: 77 });
    // the same row again changes nothing; an older time never moves ackedAt back
    const seen: number[] = [];
    conn.subscribe((s) => seen.push(s.pending));
    conn.absorbAck(Y.encodeStateVector(doc), 5);
    expect(seen).toEqual([0]);
    expect(conn.snapshot.ackedAt).toBe(77);
  });
});

describe('GroupConnection stall (SYNC-6)', () => {
  it('SYNC-6: pending changes without an acknowledgement for STALL_MS turn stalled; an ack clears it', () => {
    fakeRecomputeTimer();
    const { doc, conn } = setup();
    addFinding(doc, { id: 'e1', text: '现场', author: actor, deviceTime: 2 });
    vi.advanceTimersByTime(30);
    expect(conn.snapshot.pending).toBeGreaterThan(0);
    vi.advanceTimersByTime(STALL_MS - 100);
    expect(conn.snapshot.stalled).toBe(false);
    vi.advanceTimersByTime(200);
    expect(conn.snapshot.stalled).toBe(true);
    // an ack that leaves something pending clears the stall and starts a fresh wait
    const partial = Y.encodeStateVector(doc);
    addFinding(doc, { id: 'e2', text: '后续', author: actor, deviceTime: 3 });
    deliver(conn, encodeAck({ stateVector: partial, serverTime: 9 }));
    vi.advanceTimersByTime(30);
    expect(conn.snapshot.pending).toBeGreaterThan(0);
    expect(conn.snapshot.stalled).toBe(false);
    vi.advanceTimersByTime(STALL_MS + 10);
    expect(conn.snapshot.stalled).toBe(true);
    deliver(conn, encodeAck({ stateVector: Y.encodeStateVector(doc), serverTime: 10 }));
    expect(conn.snapshot).toMatchObject({ pending: 0, stalled: false });
    vi.advanceTimersByTime(STALL_MS * 2);
    expect(conn.snapshot.stalled).toBe(false);
  });
});

describe('GroupConnection link status', () => {
  it('shows an unreachable relay as disconnected, not as endlessly connecting', async () => {
    let attempts = 0;
    /** A socket whose connection always fails, like an unreachable relay. */
    class FailingSocket {
      binaryType = 'arraybuffer';
      onclose: ((e: { code: number; reason: string }) => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      onopen: (() => void) | null = null;
      onmessage: ((e: unknown) => void) | null = null;
      constructor() {
        attempts++;
        setTimeout(() => this.onclose?.({ code: 1006, reason: '' }), 5);
      }
      close() {}
      send() {}
    }
    const doc = new Y.Doc();
    const conn = new GroupConnection({
      id: 'g-000002',
      doc,
      syncUrl: 'ws://relay.invalid/sync',
      token: 't',
      ackedStateVector: null,
      ackedAt: null,
      saveAck: async () => {},
      saveFields: async () => {},
      WebSocketPolyfill: FailingSocket as unknown as typeof WebSocket,
    });
    open.push(conn);
    const seen: string[] = [];
    conn.subscribe((s) => seen.push(s.status));
    // Wait for the first retry rather than sleeping through the reconnect backoff.
    await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 20 });
    expect(conn.snapshot.status).toBe('disconnected');
    // 'connecting' for the first attempt only; after the first failure the retries show 'disconnected'
    expect(seen[0]).toBe('connecting');
    expect(seen.slice(1)).not.toContain('connecting');
  });
});

describe('message type numbers', () => {
  it('match the protocol', () => {
    expect(MessageType.ack).toBe(8);
    expect(MessageType.notice).toBe(9);
  });
});
