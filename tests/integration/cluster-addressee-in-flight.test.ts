/**
 * AUDIT-8 ACL-8 SCALE-4: a post an instruction addresses, being registered when its group's owner is killed (kill -9),
 * is registered with one `member-registered` audit row. The test holds the audit chain's append lock in PostgreSQL (the advisory lock every
 * append takes), so the owner's registration of the addressed post waits on it; once it is seen waiting (and the owner
 * has nothing else running), the owner is killed and the lock released. The next owner loads the group and finds
 * the addressee again. With the member committed apart from its row (as before AUDIT-8) the dead owner had already
 * registered it, so the next owner found nothing new: no audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { Root, giveInstruction, readMeta } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import {
  MGMT_POST,
  expectChainVerifies,
  openLockTransaction,
  ownerWaitsOn,
  startWithManagementInvite,
} from '../helpers/inFlight.ts';

const G = 'grp-addressee-flight-1';
const KIOSK = 'p-ks-e1';

describe('several relay nodes: an addressee being registered when its owner dies', () => {
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

  it('AUDIT-8 ACL-8 SCALE-4: kill -9 of the owner while an addressed post is registered: one audit row for it, the chain verifies', async () => {
    try {
      const doc = groupDocName(G);
      await startWithManagementInvite(cluster, G, 'Addressee in flight (fictional)', clients);
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

      const l = await login(cluster.url, 'demo007'); // leader of the unit above, may write
      const L = connectGroup(cluster.wsUrl, G, l.token);
      clients.push(L);
      await waitFor(() => L.provider.synced && readMeta(L.doc), 30_000, 'leader synced');

      // The audit chain's append lock held: the owner's next audit append (and its commit of one) waits.
      const held = await openLockTransaction(cluster);
      lock = held.client;
      await lock.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.muster-audit'))");

      giveInstruction(L.doc, {
        id: 'ins-1',
        text: '加强巡逻 (fictional)',
        to: [{ kind: 'post', id: KIOSK, name: '东湖警务站' }],
        author: { personId: l.person.id, name: l.person.name },
        postId: 'p-e-leader',
        deviceTime: Date.now(),
      });
      await waitFor(
        () => ownerWaitsOn(cluster, owner.id, held.pid),
        30_000,
        "the owner's registration of the addressed post waiting on the audit chain",
      );
      expect((await owner.server.kill('SIGKILL')).signal).toBe('SIGKILL');
      await lock.query('ROLLBACK');
      await lock.end();
      lock = null;

      // The leader reconnects through the balancer; the next owner loads the group and registers the addressee.
      await waitFor(
        async () => {
          const o = await cluster.ownerOf(doc);
          return L.fullyAcked() && o !== null && o.id !== owner.id;
        },
        60_000,
        'the group owned by the next node',
      );
      const next = (await cluster.ownerOf(doc))!;
      expect(L.doc.getMap(Root.entries).has('ins-1')).toBe(true);
      await waitFor(async () => (await memberRows(KIOSK)) > 0, 30_000, 'the addressed post audited');
      const members = (
        await cluster.pool.query<{ ref: string }>(
          "SELECT ref FROM group_members WHERE group_id = $1 AND kind = 'addressed-post'",
          [G],
        )
      ).rows.map((r) => r.ref);
      expect(members).toEqual([KIOSK]);
      expect(await memberRows(KIOSK)).toBe(1);
      expect(await memberRows(MGMT_POST.id)).toBe(1);

      // The one chain verifies (the surviving node signs a checkpoint of its head first).
      await expectChainVerifies(cluster, next);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 240_000);
});
