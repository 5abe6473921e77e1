import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Root, addFinding, invitePost, stampOf, stampsMap, startGroup } from '@muster/core';
import { STAMPS_ROOT } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const GROUP = 'grp-server-owned';

describe('server-owned roots', () => {
  let server: TestServer;
  const clients: GroupClient[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
  });

  it('STAMP-3: a client writing into server:stamps is refused, told, audited, and the write goes nowhere', async () => {
    const honestLogin = await login(server.url, 'demo015');
    const forgerLogin = await login(server.url, 'demo017');
    const actor = { personId: honestLogin.person.id, name: honestLogin.person.name };
    const honest = connectGroup(server.wsUrl, GROUP, honestLogin.token);
    clients.push(honest);
    await waitFor(() => honest.provider.synced, 20_000, 'honest synced');
    startGroup(honest.doc, { id: GROUP, kind: 'task', title: 'T', unitId: 'u1', initiator: actor, deviceTime: 1 });
    // ACL-1: the forger must be a member to open the group at all (it is on duty at the invited post).
    const forgerPost = {
      id: 'p-st-e2',
      name: '协同管理岗',
      unitId: 'st-e2',
      unitName: '东岭派出所',
      kind: 'management' as const,
    };
    invitePost(honest.doc, { id: 'inv-forger', post: forgerPost, invitedBy: actor, deviceTime: 1 });
    addFinding(honest.doc, { id: 'f-1', text: 'real', author: actor, deviceTime: 2 });
    await waitFor(() => stampOf(honest.doc, Root.entries, 'f-1'), 20_000, 'f-1 stamped');
    const realStamp = stampOf(honest.doc, Root.entries, 'f-1')!;

    const forger = connectGroup(server.wsUrl, GROUP, forgerLogin.token);
    clients.push(forger);
    await waitFor(() => forger.provider.synced && stampOf(forger.doc, Root.entries, 'f-1'), 20_000, 'forger synced');
    // A forged stamp for a new record, and an overwrite of the real stamp of f-1.
    stampsMap(forger.doc).set('entries/forged', { at: 1 });
    await waitFor(() => forger.notices.length >= 1, 20_000, 'refused notice');
    stampsMap(forger.doc).set('entries/f-1', { at: 1 });
    await waitFor(() => forger.notices.length >= 2, 20_000, 'second refused notice');
    for (const notice of forger.notices) expect(notice).toMatchObject({ kind: 'refused', code: 'server-owned' });

    // The connection is kept.
    expect(forger.provider.wsconnected).toBe(true);
    expect(forger.closes).toEqual([]);

    // A later honest change is processed after the forgeries: by then the server doc shows no trace of them.
    addFinding(honest.doc, { id: 'f-2', text: 'after', author: actor, deviceTime: 3 });
    await waitFor(() => honest.ackCovers(Root.entries, 'f-2') && stampOf(honest.doc, Root.entries, 'f-2'), 20_000);
    expect(stampsMap(honest.doc).has('entries/forged')).toBe(false);
    expect(stampOf(honest.doc, Root.entries, 'f-1')).toEqual(realStamp);
    const fresh = connectGroup(server.wsUrl, GROUP, honestLogin.token, new Y.Doc());
    clients.push(fresh);
    await waitFor(() => fresh.provider.synced && stampOf(fresh.doc, Root.entries, 'f-2'), 20_000, 'fresh synced');
    expect(fresh.doc.getMap(STAMPS_ROOT).has('entries/forged')).toBe(false);
    expect(stampOf(fresh.doc, Root.entries, 'f-1')).toEqual(realStamp);

    // Logged, and kept in the append-only audit table.
    expect(server.output()).toMatch(/update refused .*person=demo017 code=server-owned/);
    const db = new Database(path.join(server.dataDir, 'muster.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT actor, doc_name AS docName FROM audit WHERE action = 'update-refused' ORDER BY seq")
        .all();
      expect(rows).toEqual([
        { actor: 'demo017', docName: `group:${GROUP}` },
        { actor: 'demo017', docName: `group:${GROUP}` },
      ]);
    } finally {
      db.close();
    }
  });
});
