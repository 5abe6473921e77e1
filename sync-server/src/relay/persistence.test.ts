import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MemoryStore } from '../store/memoryStore.ts';
import type { AppendResult, DocAppend } from '../store/store.ts';
import { Persistence } from './persistence.ts';
import { SharedDocument } from './sharedDocument.ts';
import type { Connection } from './connection.ts';

/** A memory store whose commits wait until the test releases them. */
class GatedStore extends MemoryStore {
  batches: DocAppend[][] = [];
  gate: Promise<void> = Promise.resolve();
  fail = false;
  override async appendUpdates(batch: readonly DocAppend[]): Promise<AppendResult[]> {
    this.batches.push([...batch]);
    await this.gate;
    if (this.fail) throw new Error('disk full');
    return super.appendUpdates(batch);
  }
}

function setup() {
  const store = new GatedStore();
  const committed: { doc: string; count: number }[] = [];
  const failed: string[] = [];
  /** Connections acknowledged, by commit (`committed`) or with nothing new (`acknowledge`). */
  const acked: { doc: string; owed: readonly Connection[]; nothingNew: boolean }[] = [];
  const p = new Persistence(store, new ManualClock(1000), {
    committed: (d, info) => {
      committed.push({ doc: d.name, count: info.count });
      if (info.owed.length > 0) acked.push({ doc: d.name, owed: info.owed, nothingNew: false });
    },
    acknowledge: (d, owed) => acked.push({ doc: d.name, owed, nothingNew: true }),
    failed: (docs) => failed.push(...docs.map((d) => d.name)),
  });
  const doc = (name: string): SharedDocument => {
    const d = new SharedDocument(name);
    d.attach((x) => p.schedule(x));
    return d;
  };
  return { store, p, committed, failed, acked, doc };
}

/** A connection that keeps what it is sent. */
function fakeConnection(): Connection & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { sent, send: (m: Uint8Array) => sent.push(m) } as unknown as Connection & { sent: Uint8Array[] };
}

/** The Yjs update inside a sync update message. */
function updateOf(message: Uint8Array): Uint8Array {
  const d = decoding.createDecoder(message);
  decoding.readVarUint(d); // sync
  decoding.readVarUint(d); // update
  return decoding.readVarUint8Array(d);
}

