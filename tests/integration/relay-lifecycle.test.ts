/** The relay in-process (memory or SQLite store): lazy loading, idle unloading, compaction, stamping on load. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Root, addFinding, startGroup, stampOf, timeline } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { ManualClock, MemoryStore, loadConfig, silentLogger, startServer } from '@muster/sync-server';
import type { RunningServer, Store } from '@muster/sync-server';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';

const actor = { personId: 'demo015', name: '王晓明' };

describe('relay lifecycle (in-process)', () => {
  let running: RunningServer | null = null;
  let dataDir = '';
  const clients: GroupClient[] = [];

  async function start(env: Record<string, string>, store?: Store, clock?: ManualClock): Promise<RunningServer> {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-inproc-'));
    const config = loadConfig({
      MUSTER_PORT: '0',
      MUSTER_HOST: '127.0.0.1',
      MUSTER_DATA_DIR: dataDir,
      MUSTER_DEMO: '1',
      ...env,
    });
    running = await startServer({
      config,
      log: silentLogger,
      ...(store ? { store } : {}),
      ...(clock ? { clock } : {}),
    });
    return running;
  }

  const wsUrl = (r: RunningServer): string => `ws://127.0.0.1:${r.port}/sync`;
  const base = (r: RunningServer): string => `http://127.0.0.1:${r.port}`;

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await running?.close();
    running = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads a group on first connection and unloads it when idle; it loads again with everything', async () => {
    const r = await start({ MUSTER_DOC_IDLE_MS: '50' }, new MemoryStore());
    const { token } = await login(base(r), 'demo015');
    expect(r.relay.stats.documents).toBe(0);
    const A = connectGroup(wsUrl(r), 'grp-idle-1', token);
    clients.push(A);
    await waitFor(() => A.provider.synced, 10_000);
    expect(r.relay.stats.documents).toBe(1);
    startGroup(A.doc, { id: 'grp-idle-1', kind: 'task', title: 'T', unitId: 'u1', initiator: actor, deviceTime: 1 });
    addFinding(A.doc, { id: 'f1', text: 'one', author: actor, deviceTime: 2 });
    await waitFor(() => A.fullyAcked() && stampOf(A.doc, Root.entries, 'f1'), 10_000);
    A.destroy();
    await waitFor(() => r.relay.stats.documents === 0, 10_000, 'unloaded');

    const B = connectGroup(wsUrl(r), 'grp-idle-1', token);
    clients.push(B);
    await waitFor(() => B.provider.synced && timeline(B.doc).length === 1, 10_000);
    expect(stampOf(B.doc, Root.entries, 'f1')).toEqual(stampOf(A.doc, Root.entries, 'f1'));
  });

  it('compacts the log into a snapshot in the background; the group loads the same from it', async () => {
    const store = new MemoryStore();
    const r = await start({ MUSTER_COMPACT_EVERY: '20', MUSTER_DOC_IDLE_MS: '10' }, store);
    const { token } = await login(base(r), 'demo015');
    const A = connectGroup(wsUrl(r), 'grp-compact', token);
    clients.push(A);
    await waitFor(() => A.provider.synced, 10_000);
    startGroup(A.doc, { id: 'grp-compact', kind: 'task', title: 'T', unitId: 'u1', initiator: actor, deviceTime: 1 });
    for (let i = 0; i < 60; i++) {
      addFinding(A.doc, { id: `c${i}`, text: `c ${i}`, author: actor, deviceTime: i });
      if (i % 7 === 0) await new Promise((res) => setImmediate(res));
    }
    await waitFor(() => A.fullyAcked(), 10_000);
    const stored = await waitFor(async () => {
      const s = await store.loadDoc(groupDocName('grp-compact'));
      return s.snapshot && s.snapshotSeq > 0 ? s : null;
    }, 10_000);
    expect(stored.updates.length).toBeLessThan(stored.lastSeq);
    A.destroy();
    await waitFor(() => r.relay.stats.documents === 0, 10_000, 'unloaded');
    const replay = new Y.Doc();
    const s = await store.loadDoc(groupDocName('grp-compact'));
    Y.applyUpdate(replay, s.snapshot!);
    for (const u of s.updates) Y.applyUpdate(replay, u);
    expect(timeline(replay)).toHaveLength(60);
    expect(timeline(replay).every((t) => t.serverTime !== null)).toBe(true);
  });

  it('STAMP-1: records that reached the store unstamped are stamped when the group is loaded', async () => {
    const store = new MemoryStore();
    // A group written straight into the store, as if the relay had crashed before stamping.
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    startGroup(doc, { id: 'grp-unstamped', kind: 'task', title: 'T', unitId: 'u1', initiator: actor, deviceTime: 1 });
    addFinding(doc, { id: 'u1', text: 'x', author: actor, deviceTime: 2 });
    await store.appendUpdates([{ docName: groupDocName('grp-unstamped'), updates }]);
    const clock = new ManualClock(1_777_000_000_000);
    const r = await start({}, store, clock);
    const { token } = await login(base(r), 'demo015');
    const A = connectGroup(wsUrl(r), 'grp-unstamped', token);
    clients.push(A);
    await waitFor(() => A.provider.synced && stampOf(A.doc, Root.entries, 'u1'), 10_000);
    expect(stampOf(A.doc, Root.entries, 'u1')).toEqual({ at: 1_777_000_000_000 });
    expect(stampOf(A.doc, Root.meta, 'group')).toEqual({ at: 1_777_000_000_000 });
  });
});
