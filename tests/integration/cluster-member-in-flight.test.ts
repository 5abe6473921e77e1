/**
 * AUDIT-8 SCALE-4: an invitation in flight when its group's owner is killed (kill -9) registers its member with one
 * `member-registered` audit row. The test holds the audit chain's append lock in PostgreSQL (the advisory lock every
 * append takes), so the owner's writes for the invitation wait on it; once they are seen waiting (and the owner has
 * nothing else running), the owner is killed and the lock released. The device sends the invitation again to the
 * next owner through the balancer, which stores it. With membership registered apart from the update (as before
 * AUDIT-8) the dead owner had already committed the member, so the next owner found nothing new: no audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { invitePost } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import {
  MGMT_POST,
  expectChainVerifies,
  openLockTransaction,
  ownerWaitsOn,
  startWithManagementInvite,
} from '../helpers/inFlight.ts';

const G = 'grp-member-flight-1';
const CID = {
  id: 'p-e-cid',
  name: '东城刑警大队协同支撑岗',
  unitId: 'br-e-cid',
  unitName: '刑警大队',
  kind: 'support' as const,
};

describe('several relay nodes: an invitation in flight when its owner dies', () => {
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

  it('AUDIT-8 SCALE-4: kill -9 of the owner while an invitation commits: the member registered with one audit row, the chain verifies', async () => {
    try {
      const doc = groupDocName(G);
      const { A, actor } = await startWithManagementInvite(cluster, G, 'Member in flight (fictional)', clients);
      const owner = (await cluster.ownerOf(doc))!;
      expect(owner).not.toBeNull();
      const memberRows = async (ref: string) =>
        (
          await cluster.pool.query<{ detail: string | null }>(
            "SELECT detail FROM audit WHERE doc_name = $1 AND action = 'member-registered' ORDER BY seq",
            [doc],
          )
        ).rows.filter((r) => r.detail && (JSON.parse(r.detail) as Record<string, unknown>)['ref'] === ref).length;
      await waitFor(async () => (await memberRows(MGMT_POST.id)) === 1, 30_000, 'the first invitation audited');

      // The audit chain's append lock held: the owner's next audit append (and its commit of one) waits.
      const held = await openLockTransaction(cluster);
      lock = held.client;
      await lock.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-audit'))");

      invitePost(A.doc, { id: 'inv-cid', post: CID, invitedBy: actor, deviceTime: Date.now() });
      await waitFor(
        () => ownerWaitsOn(cluster, owner.id, held.pid),
        30_000,
        "the owner's writes for the invitation waiting on the audit chain",
      );
      expect((await owner.server.kill('SIGKILL')).signal).toBe('SIGKILL');
      await lock.query('ROLLBACK');
      await lock.end();
      lock = null;

      // The device sends the invitation again through the balancer; the next owner stores and acknowledges it.
      await waitFor(
        async () => {
          const o = await cluster.ownerOf(doc);
          return A.fullyAcked() && o !== null && o.id !== owner.id;
        },
        60_000,
        'the invitation acknowledged by the next owner',
      );
      const next = (await cluster.ownerOf(doc))!;
      expect(next.id).not.toBe(owner.id);

      const members = (
        await cluster.pool.query<{ ref: string }>(
          "SELECT ref FROM group_members WHERE group_id = $1 AND kind = 'post' ORDER BY ref",
          [G],
        )
      ).rows.map((r) => r.ref);
      expect(members).toEqual([CID.id, MGMT_POST.id].sort());
      expect(await memberRows(CID.id)).toBe(1);
      expect(await memberRows(MGMT_POST.id)).toBe(1);
      const created = await cluster.pool.query("SELECT 1 FROM audit WHERE doc_name = $1 AND action = 'group-created'", [
        doc,
      ]);
      expect(created.rowCount).toBe(1);

      // The one chain verifies (the surviving node signs a checkpoint of its head first).
      await expectChainVerifies(cluster, next);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 240_000);
});
