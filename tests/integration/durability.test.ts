import { afterEach, describe, expect, it } from 'vitest';
import { Root, addFinding, startGroup, stampOf, timeline } from '@muster/core';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('durability', () => {
  let server: TestServer | null = null;
  const clients: GroupClient[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && server) console.log(server.output());
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
    server = null;
  });

  it('SYNC-2: after SIGKILL mid-stream and a restart, every acknowledged finding is there', async () => {
    // A small compaction interval so the kill also lands around snapshots.
    server = await startServer({ env: { MUSTER_COMPACT_EVERY: '25' } });
    const { token, person } = await login(server.url, 'demo015');
    const actor = { personId: person.id, name: person.name };
    const A = connectGroup(server.wsUrl, 'grp-durable-1', token);
    clients.push(A);
    await waitFor(() => A.provider.synced, 20_000, 'synced');
    startGroup(A.doc, {
      id: 'grp-durable-1',
      kind: 'task',
      title: 'Durability (fictional)',
      unitId: 'st-e1',
      initiator: actor,
      deviceTime: 1,
    });

    // Stream findings; once acks cover at least 150 of them, kill the server without warning and keep writing.
    const written: string[] = [];
    const acked = (): string[] => written.filter((id) => A.ackCovers(Root.entries, id));
    let killed = false;
    let coveredAtKill: string[] = [];
    for (let i = 0; i < 5000 && !killed; i++) {
      const id = `f-${i}`;
      addFinding(A.doc, { id, text: `finding ${i}`, author: actor, deviceTime: 10 + i });
      written.push(id);
      if (i % 5 === 4) await turn();
      if (acked().length >= 150) {
        const exit = await server.kill('SIGKILL');
        expect(exit.signal).toBe('SIGKILL');
        killed = true;
        // Acknowledgements the relay sent before it died may still be read from the socket: every one the device
        // gets until its socket closes is the truth it knows.
        await waitFor(() => !A.provider.wsconnected, 20_000, 'socket closed by the kill');
        coveredAtKill = acked();
        // Writing after the kill changes nothing on the server.
        addFinding(A.doc, { id: 'after-kill', text: 'lost in flight', author: actor, deviceTime: 99_999 });
      }
    }
    expect(killed).toBe(true);
    // The last ack received before the kill is the truth the device knows.
    expect(acked()).toEqual(coveredAtKill);
    A.destroy();

    await server.start();
    // ACL-1: a leader whose unit oversees the group's unit may open it (demo007, sub-bureau duty leader).
    const fresh = await login(server.url, 'demo007');
    const C = connectGroup(server.wsUrl, 'grp-durable-1', fresh.token);
    clients.push(C);
    await waitFor(() => C.provider.synced, 20_000, 'fresh client synced');
    const have = new Set(timeline(C.doc).map((t) => t.id));
    const missing = coveredAtKill.filter((id) => !have.has(id));
    expect(missing).toEqual([]);
    expect(have.has('after-kill')).toBe(false);
    // Records that reached the store before being stamped get stamped when the group is loaded again.
    await waitFor(() => [...have].every((id) => stampOf(C.doc, Root.entries, id)), 20_000, 'all stamped');
    console.log(`durability: ${written.length} written, ${coveredAtKill.length} acked at kill, ${have.size} found`);
  });

  it('SYNC-2: SIGTERM closes sockets with 1001, flushes, exits 0; the data is there after a restart', async () => {
    server = await startServer();
    const { token, person } = await login(server.url, 'demo015');
    const actor = { personId: person.id, name: person.name };
    const A = connectGroup(server.wsUrl, 'grp-durable-2', token);
    clients.push(A);
    await waitFor(() => A.provider.synced, 20_000, 'synced');
    startGroup(A.doc, { id: 'grp-durable-2', kind: 'task', title: 'T', unitId: 'u1', initiator: actor, deviceTime: 1 });
    for (let i = 0; i < 50; i++) addFinding(A.doc, { id: `g-${i}`, text: `g ${i}`, author: actor, deviceTime: i });
    await waitFor(() => A.fullyAcked(), 20_000, 'all acked');
    const exit = await server.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    await waitFor(() => A.closes.some((c) => c.code === 1001), 20_000, 'close 1001');
    A.destroy();
    expect(server.output()).toMatch(/stopped/);

    await server.start();
    const C = connectGroup(server.wsUrl, 'grp-durable-2', token);
    clients.push(C);
    await waitFor(() => C.provider.synced, 20_000, 'synced after restart');
    expect(timeline(C.doc)).toHaveLength(50);
  });
});
