/**
 * HIST-1, SCALE-3: an open app is told its list changed when the change is stored on another relay node: a desk's
 * stream open on node 2 hears of a group started (and inviting its post) on node 1, which owns and stores it; the
 * keys of the change travel over the cluster's Redis channel (real PostgreSQL and Redis, unique schema and prefix).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitePost, startGroup } from '@muster/core';
import type { PostRef } from '@muster/core';
import { groupDocName } from '@muster/protocol';
import type { GroupListResponse } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';

const mgmt: PostRef = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' };

/** Reads a server-sent event stream into `text` until aborted. */
async function listen(url: string, token: string, ctrl: AbortController): Promise<{ text: () => string }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
  expect(res.status).toBe(200);
  let text = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return { text: () => text };
}

describe('several relay nodes: list change push', () => {
  let cluster: TestCluster;
  const clients: GroupClient[] = [];
  const aborts: AbortController[] = [];
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2 });
  }, 120_000);
  afterAll(async () => {
    for (const a of aborts) a.abort();
    for (const c of clients.splice(0)) c.destroy();
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  it('HIST-1 SCALE-3: a stream on node 2 is told of a group stored on node 1 that invites its post', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      const desk = await login(n2!.server.url, 'demo005');
      const front = await login(n1!.server.url, 'demo015');
      const auth = { authorization: `Bearer ${desk.token}` };
      const first = (await (
        await fetch(`${n2!.server.url}/api/groups`, { headers: auth })
      ).json()) as GroupListResponse;

      // A stream of the desk on node 2, and one of a person the group does not list (it must hear nothing).
      const ctrl = new AbortController();
      aborts.push(ctrl);
      const deskStream = await listen(`${n2!.server.url}/api/groups/changes`, desk.token, ctrl);
      const other = await login(n2!.server.url, 'demo009');
      const otherStream = await listen(`${n2!.server.url}/api/groups/changes`, other.token, ctrl);
      await waitFor(
        () => deskStream.text().includes(': listening') && otherStream.text().includes(': listening'),
        20_000,
        'streams open',
      );

      const A = connectGroup(n1!.server.wsUrl, 'grp-cl-push', front.token);
      clients.push(A);
      await waitFor(() => A.provider.synced, 20_000, 'A synced');
      const actor = { personId: front.person.id, name: front.person.name };
      A.doc.transact(() => {
        startGroup(A.doc, {
          id: 'grp-cl-push',
          kind: 'incident',
          title: 'Pushed across nodes (fictional)',
          unitId: 'st-e1',
          initiator: actor,
          deviceTime: 1,
        });
        invitePost(A.doc, { id: 'inv-cl-push', post: mgmt, invitedBy: actor, deviceTime: 1 });
      });
      await waitFor(() => A.fullyAcked(), 20_000, 'group acknowledged');
      // Stored by node 1, not by the node the desk's stream is on.
      expect((await cluster.ownerOf(groupDocName('grp-cl-push')))?.id).toBe('n1');

      await waitFor(() => deskStream.text().includes('event: changed'), 20_000, 'changed event on node 2');
      const q = new URLSearchParams({ since: first.cursor! });
      const delta = (await (
        await fetch(`${n2!.server.url}/api/groups?${q}`, { headers: auth })
      ).json()) as GroupListResponse;
      expect(delta.groups.map((g) => g.id)).toContain('grp-cl-push');
      expect(otherStream.text()).not.toContain('event: changed');
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 120_000);
});