describe('Persistence (group commit)', () => {
  it('SYNC-2: commits the updates of one turn, across documents, in one batch, and reports only after it', async () => {
    const { store, p, committed, doc } = setup();
    const a = doc('group:aaaaaa');
    const b = doc('group:bbbbbb');
    let release!: () => void;
    store.gate = new Promise((r) => (release = r));
    for (let i = 0; i < 10; i++) a.doc.getMap('entries').set(`k${i}`, i);
    b.doc.getMap('entries').set('x', 1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0]!.map((x) => [x.docName, x.updates.length])).toEqual([
      ['group:aaaaaa', 10],
      ['group:bbbbbb', 1],
    ]);
    // Not acknowledged while the commit is in flight; updates arriving meanwhile wait for the next batch.
    expect(committed).toEqual([]);
    a.doc.getMap('entries').set('late', 1);
    release();
    await p.drain();
    expect(committed).toEqual([
      { doc: 'group:aaaaaa', count: 10 },
      { doc: 'group:bbbbbb', count: 1 },
      { doc: 'group:aaaaaa', count: 1 },
    ]);
    expect(store.batches).toHaveLength(2);
    expect((await store.loadDoc('group:aaaaaa')).lastSeq).toBe(11);
    expect(a.lastSeq).toBe(11);
  });

  it('refreshes the group index row when the meta or the entries change', async () => {
    const { store, p, doc } = setup();
    const a = doc('group:grp-idx');
    a.doc.getMap('meta').set('group', {
      id: 'grp-idx',
      kind: 'task',
      title: 'Index',
      incident: null,
      unitId: 'u1',
      initiator: { personId: 'p1', name: 'N' },
      deviceTime: 7,
    });
    a.doc.getMap('entries').set('e1', {
      id: 'e1',
      type: 'finding',
      text: 't',
      author: { personId: 'p1', name: 'N' },
      deviceTime: 8,
    });
    await p.drain();
    expect(await store.getGroup('grp-idx')).toEqual({
      id: 'grp-idx',
      title: 'Index',
      kind: 'task',
      initiatorName: 'N',
      createdAt: 7,
      updatedAt: 1000,
      entryCount: 1,
      status: {
        initiatorId: 'p1',
        closedAt: null,
        invited: 0,
        signed: 0,
        closureDeadline: null,
        open: [],
        heldAt: null,
      },
    });
  });

  it('SYNC-9: an update reaches the other connections only once committed; after a failed commit, never', async () => {
    const { store, p, doc } = setup();
    const a = doc('group:aaaaaa');
    const sent: Uint8Array[] = [];
    a.connections.add({ send: (m: Uint8Array) => sent.push(m) } as unknown as Connection);
    let release!: () => void;
    store.gate = new Promise((r) => (release = r));
    a.doc.getMap('entries').set('k', 1);
    await new Promise((r) => setImmediate(r));
    expect(store.batches).toHaveLength(1);
    expect(sent).toHaveLength(0);
    release();
    await p.drain();
    expect(sent).toHaveLength(1);

    store.fail = true;
    a.doc.getMap('entries').set('k2', 2);
    await p.drain();
    expect(sent).toHaveLength(1);
  });

  it('SYNC-9: what follows the apply of a client update (a connection evicted, a stamp written) takes effect before any other connection receives the update', async () => {
    const { p, doc } = setup();
    const a = doc('group:bbbbbb');
    const sender = fakeConnection();
    const evicted = fakeConnection();
    const stays = fakeConnection();
    for (const c of [sender, evicted, stays]) a.connections.add(c);
    const client = new Y.Doc();
    client.getMap('entries').set('f1', 'finding');
    // The client's update, then in the same turn what afterApply hooks do: evict a connection, stamp the record.
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(client), sender);
    expect(stays.sent).toHaveLength(0);
    a.connections.delete(evicted);
    a.doc.getMap('server:stamps').set('entries/f1', 1);
    await p.drain();
    expect(evicted.sent).toHaveLength(0);
    const got = new Y.Doc();
    for (const m of stays.sent) Y.applyUpdate(got, updateOf(m));
    expect(got.getMap('entries').get('f1')).toBe('finding');
    expect(got.getMap('server:stamps').get('entries/f1')).toBe(1);
  });

  it('reports a failed commit and acknowledges nothing', async () => {
    const { store, p, committed, failed, doc } = setup();
    store.fail = true;
    const a = doc('group:ffffff');
    a.doc.getMap('entries').set('k', 1);
    await p.drain();
    expect(committed).toEqual([]);
    expect(failed).toEqual(['group:ffffff']);
    expect((await store.loadDoc('group:ffffff')).lastSeq).toBe(0);
  });

  it('PERF-4: a client update and the stamp written for it reach each other connection as one message; its sender gets only the stamp', async () => {
    const { p, doc } = setup();
    const a = doc('group:aaaaaa');
    const sender = fakeConnection();
    const others = [fakeConnection(), fakeConnection(), fakeConnection()];
    for (const c of [sender, ...others]) a.connections.add(c);
    // A client's update (origin: its connection), then the relay's own write in the same turn (the stamp).
    const client = new Y.Doc();
    client.getMap('entries').set('f1', 'finding');
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(client), sender);
    a.doc.transact(() => a.doc.getMap('server:stamps').set('entries/f1', 1000), 'server');
    await p.drain();
    for (const other of others) {
      expect(other.sent).toHaveLength(1);
      // Encoded once: the same bytes for every receiver.
      expect(other.sent[0]).toBe(others[0]!.sent[0]);
    }
    expect(sender.sent).toHaveLength(1);
    const seen = new Y.Doc();
    Y.applyUpdate(seen, updateOf(others[0]!.sent[0]!));
    expect(seen.getMap('entries').get('f1')).toBe('finding');
    expect(seen.getMap('server:stamps').get('entries/f1')).toBe(1000);
    const back = new Y.Doc();
    Y.applyUpdate(back, updateOf(sender.sent[0]!));
    expect(back.getMap('entries').has('f1')).toBe(false);
    expect(back.getMap('server:stamps').get('entries/f1')).toBe(1000);
  });

  it('PERF-4: only the connections that sent updates are acknowledged; one whose update held nothing new is acknowledged after what came before is committed', async () => {
    const { store, p, acked, doc } = setup();
    const a = doc('group:aaaaaa');
    const writer = fakeConnection();
    const echo = fakeConnection();
    a.connections.add(writer);
    a.connections.add(echo);
    let release!: () => void;
    store.gate = new Promise((r) => (release = r));
    a.owed.add(writer);
    a.doc.getMap('entries').set('k', 1);
    await new Promise((r) => setImmediate(r));
    expect(store.batches).toHaveLength(1);
    // While that commit is in flight the other connection sends the same record: nothing new in memory.
    a.owed.add(echo);
    p.schedule(a);
    expect(acked).toEqual([]);
    release();
    await p.drain();
    expect(acked).toEqual([
      { doc: 'group:aaaaaa', owed: [writer], nothingNew: false },
      { doc: 'group:aaaaaa', owed: [echo], nothingNew: true },
    ]);
    expect(store.batches).toHaveLength(1);
  });
});
