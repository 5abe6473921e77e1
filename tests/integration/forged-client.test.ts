/**
 * A modified client (stock y-websocket provider, raw Yjs writes that bypass the core commands) tries to forge
 * server facts. Each attempt is refused with a notice, leaves no trace in the group, and is in the audit log.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, addFinding, invitePost, readMeta, startGroup } from '@muster/core';
import type { PostRef } from '@muster/core';
import { STAMPS_ROOT } from '@muster/protocol';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const GROUP = 'grp-forged-1';
const mgmt: PostRef = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' };
const cid: PostRef = { id: 'p-e-cid', name: '协同支撑岗', unitId: 'br-e-cid', unitName: '刑警大队', kind: 'support' };

describe('forged client', () => {
  let server: TestServer;
  let initiator: LoginResponse;
  let desk: LoginResponse;
  let honest: GroupClient;
  const clients: GroupClient[] = [];
  const actorOf = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

  /** A fresh forged replica of the group as `who`, synced. */
  async function forger(who: LoginResponse): Promise<GroupClient> {
    const c = connectGroup(server.wsUrl, GROUP, who.token, new Y.Doc());
    clients.push(c);
    await waitFor(() => c.provider.synced && readMeta(c.doc), 20_000, 'forger synced');
    return c;
  }

  async function expectRefused(c: GroupClient, code: string): Promise<void> {
    await waitFor(() => c.notices.find((n) => n.kind === 'refused' && n.code === code), 20_000, `refused ${code}`);
  }

  beforeAll(async () => {
    server = await startServer();
    [initiator, desk] = await Promise.all([login(server.url, 'demo015'), login(server.url, 'demo005')]);
    honest = connectGroup(server.wsUrl, GROUP, initiator.token);
    clients.push(honest);
    await waitFor(() => honest.provider.synced, 20_000, 'honest synced');
    honest.doc.transact(() => {
      startGroup(honest.doc, {
        id: GROUP,
        kind: 'incident',
        title: 'T',
        unitId: 'st-e1',
        initiator: actorOf(initiator),
        deviceTime: 1,
      });
      invitePost(honest.doc, { id: 'inv-mgmt', post: mgmt, invitedBy: actorOf(initiator), deviceTime: 1 });
      invitePost(honest.doc, { id: 'inv-cid', post: cid, invitedBy: actorOf(initiator), deviceTime: 1 });
      addFinding(honest.doc, { id: 'f-real', text: 'real', author: actorOf(initiator), deviceTime: 2 });
    });
    await waitFor(() => honest.fullyAcked(), 20_000, 'group acked');
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('ACL-6 STAMP-3: writing a stamp is refused', async () => {
    const c = await forger(desk);
    c.doc.getMap(STAMPS_ROOT).set('entries/f-real', { at: 1 });
    await expectRefused(c, 'server-owned');
  });

  it('ACL-7: signing for a post the person is not on duty at is refused', async () => {
    const c = await forger(desk);
    c.doc.getMap(Root.signoffs).set('s-forged', {
      id: 's-forged',
      invitationId: 'inv-cid',
      postId: 'p-e-cid',
      by: actorOf(desk),
      deviceTime: 3,
    });
    await expectRefused(c, 'not-on-duty');
  });

  it('ACL-7 REQ-1: approving as a non-leader (a decision request for a leader post) is judged and refused', async () => {
    const c = await forger(desk);
    c.doc.getMap(Root.decisionRequests).set('d-forged', {
      id: 'd-forged',
      approvalId: 'a1',
      decision: 'approve',
      comment: '',
      by: actorOf(desk),
      postId: 'p-e-leader',
      deviceTime: 3,
    });
    // A request is a record the workflow judges: refused (no such approval; not a leader), never a decision.
    await expectRefused(c, 'no-approval');
    await waitFor(() => c.doc.getMap(Root.refusals).has(`${Root.decisionRequests}/d-forged`), 20_000, 'verdict');
    expect(c.doc.getMap(Root.decisions).size).toBe(0);
  });

  it('ACL-6: deleting or replacing someone else’s entry is refused', async () => {
    const del = await forger(desk);
    del.doc.getMap(Root.entries).delete('f-real');
    await expectRefused(del, 'write-once');
    const rep = await forger(desk);
    rep.doc
      .getMap(Root.entries)
      .set('f-real', { id: 'f-real', type: 'finding', text: 'changed', author: actorOf(initiator), deviceTime: 2 });
    await expectRefused(rep, 'write-once');
  });

  it('ACL-6: writing in another officer’s name is refused', async () => {
    const c = await forger(desk);
    addFinding(c.doc, { id: 'f-fake', text: 'said by someone else', author: actorOf(initiator), deviceTime: 4 });
    await expectRefused(c, 'impersonation');
  });

  it('ACL-1 ACL-2: an outsider cannot open the group, and a support desk cannot invite them in', async () => {
    const outsider = await login(server.url, 'demo026');
    const o = connectGroup(server.wsUrl, GROUP, outsider.token);
    clients.push(o);
    await waitFor(() => o.closes.some((x) => x.code === 4403), 20_000, 'outsider 4403');
    expect(readMeta(o.doc)).toBeNull();
    o.destroy();
    const support = await login(server.url, 'demo010');
    const c = await forger(support);
    invitePost(c.doc, {
      id: 'inv-sneak',
      post: { id: 'p-w-cid', name: '协同支撑岗', unitId: 'br-w-cid', unitName: '刑警大队', kind: 'support' },
      invitedBy: actorOf(support),
      deviceTime: 5,
    });
    await expectRefused(c, 'may-not-invite');
    const o2 = connectGroup(server.wsUrl, GROUP, outsider.token);
    clients.push(o2);
    await waitFor(() => o2.closes.some((x) => x.code === 4403), 20_000, 'still 4403');
  });

  it('ACL-4: awareness claiming another officer is rebound to the connection’s identity', async () => {
    const c = await forger(desk);
    c.provider.awareness.setLocalStateField('user', { personId: initiator.person.id, name: 'someone else' });
    await waitFor(
      () =>
        [...honest.provider.awareness.getStates().values()].some(
          (s) => (s['user'] as { personId?: string } | undefined)?.personId === desk.person.id,
        ),
      20_000,
      'rebound presence',
    );
    const claims = [...honest.provider.awareness.getStates().entries()]
      .filter(([id]) => id !== honest.provider.awareness.clientID)
      .map(([, s]) => (s['user'] as { personId?: string } | undefined)?.personId);
    expect(claims).not.toContain(initiator.person.id);
  });

  it('AUDIT-3: the group shows no trace of any forgery, and the audit log keeps the truth', async () => {
    const fresh = connectGroup(server.wsUrl, GROUP, initiator.token, new Y.Doc());
    clients.push(fresh);
    await waitFor(() => fresh.provider.synced && fresh.doc.getMap(Root.entries).has('f-real'), 20_000, 'fresh');
    expect(fresh.doc.getMap(Root.entries).get('f-real')).toMatchObject({ text: 'real' });
    expect(fresh.doc.getMap(Root.entries).has('f-fake')).toBe(false);
    expect(fresh.doc.getMap(Root.signoffs).size).toBe(0);
    expect(fresh.doc.getMap(Root.decisions).size).toBe(0);
    expect(fresh.doc.getMap(Root.refusals).has(`${Root.decisionRequests}/d-forged`)).toBe(true);
    expect(fresh.doc.getMap(Root.invitations).has('inv-sneak')).toBe(false);
    await waitFor(
      async () => {
        const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
        try {
          const rows = db
            .prepare(
              "SELECT action, actor, detail FROM audit WHERE action IN ('update-refused', 'access-refused', 'awareness-rewritten')",
            )
            .all() as { action: string; actor: string; detail: string }[];
          const codes = rows.map(
            (r) => `${r.action}:${r.actor}:${(JSON.parse(r.detail) as { code?: string; reason?: string }).code ?? ''}`,
          );
          return ['server-owned', 'not-on-duty', 'write-once', 'impersonation'].every((code) =>
            codes.includes(`update-refused:demo005:${code}`),
          ) &&
            codes.includes('update-refused:demo010:may-not-invite') &&
            codes.some((c) => c.startsWith('access-refused:demo026')) &&
            codes.some((c) => c.startsWith('awareness-rewritten:demo005'))
            ? rows
            : null;
        } finally {
          db.close();
        }
      },
      20_000,
      'audit rows',
    );
  });
});
