/**
 * ACL-8: persons a group addresses may open it: patrol officers receiving a clue (CLUE-2), persons addressed by an
 * instruction or on duty at an addressed post (INS-1), persons on duty at the post an escalation went to (ESC-2)
 * and supervising leaders. Derived on the server from stamped records and the directory, kept in the membership
 * registry, shown in /api/groups. Anyone else still gets 4403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Root,
  acknowledge,
  addFinding,
  giveInstruction,
  invitePost,
  pushClue,
  readMeta,
  startGroup,
} from '@muster/core';
import type { PostRef } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const G = 'grp-addressees-1';
const mgmt: PostRef = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' };
const actorOf = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

describe('addressees open the group', () => {
  let server: TestServer;
  let front: LoginResponse;
  let a: GroupClient;
  const clients: GroupClient[] = [];

  const listed = async (who: LoginResponse): Promise<boolean> => {
    const res = await fetch(`${server.url}/api/groups`, { headers: { authorization: `Bearer ${who.token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { groups: { id: string }[] }).groups.some((g) => g.id === G);
  };

  beforeAll(async () => {
    server = await startServer();
    front = await login(server.url, 'demo015');
    a = connectGroup(server.wsUrl, G, front.token);
    clients.push(a);
    await waitFor(() => a.provider.synced, 20_000, 'synced');
    a.doc.transact(() => {
      startGroup(a.doc, {
        id: G,
        kind: 'incident',
        title: 'T',
        unitId: 'st-e1',
        initiator: actorOf(front),
        deviceTime: 1,
      });
      invitePost(a.doc, { id: 'inv-mgmt', post: mgmt, invitedBy: actorOf(front), deviceTime: 1 });
    });
    await waitFor(() => a.fullyAcked(), 20_000, 'group acked');
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('ACL-8 CLUE-2: a patrol officer who received a clue opens the group and acknowledges; another unit’s does not', async () => {
    const patrol = await login(server.url, 'demo014'); // br-e-patrol, patrol role, no post
    const other = await login(server.url, 'demo030'); // br-w-patrol
    expect(await listed(patrol)).toBe(false);
    pushClue(a.doc, {
      id: 'clue-1',
      text: '嫌疑人穿黑衣 (fictional)',
      targetUnitIds: ['br-e-patrol'],
      author: actorOf(front),
      deviceTime: 2,
    });
    await waitFor(
      () => a.fullyAcked() && a.doc.getMap('server:stamps').has(`${Root.entries}/clue-1`),
      20_000,
      'clue stamped',
    );
    await waitFor(() => listed(patrol), 20_000, 'listed for the recipient');
    const p = connectGroup(server.wsUrl, G, patrol.token);
    clients.push(p);
    await waitFor(() => p.provider.synced && p.doc.getMap(Root.entries).has('clue-1'), 20_000, 'recipient synced');
    expect(p.closes.filter((c) => c.code === 4403)).toEqual([]);
    acknowledge(p.doc, { id: 'ack-p', entryId: 'clue-1', kind: 'ack', by: actorOf(patrol), deviceTime: 3 });
    await waitFor(() => a.doc.getMap(Root.acks).has('ack-p'), 20_000, 'ack reached the initiator');
    expect(p.notices.filter((n) => n.kind !== 'limit')).toEqual([]);

    const o = connectGroup(server.wsUrl, G, other.token);
    clients.push(o);
    await waitFor(() => o.closes.some((c) => c.code === 4403), 20_000, 'other unit 4403');
    expect(readMeta(o.doc)).toBeNull();
    o.destroy();
    expect(await listed(other)).toBe(false);
  });

  it('ACL-8 INS-1: persons addressed by an instruction, or on duty at an addressed post, open the group', async () => {
    const leader = await login(server.url, 'demo007');
    const l = connectGroup(server.wsUrl, G, leader.token);
    clients.push(l);
    await waitFor(() => l.provider.synced && readMeta(l.doc), 20_000, 'leader synced');
    const kiosk = await login(server.url, 'demo037'); // on duty at p-ks-e1
    const person = await login(server.url, 'demo038'); // ks-e1 patrol, no post
    const outsider = await login(server.url, 'demo039'); // p-ks-e2, not addressed
    giveInstruction(l.doc, {
      id: 'ins-1',
      text: '加强巡逻 (fictional)',
      to: [
        { kind: 'post', id: 'p-ks-e1', name: '东湖警务站' },
        { kind: 'person', id: person.person.id, name: person.person.name },
      ],
      author: actorOf(leader),
      postId: 'p-e-leader',
      deviceTime: 4,
    });
    await waitFor(() => l.doc.getMap('server:stamps').has(`${Root.entries}/ins-1`), 20_000, 'instruction stamped');
    for (const who of [kiosk, person]) {
      await waitFor(() => listed(who), 20_000, `listed for ${who.person.id}`);
      const c = connectGroup(server.wsUrl, G, who.token);
      clients.push(c);
      await waitFor(() => c.provider.synced && c.doc.getMap(Root.entries).has('ins-1'), 20_000, 'addressee synced');
      acknowledge(c.doc, {
        id: `ack-${who.person.id}`,
        entryId: 'ins-1',
        kind: 'ack',
        by: actorOf(who),
        postId: who === kiosk ? 'p-ks-e1' : null,
        deviceTime: 5,
      });
      addFinding(c.doc, { id: `f-${who.person.id}`, text: 'ok', author: actorOf(who), deviceTime: 5 });
      await waitFor(() => a.doc.getMap(Root.acks).has(`ack-${who.person.id}`), 20_000, 'ack arrived');
      await waitFor(() => c.fullyAcked(), 20_000, 'acked');
    }
    const o = connectGroup(server.wsUrl, G, outsider.token);
    clients.push(o);
    await waitFor(() => o.closes.some((c) => c.code === 4403), 20_000, 'not addressed: 4403');
    o.destroy();
  });
});
