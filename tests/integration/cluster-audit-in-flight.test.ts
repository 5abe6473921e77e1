/**
 * AUDIT-7 SCALE-4: a sign-off in flight when its group's owner is killed (kill -9) gets one audit row. The test holds
 * the group's `docs` row locked in PostgreSQL, so the owner's commit of the sign-off waits on it; once that commit
 * is seen waiting (and the owner has nothing else running), the owner is killed and the lock released. Its
 * transaction never commits; the device sends the sign-off again to the next owner through the balancer, which
 * stores it. With the row written apart from the update (as before AUDIT-7) the dead owner had already appended a
 * `sign-off` row, and the next owner appended a second one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { Root, signOff, stampOf } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { stampWrites } from '../helpers/stamps.ts';
import {
  MGMT_POST,
  expectChainVerifies,
  openLockTransaction,
  ownerWaitsOn,
  startWithManagementInvite,
} from '../helpers/inFlight.ts';

const G = 'grp-audit-flight-1';

describe('several relay nodes: an audited record in flight when its owner dies', () => {
  let cluster: TestCluster;
  const clients: GroupClient[] = [];
  let lock: pg.Client | null = null;
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2, leaseMs: 3000 });
  }, 120_000);
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await lock?.end().catch(() => {});
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  it('AUDIT-7 SCALE-4: kill -9 of the owner while a sign-off commits: one sign-off audit row, one stamp, the chain verifies', async () => {
    try {
      const doc = groupDocName(G);
      const { A } = await startWithManagementInvite(cluster, G, 'Audit in flight (fictional)', clients);
      const m = await login(cluster.url, 'demo005');
      const S = connectGroup(cluster.wsUrl, G, m.token);
      clients.push(S);
      await waitFor(() => S.provider.synced, 30_000, 'signer synced');
      const owner = (await cluster.ownerOf(doc))!;
      expect(owner).not.toBeNull();

      // The group's row held: the owner's next commit of it waits.
      const held = await openLockTransaction(cluster);
      lock = held.client;
      expect((await lock.query('SELECT 1 FROM docs WHERE name = $1 FOR UPDATE', [doc])).rowCount).toBe(1);

      signOff(S.doc, {
        id: 'sign-mgmt',
        invitationId: 'inv-mgmt',
        by: { personId: m.person.id, name: m.person.name },
        deviceTime: Date.now(),
      });
      // The owner's commit waits on the test's lock, and nothing else of the owner is running (an audit row written
      // apart from the update would have been appended by now).
      await waitFor(
        () => ownerWaitsOn(cluster, owner.id, held.pid),
        30_000,
        "the owner's commit of the sign-off waiting on the group's row",
      );
      expect(S.fullyAcked()).toBe(false);
      expect((await owner.server.kill('SIGKILL')).signal).toBe('SIGKILL');
      await lock.query('ROLLBACK');
      await lock.end();
      lock = null;

      // The device sends the sign-off again through the balancer; the next owner stores and acknowledges it.
      await waitFor(() => S.fullyAcked(), 60_000, 'the sign-off acknowledged after the kill');
      const next = (await cluster.ownerOf(doc))!;
      expect(next.id).not.toBe(owner.id);
      await waitFor(() => stampOf(S.doc, Root.signoffs, 'sign-mgmt'), 30_000, 'the sign-off stamped');

      const rows = (
        await cluster.pool.query<{ detail: string | null }>(
          "SELECT detail FROM audit WHERE doc_name = $1 AND action = 'sign-off' ORDER BY seq",
          [doc],
        )
      ).rows.map((r) => (r.detail ? (JSON.parse(r.detail) as Record<string, unknown>)['id'] : null));
      expect(rows).toEqual(['sign-mgmt']);

      // A fresh device sees the sign-off stamped once.
      const fresh = await login(cluster.url, 'demo007');
      const C = connectGroup(cluster.wsUrl, G, fresh.token);
      clients.push(C);
      await waitFor(() => C.provider.synced && stampOf(C.doc, Root.signoffs, 'sign-mgmt'), 30_000, 'fresh client');
      expect([...stampWrites(C.doc)].filter(([, n]) => n !== 1)).toEqual([]);

      // The one chain verifies (the surviving node signs a checkpoint of its head first).
      await expectChainVerifies(cluster, next);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 240_000);
});
