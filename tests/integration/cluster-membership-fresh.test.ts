/**
 * ACL-2 SCALE-3: a node that does not own a group reads its membership from PostgreSQL, not from a copy it kept:
 * after the management desk was refused a photo of a group through node 2 (not a member yet: 404), the group's owner on
 * node 1 invites the desk's post; the desk then gets the photo through node 2. With a per-node copy of the
 * membership (as before), node 2 went on refusing (404) until the copy was evicted or the node restarted.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitePost, startGroup } from '@muster/core';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { makePng } from '../helpers/png.ts';

const G = 'grp-cl-member-fresh';
const MGMT = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' as const };

describe('several relay nodes: membership read where it is kept', () => {
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

  it('ACL-2 SCALE-3: a post invited on the owning node may read the group through the other node at once', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      const a = await login(n1!.server.url, 'demo015');
      const actor = { personId: a.person.id, name: a.person.name };
      const A = connectGroup(n1!.server.wsUrl, G, a.token);
      clients.push(A);
      await waitFor(() => A.provider.synced, 30_000, 'A synced');
      startGroup(A.doc, {
        id: G,
        kind: 'task',
        title: 'Membership (fictional)',
        unitId: 'st-e1',
        initiator: actor,
        deviceTime: 1,
      });
      await waitFor(() => A.fullyAcked(), 30_000, 'group acknowledged');
      const png = makePng(32, 24, { gray: 0x20 });
      const hash = crypto.createHash('sha256').update(png).digest('hex');
      const url = (base: string) => `${base}/api/photos/${hash}?group=${G}`;
      const put = await fetch(url(n1!.server.url), {
        method: 'PUT',
        headers: { Authorization: `Bearer ${a.token}` },
        body: new Uint8Array(png),
      });
      expect(put.status).toBe(201);

      const m = await login(n2!.server.url, 'demo005');
      const desk = { Authorization: `Bearer ${m.token}` };
      expect((await fetch(url(n2!.server.url), { headers: desk })).status).toBe(404);

      invitePost(A.doc, { id: 'inv-mgmt', post: MGMT, invitedBy: actor, deviceTime: 2 });
      await waitFor(() => A.fullyAcked(), 30_000, 'invitation acknowledged');
      await waitFor(
        async () =>
          (
            await cluster.pool.query('SELECT 1 FROM group_members WHERE group_id = $1 AND kind = $2 AND ref = $3', [
              G,
              'post',
              MGMT.id,
            ])
          ).rowCount === 1,
        30_000,
        'the post registered by the owner',
      );
      const got = await fetch(url(n2!.server.url), { headers: desk });
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 180_000);
});
