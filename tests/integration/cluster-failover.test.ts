import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, addFinding, stampOf, startGroup, timeline } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { stampWrites } from '../helpers/stamps.ts';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('several relay nodes: the owner dies', () => {
  let cluster: TestCluster;
  const clients: GroupClient[] = [];
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2, leaseMs: 3000 });
  }, 120_000);
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  it('SCALE-4 SYNC-9: kill -9 of the owning node while clients write through the balancer: ownership moves, no acknowledged update lost, no stamp written twice', async () => {
    try {
      const doc = groupDocName('grp-fail-1');
      const a = await login(cluster.url, 'demo015');
      const actor = { personId: a.person.id, name: a.person.name };
      const A = connectGroup(cluster.wsUrl, 'grp-fail-1', a.token);
      const B = connectGroup(cluster.wsUrl, 'grp-fail-1', a.token);
      clients.push(A, B);
      await waitFor(() => A.provider.synced && B.provider.synced, 20_000, 'synced');
      startGroup(A.doc, {
        id: 'grp-fail-1',
        kind: 'task',
        title: 'Failover (fictional)',
        unitId: 'st-e1',
        initiator: actor,
        deviceTime: 1,
      });
      const written: string[] = [];
      const write = async (i: number): Promise<void> => {
        const X = i % 2 === 0 ? A : B;
        addFinding(X.doc, { id: `f-${i}`, text: `finding ${i}`, author: actor, deviceTime: 10 + i });
        written.push(`f-${i}`);
        await turn();
      };
      const ackedBy = (id: string): boolean => A.ackCovers(Root.entries, id) || B.ackCovers(Root.entries, id);
      let i = 0;
      while (written.filter(ackedBy).length < 40) {
        await write(i++);
        if (i > 5000) throw new Error('nothing acknowledged');
      }
      const owner = await cluster.ownerOf(doc);
      expect(owner).not.toBeNull();
      const ackedAtKill = written.filter(ackedBy);
      await waitFor(() => ackedAtKill.every((id) => stampOf(A.doc, Root.entries, id)), 20_000, 'stamps seen');
      const stampsAtKill = new Map(ackedAtKill.map((id) => [id, stampOf(A.doc, Root.entries, id)!.at]));

      const killedAt = performance.now();
      expect((await owner!.server.kill('SIGKILL')).signal).toBe('SIGKILL');
      // Keep writing until something written after the kill is acknowledged (by the next owner).
      const firstAfter = i;
      await waitFor(
        async () => {
          await write(i++);
          return written.slice(firstAfter - 0).some((id) => ackedBy(id));
        },
        30_000,
        'an acknowledgement after the kill',
      );
      const movedMs = Math.round(performance.now() - killedAt);
      const next = await cluster.ownerOf(doc);
      expect(next?.id).toBeDefined();
      expect(next!.id).not.toBe(owner!.id);
      console.log(`failover: ownership moved ${owner!.id} → ${next!.id} in ${movedMs} ms (lease 3000 ms)`);
      expect(movedMs).toBeLessThan(20_000);

      await waitFor(() => A.fullyAcked() && B.fullyAcked(), 30_000, 'everything acknowledged');
      const acked = written.filter(ackedBy);

      // A fresh client through the balancer sees every acknowledged finding, stamped once, stamps unchanged.
      const fresh = await login(cluster.url, 'demo007');
      const C = connectGroup(cluster.wsUrl, 'grp-fail-1', fresh.token);
      clients.push(C);
      await waitFor(() => C.provider.synced, 20_000, 'fresh client synced');
      const have = new Set(timeline(C.doc).map((t) => t.id));
      expect(acked.filter((id) => !have.has(id))).toEqual([]);
      await waitFor(() => acked.every((id) => stampOf(C.doc, Root.entries, id)), 20_000, 'all stamped');
      for (const [id, at] of stampsAtKill) expect(stampOf(C.doc, Root.entries, id)!.at).toBe(at);
      const twice = [...stampWrites(C.doc)].filter(([, n]) => n !== 1);
      expect(twice).toEqual([]);
      console.log(`failover: ${written.length} written, ${ackedAtKill.length} acked at kill, ${acked.length} acked`);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
});
