import { isDeepStrictEqual } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  Root,
  addFinding,
  invitationViews,
  invitePost,
  signOff,
  stampOf,
  stampsMap,
  startGroup,
  timeline,
  unstampedRefs,
} from '@muster/core';
import type { PostRef } from '@muster/core';
import type { GroupListResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const mgmtPost: PostRef = {
  id: 'p-e-mgmt',
  name: '协同管理岗',
  unitId: 'sb-e',
  unitName: '东城分局',
  kind: 'management',
};
const cidPost: PostRef = {
  id: 'p-e-cid',
  name: '协同支撑岗',
  unitId: 'br-e-cid',
  unitName: '刑警大队',
  kind: 'support',
};

/** Same state vector and the same content in every root map either of them has. */
function same(a: Y.Doc, b: Y.Doc): boolean {
  if (!Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)))) return false;
  const roots = new Set([...a.share.keys(), ...b.share.keys()]);
  return [...roots].every((r) => isDeepStrictEqual(a.getMap(r).toJSON(), b.getMap(r).toJSON()));
}

describe('two clients through the relay', () => {
  let server: TestServer;
  const clients: GroupClient[] = [];
  beforeEach(async () => {
    server = await startServer({ manualClock: true });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log(server.output());
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('CONV-1 STAMP-1 SYNC-3: concurrent edits converge, every record gets the same server stamp on both', async () => {
    // The manual clock also judges token expiry: move it before logging in.
    const T0 = 1_800_000_000_000;
    expect(await server.moveClock({ set: T0 })).toBe(T0);
    const [a, b] = await Promise.all([login(server.url, 'demo015'), login(server.url, 'demo005')]);
    const actorA = { personId: a.person.id, name: a.person.name };
    const actorB = { personId: b.person.id, name: b.person.name };

    const A = connectGroup(server.wsUrl, 'grp-converge-1', a.token);
    const B = connectGroup(server.wsUrl, 'grp-converge-1', b.token);
    clients.push(A, B);
    await waitFor(() => A.provider.synced && B.provider.synced, 20_000, 'both synced');
    // SYNC-3: an ack right after the initial sync, with nothing pending.
    await waitFor(() => A.fullyAcked() && B.fullyAcked(), 20_000, 'initial acks');

    // Device clocks are far off: stamps must come from the server's clock.
    startGroup(A.doc, {
      id: 'grp-converge-1',
      kind: 'incident',
      title: '手机被抢 (fictional)',
      incident: { number: 'JQ-0001', type: 'robbery', address: '和平路 1 号 (fictional)', reportedAt: 5 },
      unitId: 'st-e1',
      initiator: actorA,
      deviceTime: 5,
    });
    invitePost(A.doc, { id: 'inv-mgmt', post: mgmtPost, invitedBy: actorA, deviceTime: 6 });
    await waitFor(() => B.doc.getMap(Root.invitations).has('inv-mgmt'), 20_000, 'B sees the invitation');
    await waitFor(() => stampOf(B.doc, Root.invitations, 'inv-mgmt'), 20_000, 'invitation stamped');
    expect(stampOf(B.doc, Root.invitations, 'inv-mgmt')).toEqual({ at: T0 });

    const T1 = T0 + 3 * 60_000;
    expect(await server.moveClock({ set: T1 })).toBe(T1);
    // Concurrent: both write before seeing each other's changes.
    for (let i = 0; i < 5; i++) {
      addFinding(A.doc, { id: `fa-${i}`, text: `A finding ${i}`, author: actorA, deviceTime: 100 + i });
      addFinding(B.doc, { id: `fb-${i}`, text: `B finding ${i}`, author: actorB, deviceTime: 999_999 + i });
    }
    signOff(B.doc, { id: 'sign-1', invitationId: 'inv-mgmt', by: actorB, deviceTime: 7 });
    invitePost(A.doc, { id: 'inv-cid', post: cidPost, invitedBy: actorA, deviceTime: 8 });

    await waitFor(
      () => same(A.doc, B.doc) && unstampedRefs(A.doc).length === 0 && unstampedRefs(B.doc).length === 0,
      20_000,
      'converged and fully stamped',
    );
    expect(stampsMap(A.doc).toJSON()).toEqual(stampsMap(B.doc).toJSON());
    const items = timeline(A.doc);
    expect(items.map((t) => t.id).sort()).toEqual([...Array(5).keys()].flatMap((i) => [`fa-${i}`, `fb-${i}`]).sort());
    for (const item of items) expect(item.serverTime).toBe(T1);
    for (const doc of [A.doc, B.doc]) {
      expect(stampOf(doc, Root.meta, 'group')).toEqual({ at: T0 });
      expect(stampOf(doc, Root.signoffs, 'sign-1')).toEqual({ at: T1 });
      expect(stampOf(doc, Root.invitations, 'inv-cid')).toEqual({ at: T1 });
    }
    const views = invitationViews(B.doc, T1);
    expect(views.find((v) => v.invitation.id === 'inv-mgmt')?.status).toBe('signed-on-time');
    expect(views.find((v) => v.invitation.id === 'inv-cid')?.status).toBe('waiting');

    // Every change of both, including the server's stamps, is acknowledged as persisted.
    await waitFor(() => A.fullyAcked() && B.fullyAcked(), 20_000, 'final acks');
    expect(A.lastAck()!.serverTime).toBe(T1);

    // The group index row is refreshed from the persisted document.
    const list = (await (
      await fetch(`${server.url}/api/groups`, { headers: { authorization: `Bearer ${a.token}` } })
    ).json()) as GroupListResponse;
    expect(list.groups).toEqual([
      {
        id: 'grp-converge-1',
        title: '手机被抢 (fictional)',
        kind: 'incident',
        initiatorName: a.person.name,
        createdAt: 5,
        updatedAt: T1,
        entryCount: 10,
        version: expect.any(Number),
        // HIST-1: the list row's status, from the persisted document: the management desk signed, the criminal
        // investigation desk is open with its 30-minute deadline from its stamp, closure due a day after the start.
        status: {
          closedAt: null,
          closureDeadline: T0 + 24 * 3600_000,
          heldAt: null,
          initiatorId: a.person.id,
          invited: 2,
          open: [{ deadline: T1 + 30 * 60_000, invitationId: 'inv-cid', postId: 'p-e-cid' }],
          signed: 1,
        },
      },
    ]);

    // A third client loading the group from the server gets the same document.
    const C = connectGroup(server.wsUrl, 'grp-converge-1', a.token);
    clients.push(C);
    await waitFor(() => C.provider.synced && same(C.doc, A.doc), 20_000, 'C loads the same doc');
  });
});
