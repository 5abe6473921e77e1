/**
 * SCALE-4 SCALE-9: when ownership of a busy group moves (kill -9 of its owner while clients write through the
 * balancer), the audit rows and inbox deliveries the group causes are written once: one `group-created`, one
 * `member-registered` per member, one `sign-off` per sign-off (made before and after the move), each inbox item
 * written once into each person's inbox; and the one audit chain in PostgreSQL still verifies against every node's
 * witness file (`npm run audit:verify`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxRoot, Root, addFinding, inboxItemId, invitePost, signOff, startGroup } from '@muster/core';
import type { PostRef } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import type { AuditHeadResponse } from '@muster/protocol';
import type * as Y from 'yjs';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';

const G = 'grp-nodup-1';
const POSTS: Record<string, PostRef & { person: string }> = {
  mgmt: {
    id: 'p-e-mgmt',
    name: '协同管理岗',
    unitId: 'sb-e',
    unitName: '东城分局',
    kind: 'management',
    person: 'demo005',
  },
  cid: {
    id: 'p-e-cid',
    name: '东城刑警大队协同支撑岗',
    unitId: 'br-e-cid',
    unitName: '刑警大队',
    kind: 'support',
    person: 'demo010',
  },
  legal: {
    id: 'p-e-legal',
    name: '东城法制大队协同支撑岗',
    unitId: 'br-e-legal',
    unitName: '法制大队',
    kind: 'support',
    person: 'demo012',
  },
};

/** An auditor reads the audit head through a node, which signs a checkpoint into its witness file; its seq. */
async function checkpoint(nodeUrl: string): Promise<number> {
  const auditor = await login(nodeUrl, 'demo004');
  const res = await fetch(`${nodeUrl}/api/audit/head`, { headers: { authorization: `Bearer ${auditor.token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as AuditHeadResponse).checkpoint!.seq;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How many times each key of a map was written (1 when never written again). */
function writes(map: Y.Map<unknown>, only: (key: string) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const key of map.keys()) {
    if (!only(key)) continue;
    let n = 0;
    for (let item = map._map.get(key) ?? null; item; item = item.left) n++;
    out.set(key, n);
  }
  return out;
}

describe('several relay nodes: nothing doubled when ownership moves', () => {
  let cluster: TestCluster;
  const clients: GroupClient[] = [];
  const closers: (() => void)[] = [];
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2, leaseMs: 3000 });
  }, 120_000);
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const close of closers.splice(0)) close();
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  async function sign(post: string, by: string): Promise<string> {
    const me = await login(cluster.url, by);
    const c = connectGroup(cluster.wsUrl, G, me.token);
    clients.push(c);
    await waitFor(() => c.provider.synced, 30_000, `${by} synced`);
    const id = `sign-${post}`;
    signOff(c.doc, {
      id,
      invitationId: `inv-${post}`,
      by: { personId: me.person.id, name: me.person.name },
      deviceTime: Date.now(),
    });
    await waitFor(() => c.fullyAcked(), 30_000, `${by}'s sign-off acknowledged`);
    return id;
  }

  it('SCALE-4 SCALE-9: kill -9 of the owner mid-activity: audit rows and inbox items once each, the chain verifies', async () => {
    try {
      const doc = groupDocName(G);
      const a = await login(cluster.url, 'demo015');
      const actor = { personId: a.person.id, name: a.person.name };
      const A = connectGroup(cluster.wsUrl, G, a.token);
      const B = connectGroup(cluster.wsUrl, G, a.token);
      clients.push(A, B);
      await waitFor(() => A.provider.synced && B.provider.synced, 30_000, 'synced');
      A.doc.transact(() => {
        startGroup(A.doc, {
          id: G,
          kind: 'task',
          title: 'No duplicates (fictional)',
          unitId: 'st-e1',
          initiator: actor,
          deviceTime: 1,
        });
        for (const p of ['mgmt', 'cid'] as const)
          invitePost(A.doc, { id: `inv-${p}`, post: POSTS[p]!, invitedBy: actor, deviceTime: 2 });
      });
      await waitFor(() => A.fullyAcked(), 30_000, 'group and invitations acknowledged');
      const signed = [await sign('mgmt', 'demo005')];

      // Findings from two clients through the balancer, then kill -9 the owner while they keep coming.
      const written: string[] = [];
      const write = async (i: number): Promise<void> => {
        addFinding((i % 2 === 0 ? A : B).doc, {
          id: `f-${i}`,
          text: `finding ${i}`,
          author: actor,
          deviceTime: 10 + i,
        });
        written.push(`f-${i}`);
        await turn();
      };
      const acked = (id: string): boolean => A.ackCovers(Root.entries, id) || B.ackCovers(Root.entries, id);
      let i = 0;
      while (written.filter(acked).length < 20) {
        await write(i++);
        if (i > 5000) throw new Error('nothing acknowledged');
      }
      const owner = (await cluster.ownerOf(doc))!;
      expect(owner).not.toBeNull();
      // The owner signs a checkpoint into its witness file (an auditor reads the head through it) before it dies.
      const before = await checkpoint(owner.server.url);
      expect((await owner.server.kill('SIGKILL')).signal).toBe('SIGKILL');
      const firstAfter = i;
      await waitFor(
        async () => {
          await write(i++);
          return written.slice(firstAfter).some(acked);
        },
        30_000,
        'an acknowledgement after the kill',
      );
      const next = (await cluster.ownerOf(doc))!;
      expect(next.id).not.toBe(owner.id);
      await waitFor(() => A.fullyAcked() && B.fullyAcked(), 30_000, 'everything acknowledged');

      // After the move: a sign-off and a new invitation, handled by the new owner.
      signed.push(await sign('cid', 'demo010'));
      invitePost(A.doc, { id: 'inv-legal', post: POSTS['legal']!, invitedBy: actor, deviceTime: 3 });
      await waitFor(() => A.fullyAcked(), 30_000, 'the third invitation acknowledged');

      // Each invited post's officer has the invitation in the inbox, written once; so has every other item there.
      for (const [key, p] of Object.entries(POSTS)) {
        const me = await login(cluster.url, p.person);
        const inbox = connectInbox(cluster.wsUrl, me.person.id, me.token);
        closers.push(inbox.destroy);
        const items = inbox.doc.getMap<unknown>(InboxRoot.items);
        const ofGroup = (k: string): boolean => k.includes(`.${G}.`);
        const invitation = inboxItemId('invitation', G, `inv-${key}`);
        await waitFor(() => items.has(invitation), 30_000, `${p.person}'s invitation in the inbox`);
        const twice = [...writes(items, ofGroup)].filter(([, n]) => n !== 1);
        expect(twice, `${p.person}'s inbox`).toEqual([]);
      }

      // The audit rows of the group: once each.
      const rows = (
        await cluster.pool.query<{ action: string; detail: string | null }>(
          'SELECT action, detail FROM audit WHERE doc_name = $1 ORDER BY seq',
          [doc],
        )
      ).rows.map((r) => ({
        action: r.action,
        detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {},
      }));
      const count = (action: string, key: (d: Record<string, unknown>) => string): Map<string, number> => {
        const m = new Map<string, number>();
        for (const r of rows.filter((x) => x.action === action)) m.set(key(r.detail), (m.get(key(r.detail)) ?? 0) + 1);
        return m;
      };
      expect([...count('group-created', () => G)]).toEqual([[G, 1]]);
      const members = count('member-registered', (d) => `${String(d['kind'])}:${String(d['ref'])}`);
      for (const p of Object.values(POSTS)) expect(members.get(`post:${p.id}`), `member ${p.id}`).toBe(1);
      expect([...members].filter(([, n]) => n !== 1)).toEqual([]);
      const signOffs = count('sign-off', (d) => String(d['id']));
      expect([...signOffs].sort()).toEqual(signed.map((id) => [id, 1]).sort());

      // The one chain verifies against both nodes' witnesses (the killed node's included) with the cluster's key.
      const after = await checkpoint(next.server.url);
      expect(after).toBeGreaterThan(before);
      const verdict = cluster.auditVerify();
      expect(verdict.status, verdict.out).toBe(0);
      expect(verdict.out).toMatch(new RegExp(`audit chain intact: .*holds the checkpoint at seq=${after}$`, 'm'));
      console.log(
        `no-duplicates: ${written.length} findings, ${rows.length} audit rows of the group, ${owner.id} → ${next.id}`,
      );
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 180_000);
});
