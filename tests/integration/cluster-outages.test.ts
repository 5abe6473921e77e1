import { afterEach, describe, expect, it } from 'vitest';
import { Root, addFinding, stampOf, startGroup, timeline } from '@muster/core';
import { CloseCode, groupDocName } from '@muster/protocol';
import type * as Y from 'yjs';
import { TestCluster } from '../helpers/cluster.ts';
import { PrivatePostgres } from '../helpers/privatePostgres.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';

const ready = async (url: string): Promise<{ ready: boolean; info?: { redis?: boolean } } | null> => {
  const r = await fetch(`${url}/readyz`).catch(() => null);
  return r ? ((await r.json()) as { ready: boolean; info?: { redis?: boolean } }) : null;
};

function stampedOnce(doc: Y.Doc): string[] {
  const stamps = doc.getMap(Root.stamps);
  const twice: string[] = [];
  for (const key of stamps.keys()) {
    let n = 0;
    for (let item = stamps._map.get(key) ?? null; item; item = item.left) n++;
    if (n !== 1) twice.push(key);
  }
  return twice;
}

describe('several relay nodes: Redis and PostgreSQL go away', () => {
  let cluster: TestCluster | null = null;
  let privatePg: PrivatePostgres | null = null;
  const clients: GroupClient[] = [];
  afterEach(async (ctx) => {
    for (const c of clients.splice(0)) c.destroy();
    if (ctx.task.result?.state === 'fail' && cluster) console.log(cluster.output());
    if (ctx.task.result?.state === 'fail' && privatePg) console.log(privatePg.log());
    try {
      await cluster?.stop();
    } finally {
      cluster = null;
      await privatePg?.stop();
      privatePg = null;
    }
  }, 60_000);

  /** A group owned by node 1, with A on node 1 and B on node 2 (proxied). */
  async function twoWriters(c: TestCluster, id: string) {
    const [n1, n2] = c.nodes;
    const a = await login(n1!.server.url, 'demo015');
    const actor = { personId: a.person.id, name: a.person.name };
    const A = connectGroup(n1!.server.wsUrl, id, a.token);
    clients.push(A);
    await waitFor(() => A.provider.synced, 20_000, 'A synced');
    startGroup(A.doc, {
      id,
      kind: 'task',
      title: `${id} (fictional)`,
      unitId: 'st-e1',
      initiator: actor,
      deviceTime: 1,
    });
    await waitFor(() => A.fullyAcked(), 20_000, 'group acknowledged');
    const B = connectGroup(n2!.server.wsUrl, id, a.token);
    clients.push(B);
    await waitFor(() => B.provider.synced, 20_000, 'B synced');
    let i = 0;
    const write = (X: GroupClient, tag: string): string => {
      const fid = `${tag}-${i++}`;
      addFinding(X.doc, { id: fid, text: fid, author: actor, deviceTime: 10 + i });
      return fid;
    };
    return { A, B, write };
  }

  async function verifyAll(c: TestCluster, id: string, acked: string[]): Promise<void> {
    const fresh = await login(c.url, 'demo007');
    const C = connectGroup(c.wsUrl, id, fresh.token);
    clients.push(C);
    await waitFor(() => C.provider.synced, 20_000, 'fresh client synced');
    const have = new Set(timeline(C.doc).map((t) => t.id));
    expect(acked.filter((x) => !have.has(x))).toEqual([]);
    await waitFor(() => acked.every((x) => stampOf(C.doc, Root.entries, x)), 20_000, 'all stamped');
    expect(stampedOnce(C.doc)).toEqual([]);
  }

  it('SCALE-7: Redis restarts while nodes run: collaboration across nodes goes on, nodes reconnect to it', async () => {
    cluster = await TestCluster.start({ nodes: 2 });
    const { A, B, write } = await twoWriters(cluster, 'grp-redis-1');
    await cluster.redis.stop();
    const during = [write(A, 'a'), write(B, 'b')];
    await waitFor(() => A.fullyAcked() && B.fullyAcked(), 20_000, 'acknowledged without Redis');
    for (const X of [A, B]) {
      await waitFor(() => during.every((x) => timeline(X.doc).some((t) => t.id === x)), 20_000, 'delivered');
    }
    await cluster.redis.restart();
    for (const n of cluster.nodes) {
      await waitFor(async () => (await ready(n.server.url))?.info?.redis === true, 30_000, `${n.id} back on Redis`);
    }
    const after = [write(A, 'a'), write(B, 'b')];
    await waitFor(() => A.fullyAcked() && B.fullyAcked(), 20_000, 'acknowledged after Redis');
    await verifyAll(cluster, 'grp-redis-1', [...during, ...after]);
  });

  it('SCALE-7: PostgreSQL itself stops hard (a crash) and starts again: acknowledgements pause, nothing acknowledged is lost, service resumes', async () => {
    privatePg = await PrivatePostgres.start();
    cluster = await TestCluster.start({ nodes: 2, pgUrl: privatePg.url });
    const { A, B, write } = await twoWriters(cluster, 'grp-pg-out');
    const before = [write(A, 'a'), write(B, 'b')];
    await waitFor(() => A.fullyAcked() && B.fullyAcked(), 20_000, 'acknowledged before');
    // Writes keep coming while PostgreSQL goes down without a checkpoint (pg_ctl stop -m immediate).
    const racing = [write(A, 'a'), write(B, 'b')];
    await privatePg.halt('immediate');
    for (const n of cluster.nodes) {
      await waitFor(async () => (await ready(n.server.url))?.ready === false, 30_000, `${n.id} not ready`);
    }
    const ackedAtCrash = racing.filter((x) => A.ackCovers(Root.entries, x) || B.ackCovers(Root.entries, x));
    const during = [write(A, 'a'), write(B, 'b')];
    // Nothing written while PostgreSQL is down is acknowledged.
    expect(during.some((x) => A.ackCovers(Root.entries, x) || B.ackCovers(Root.entries, x))).toBe(false);
    await privatePg.startAgain();
    for (const n of cluster.nodes) {
      await waitFor(async () => (await ready(n.server.url))?.ready === true, 60_000, `${n.id} ready again`);
    }
    await waitFor(() => A.fullyAcked() && B.fullyAcked(), 60_000, 'acknowledged after PostgreSQL came back');
    await verifyAll(cluster, 'grp-pg-out', [...before, ...racing, ...during]);
    console.log(`pg crash: ${ackedAtCrash.length} of ${racing.length} racing writes acknowledged before the crash`);
  }, 180_000);

  it('SCALE-2: a node cut off from PostgreSQL stops acting once its lease lapses; another node takes over', async () => {
    cluster = await TestCluster.start({ nodes: 2, pgVia: [0] });
    const doc = groupDocName('grp-split-1');
    const { A, B, write } = await twoWriters(cluster, 'grp-split-1');
    expect((await cluster.ownerOf(doc))?.id).toBe('n1');
    const before = [write(A, 'a'), write(B, 'b')];
    await waitFor(() => A.fullyAcked() && B.fullyAcked(), 20_000, 'acknowledged before');
    await cluster.nodes[0]!.pgRelay!.cut();
    // n1 gives its lease up by itself (it cannot renew) and closes its clients with 4512.
    await waitFor(() => A.closes.some((c) => c.code === CloseCode.ownerMoved), 30_000, 'n1 stopped acting');
    expect(cluster.nodes[0]!.server.output()).toMatch(/leases lost; this node stops acting/);
    // B (on n2) goes on once n2 holds the lease.
    await waitFor(async () => (await cluster!.ownerOf(doc))?.id === 'n2', 30_000, 'n2 owns the group');
    const after = [write(B, 'b')];
    await waitFor(() => B.fullyAcked(), 30_000, 'acknowledged by n2');
    await cluster.nodes[0]!.pgRelay!.restore();
    await verifyAll(cluster, 'grp-split-1', [...before, ...after]);
  });
});
