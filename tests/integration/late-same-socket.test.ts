/**
 * LATE-1: a device whose socket survives an outage (a radio that drops for a while; the TCP connection stays up)
 * across the group's closure. Its offline writes reach the relay after the closure was sent to it but before the
 * device had received it: they are kept, received after closure. The relay learns when the device had the closure
 * from the device's answer to the sync request the relay sends right behind the closure, not from the state the
 * socket reported when it first synced; writes after that answer are cut, and the clocks of the device's client
 * id are kept as a closure receipt, so a reconnect and a restart of the relay still cut them. Raw frames, manual
 * clock, own server.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, readClosure, readMeta, readReceipt, stampedRecords } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import {
  cidPost,
  entryOf as entry,
  loginAll,
  mgmtPost,
  openIncidentGroup,
  rawFinding,
  startClockedServer,
  closeGroup,
} from '../helpers/closedGroup.ts';
import { RawDevice } from '../helpers/rawDevice.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const G = 'grp-late-same-socket';
const finding = (id: string, who: LoginResponse) => rawFinding(id, who, T0);

describe('LATE-1: same-socket outage across a closure', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let mgmt: LoginResponse;
  const clients: GroupClient[] = [];
  const devices: RawDevice[] = [];

  async function replica(): Promise<Y.Doc> {
    const c = connectGroup(server.wsUrl, G, (await login(server.url, 'demo016')).token);
    clients.push(c);
    await waitFor(() => c.provider.synced && readMeta(c.doc), 20_000, 'replica synced');
    return c.doc;
  }

  beforeAll(async () => {
    server = await startClockedServer(T0);
    [front, cid, mgmt] = await loginAll(server.url, ['demo016', 'demo010', 'demo005']);
    const a = connectGroup(server.wsUrl, G, front.token);
    clients.push(a);
    await openIncidentGroup(a, { id: G, initiator: front, invite: { 'inv-cid': cidPost, 'inv-mgmt': mgmtPost } });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const d of devices) d.close();
    await server?.stop();
  });

  it('LATE-1: offline writes on a surviving socket are kept; writes after the device had the closure are cut, also after a reconnect and a relay restart', async () => {
    const dev = new RawDevice(server.wsUrl, G, cid.token, 424242);
    devices.push(dev);
    await dev.socket.opened;
    dev.sendStep1();
    await waitFor(() => (dev.read(), dev.unanswered.length > 0 && dev.acks.length > 0), 20_000, 'first sync');
    dev.answerStep1();
    dev.doc.getMap(Root.entries).set('f-online', finding('f-online', cid));
    dev.flush();
    await waitFor(() => (dev.read(), dev.ackedOwn()), 20_000, 'online finding acked');
    expect(dev.doc.getMap(Root.invitations).has('inv-cid')).toBe(true);

    // The radio drops; the socket stays up. The device writes; the desk closes the group meanwhile.
    dev.doc.getMap(Root.entries).set('f-off-1', finding('f-off-1', cid));
    const m = connectGroup(server.wsUrl, G, mgmt.token);
    clients.push(m);
    await waitFor(() => m.provider.synced && readMeta(m.doc), 20_000, 'desk synced');
    await closeGroup(m, mgmt, T0, mgmtPost.id);
    await server.moveClock({ advanceMs: 40_000 });
    dev.doc.getMap(Root.entries).set('f-off-2', finding('f-off-2', cid));

    // Back: what the device sent while it could not yet have the closure arrives first.
    dev.flush();
    // Then it reads the closure and the relay's sync request behind it, and answers.
    await waitFor(() => (dev.read(), readClosure(dev.doc) && dev.unanswered.length > 0), 20_000, 'closure + request');
    // The relay's sync request came after the closure on this socket (the device had it when it read the request).
    expect(dev.stepOnesAfterClosure).toEqual([false, true]);
    dev.answerStep1();
    await waitFor(() => (dev.read(), dev.ackedOwn()), 20_000, 'offline work acked');
    expect(dev.notices.filter((n) => n.code === 'closed')).toEqual([]);

    // A client that ignores CLOSE-5 writes after it had the closure: cut, acknowledged, told.
    dev.doc.getMap(Root.entries).set('f-after', finding('f-after', cid));
    dev.flush();
    await waitFor(
      () => (dev.read(), dev.notices.find((n) => n.code === 'closed' && n.keys?.includes('entries/f-after'))),
      20_000,
      'cut with a read-only notice',
    );
    expect(dev.notices.find((n) => n.code === 'closed')?.kind).toBe('read-only');
    await waitFor(() => (dev.read(), dev.ackedOwn()), 20_000, 'not stuck');

    const doc = await replica();
    await waitFor(() => doc.getMap(Root.entries).has('f-off-2'), 20_000, 'late work on the server');
    const late = stampedRecords(doc, Root.entries, entry);
    expect(
      late
        .filter((r) => r.afterClosure)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['f-off-1', 'f-off-2']);
    expect(late.find((r) => r.id === 'f-online')?.afterClosure).toBe(false);
    expect(doc.getMap(Root.entries).has('f-after')).toBe(false);
    await waitFor(() => readReceipt(doc, 424242), 20_000, 'closure receipt of the client id');
    expect(readReceipt(doc, 424242)!.clock).toBe(3);

    // A reconnect claims the next write as offline work in its first answer: the receipt still cuts it.
    dev.doc.getMap(Root.entries).set('f-after-reconnect', finding('f-after-reconnect', cid));
    dev.outbox.length = 0;
    dev.reconnect();
    await dev.socket.opened;
    dev.sendStep1();
    await waitFor(() => (dev.read(), dev.unanswered.length > 0), 20_000, 'relay sync step 1');
    dev.answerStep1();
    await waitFor(
      () => (dev.read(), dev.notices.find((n) => n.keys?.includes('entries/f-after-reconnect'))),
      20_000,
      'cut after reconnect',
    );

    // And after a restart of the relay (the receipt is part of the stored document).
    await server.restart({ samePort: true });
    dev.doc.getMap(Root.entries).set('f-after-restart', finding('f-after-restart', cid));
    dev.outbox.length = 0;
    dev.reconnect();
    await dev.socket.opened;
    dev.sendStep1();
    await waitFor(() => (dev.read(), dev.unanswered.length > 0), 20_000, 'relay sync step 1 after restart');
    dev.answerStep1();
    await waitFor(
      () => (dev.read(), dev.notices.find((n) => n.keys?.includes('entries/f-after-restart'))),
      20_000,
      'cut after restart',
    );
    const again = await replica();
    await waitFor(() => again.getMap(Root.entries).has('f-off-1'), 20_000, 'late work kept');
    expect(again.getMap(Root.entries).has('f-after-reconnect')).toBe(false);
    expect(again.getMap(Root.entries).has('f-after-restart')).toBe(false);
  });
});
