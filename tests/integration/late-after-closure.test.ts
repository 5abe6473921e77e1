/**
 * LATE-1 ACL-3 REQ-2: nothing is lost, even across a closure. A member's device goes offline, writes findings, and
 * meanwhile the management desk closes the group. When the device is back its offline work (made before it had
 * received the closure: its answer to the relay's sync request behind the closure) is kept, acknowledged,
 * stamped after the closure and shown as received after closure — whatever its device clock says. What it writes
 * after that sync is cut out of its update (REQ-2) with a `read-only` notice naming the records, so it is never
 * stuck. Manual server clock, own server.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, addFinding, readClosure, readMeta, stampedRecords } from '@muster/core';
import type { PostRef } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import {
  actorOf,
  cidPost,
  entryOf as entry,
  loginAll,
  openIncidentGroup,
  startClockedServer,
  closeGroup,
} from '../helpers/closedGroup.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const MIN = 60_000;
const G = 'grp-late-after-closure';
const mgmtPost: PostRef = {
  id: 'p-e-mgmt',
  name: '东城分局协同管理岗',
  unitId: 'sb-e',
  unitName: '东城分局',
  kind: 'management',
};

describe('LATE-1: offline work of a member reaches a group closed meanwhile', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let mgmt: LoginResponse;
  const clients: GroupClient[] = [];

  const connect = (who: LoginResponse, doc = new Y.Doc()): GroupClient => {
    const c = connectGroup(server.wsUrl, G, who.token, doc);
    clients.push(c);
    return c;
  };

  /** What a fresh replica of the group holds, from the server. */
  async function fresh(): Promise<Y.Doc> {
    const c = connect(await login(server.url, 'demo016'));
    await waitFor(() => c.provider.synced && readMeta(c.doc), 20_000, 'fresh synced');
    return c.doc;
  }

  beforeAll(async () => {
    server = await startClockedServer(T0);
    [front, cid, mgmt] = await loginAll(server.url, ['demo016', 'demo010', 'demo005']);
    await openIncidentGroup(connect(front), {
      id: G,
      initiator: front,
      invite: { 'inv-cid': cidPost, 'inv-mgmt': mgmtPost },
    });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('LATE-1 ACL-3 REQ-2: offline findings are kept after closure (whatever the device clock); newer writes are cut, never stuck', async () => {
    // Device A: the criminal investigation desk, a member through its invited post.
    const a = connect(cid);
    await waitFor(() => a.provider.synced && a.doc.getMap(Root.invitations).has('inv-cid'), 20_000, 'A synced');
    addFinding(a.doc, { id: 'f-online', text: 'before', author: actorOf(cid), deviceTime: T0 });
    await waitFor(() => a.ackCovers(Root.entries, 'f-online'), 20_000, 'A online finding acked');

    // A loses its connection and works on.
    a.provider.disconnect();
    addFinding(a.doc, {
      id: 'f-offline-1',
      text: 'offline work (fictional)',
      author: actorOf(cid),
      deviceTime: T0 + MIN,
    });
    // A device clock far in the future: device time is not trusted and not used.
    const future = T0 + 365 * 24 * 60 * MIN;
    addFinding(a.doc, {
      id: 'f-offline-future',
      text: 'clock ahead (fictional)',
      author: actorOf(cid),
      deviceTime: future,
    });

    // Meanwhile the management desk closes the group.
    const m = connect(mgmt);
    await waitFor(() => m.provider.synced && readMeta(m.doc), 20_000, 'management synced');
    await closeGroup(m, mgmt, T0, mgmtPost.id);
    const closure = readClosure(m.doc)!;
    expect(closure.at).toBe(T0);

    // A is back, later: its offline work is persisted, acknowledged, stamped after the closure.
    await server.moveClock({ advanceMs: MIN });
    a.provider.connect();
    await waitFor(() => readClosure(a.doc), 20_000, 'A learns of the closure');
    await waitFor(
      () => a.ackCovers(Root.entries, 'f-offline-1') && a.ackCovers(Root.entries, 'f-offline-future'),
      20_000,
      'offline work acked',
    );
    await waitFor(() => a.fullyAcked(), 20_000, 'A fully acked (stamps and closure receipts too)');
    const late = stampedRecords(a.doc, Root.entries, entry);
    for (const id of ['f-offline-1', 'f-offline-future']) {
      await waitFor(() => stampedRecords(a.doc, Root.entries, entry).find((r) => r.id === id)?.serverTime, 20_000, id);
      const r = stampedRecords(a.doc, Root.entries, entry).find((x) => x.id === id)!;
      expect(r.serverTime).toBe(T0 + MIN);
      expect(r.afterClosure).toBe(true);
    }
    expect(late.find((r) => r.id === 'f-online')?.afterClosure).toBe(false);
    expect(a.notices.filter((n) => n.kind === 'refused')).toEqual([]);

    // After that sync A writes again while connected (a client that ignores CLOSE-5): cut out, read-only notice.
    a.doc.getMap(Root.entries).set('f-after-sync', {
      id: 'f-after-sync',
      type: 'finding',
      text: 'too late',
      author: actorOf(cid),
      deviceTime: T0,
    });
    await waitFor(
      () =>
        a.notices.some(
          (n) => n.kind === 'read-only' && n.code === 'closed' && n.keys?.includes('entries/f-after-sync'),
        ),
      20_000,
      'read-only notice naming the record',
    );
    // Not stuck: the refused record is garbage on the server, so the ack covers everything A holds.
    await waitFor(() => a.fullyAcked(), 20_000, 'A fully acked');
    expect(a.closes).toEqual([]);

    const doc = await fresh();
    await waitFor(() => doc.getMap(Root.entries).has('f-offline-future'), 20_000, 'fresh reader has the late work');
    const seen = stampedRecords(doc, Root.entries, entry);
    expect(
      seen
        .filter((r) => r.afterClosure)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['f-offline-1', 'f-offline-future']);
    expect(doc.getMap(Root.entries).has('f-after-sync')).toBe(false);
    expect(doc.getMap(Root.entries).has('f-online')).toBe(true);
  });
});
