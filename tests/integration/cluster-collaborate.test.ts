import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, addFinding, stampOf, startGroup, timeline } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';

describe('several relay nodes', () => {
  let cluster: TestCluster;
  const clients: GroupClient[] = [];
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2 });
  }, 120_000);
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  it('SCALE-3: clients on different nodes collaborate on one group; exactly one node owns and stamps it', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      const a = await login(n1!.server.url, 'demo015');
      const b = await login(n2!.server.url, 'demo007');
      const actorA = { personId: a.person.id, name: a.person.name };
      const actorB = { personId: b.person.id, name: b.person.name };
      const A = connectGroup(n1!.server.wsUrl, 'grp-cl-1', a.token);
      clients.push(A);
      await waitFor(() => A.provider.synced, 20_000, 'A synced');
      startGroup(A.doc, {
        id: 'grp-cl-1',
        kind: 'task',
        title: 'Two nodes (fictional)',
        unitId: 'st-e1',
        initiator: actorA,
        deviceTime: 1,
      });
      await waitFor(() => A.fullyAcked(), 20_000, 'group acknowledged');
      expect((await cluster.ownerOf(groupDocName('grp-cl-1')))?.id).toBe('n1');

      // B reaches the group through the other node (proxied to the owner) and through the balancer.
      const B = connectGroup(n2!.server.wsUrl, 'grp-cl-1', b.token);
      const C = connectGroup(cluster.wsUrl, 'grp-cl-1', b.token);
      clients.push(B, C);
      await waitFor(() => B.provider.synced && C.provider.synced, 20_000, 'B and C synced');
      for (let i = 0; i < 10; i++) {
        addFinding(A.doc, { id: `a-${i}`, text: `from A ${i}`, author: actorA, deviceTime: 10 + i });
        addFinding(B.doc, { id: `b-${i}`, text: `from B ${i}`, author: actorB, deviceTime: 10 + i });
      }
      const all = [...Array(10).keys()].flatMap((i) => [`a-${i}`, `b-${i}`]);
      for (const X of [A, B, C]) {
        await waitFor(
          () => {
            const ids = new Set(timeline(X.doc).map((t) => t.id));
            return all.every((id) => ids.has(id));
          },
          20_000,
          'every finding everywhere',
        );
      }
      await waitFor(() => A.fullyAcked() && B.fullyAcked(), 20_000, 'acknowledged on both nodes');
      // Every finding stamped once, by the owner: one stamp item per record, none overwritten.
      const stamps = C.doc.getMap(Root.stamps);
      await waitFor(() => all.every((id) => stampOf(C.doc, Root.entries, id)), 20_000, 'stamped');
      for (const [key] of stamps) {
        let n = 0;
        for (let item = stamps._map.get(key) ?? null; item; item = item.left) n++;
        expect(n, `stamp ${key} written ${n} times`).toBe(1);
      }
      expect((await cluster.ownerOf(groupDocName('grp-cl-1')))?.id).toBe('n1');
    } catch (error) {
      failed = true;
      throw error;
    }
  });
});
