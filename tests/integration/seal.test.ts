/**
 * LATE-2/LATE-3: what a closed group still takes, and the seal that ends it. Offline work arriving after closure
 * is kept only for field-work kinds (an offline invitation or new task is cut); a seal request by someone who may
 * not seal is refused; once a leader or the desk seals, every write is cut with a `sealed` notice and the device is
 * acknowledged (it keeps its copy). Raw frames and stock clients, manual clock, own server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Root,
  currentHold,
  readClosure,
  readRefusal,
  readSeal,
  requestHold,
  requestSeal,
  stampedRecords,
} from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import {
  actorOf,
  cidPost,
  entryOf as entry,
  loginAll,
  mgmtPost,
  openIncidentGroup,
  startClockedServer,
  closeGroup,
} from '../helpers/closedGroup.ts';
import { RawDevice } from '../helpers/rawDevice.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const G = 'grp-seal';

describe('LATE-2 LATE-3: late kinds and the seal', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let mgmt: LoginResponse;
  let initiator: GroupClient;
  const clients: GroupClient[] = [];
  const devices: RawDevice[] = [];

  /** A raw device of `who`, synced with the open group. */
  async function device(who: LoginResponse, clientId: number): Promise<RawDevice> {
    const dev = new RawDevice(server.wsUrl, G, who.token, clientId);
    devices.push(dev);
    await dev.socket.opened;
    dev.sendStep1();
    await waitFor(() => (dev.read(), dev.unanswered.length > 0 && dev.acks.length > 0), 20_000, 'device synced');
    dev.answerStep1();
    return dev;
  }

  beforeAll(async () => {
    server = await startClockedServer(T0);
    [front, cid, mgmt] = await loginAll(server.url, ['demo016', 'demo010', 'demo005']);
    initiator = connectGroup(server.wsUrl, G, front.token);
    clients.push(initiator);
    await openIncidentGroup(initiator, {
      id: G,
      initiator: front,
      invite: { 'inv-cid': cidPost, 'inv-mgmt': mgmtPost },
    });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const d of devices) d.close();
    await server?.stop();
  });

  it('LATE-2 LATE-3: late field work is kept, late invitations and tasks are cut; a sealed group refuses everything and acknowledges', async () => {
    // The initiator's second device and the criminal desk work offline; the socket stays up.
    const own = await device(front, 515001);
    const desk = await device(cid, 515002);
    const ownEntries = own.doc.getMap(Root.entries);
    ownEntries.set('f-late', {
      id: 'f-late',
      type: 'finding',
      text: 'late (fictional)',
      author: actorOf(front),
      deviceTime: T0,
    });
    ownEntries.set('t-late', {
      id: 't-late',
      type: 'task',
      title: 'late task',
      assignee: { kind: 'post', id: cidPost.id, name: cidPost.name },
      due: null,
      author: actorOf(front),
      deviceTime: T0,
    });
    own.doc.getMap(Root.invitations).set('inv-late', {
      id: 'inv-late',
      post: { id: 'p-e-data', name: '数据岗', unitId: 'sb-e', unitName: '东城分局', kind: 'support' },
      deadlineMinutes: 30,
      invitedBy: actorOf(front),
      deviceTime: T0,
    });
    desk.doc
      .getMap(Root.entries)
      .set('f-desk', { id: 'f-desk', type: 'finding', text: 'desk (fictional)', author: actorOf(cid), deviceTime: T0 });

    await closeGroup(initiator, front, T0);
    await server.moveClock({ advanceMs: 60_000 });

    own.flush();
    await waitFor(() => (own.read(), own.ackedOwn()), 20_000, 'own device acked');
    await waitFor(() => (own.read(), own.notices.find((n) => n.code === 'closed')), 20_000, 'closed notice');
    const cutKeys = own.notices.filter((n) => n.code === 'closed').flatMap((n) => n.keys ?? []);
    expect(cutKeys.sort()).toEqual(['entries/t-late', 'invitations/inv-late']);
    await waitFor(() => initiator.doc.getMap(Root.entries).has('f-late'), 20_000, 'late finding kept');
    const kept = stampedRecords(initiator.doc, Root.entries, entry).find((r) => r.id === 'f-late')!;
    await waitFor(() => stampedRecords(initiator.doc, Root.entries, entry).find((r) => r.id === 'f-late')?.serverTime);
    expect(stampedRecords(initiator.doc, Root.entries, entry).find((r) => r.id === 'f-late')?.afterClosure).toBe(true);
    expect(kept.id).toBe('f-late');
    expect(initiator.doc.getMap(Root.entries).has('t-late')).toBe(false);
    expect(initiator.doc.getMap(Root.invitations).has('inv-late')).toBe(false);

    // The criminal desk may not seal; the management desk may.
    const cidClient = connectGroup(server.wsUrl, G, cid.token);
    const mgmtClient = connectGroup(server.wsUrl, G, mgmt.token);
    clients.push(cidClient, mgmtClient);
    await waitFor(() => cidClient.provider.synced && readClosure(cidClient.doc), 20_000, 'cid synced');
    requestSeal(cidClient.doc, { id: 'seal-cid', by: actorOf(cid), postId: cidPost.id, deviceTime: T0 });
    await waitFor(() => readRefusal(cidClient.doc, Root.sealRequests, 'seal-cid'), 20_000, 'seal refused');
    expect(readRefusal(cidClient.doc, Root.sealRequests, 'seal-cid')?.code).toBe('not-allowed');
    expect(readSeal(cidClient.doc)).toBeNull();
    await waitFor(() => mgmtClient.provider.synced && readClosure(mgmtClient.doc), 20_000, 'desk synced');
    requestSeal(mgmtClient.doc, { id: 'seal-1', by: actorOf(mgmt), postId: mgmtPost.id, deviceTime: T0 });
    await waitFor(() => readSeal(initiator.doc), 20_000, 'sealed');
    expect(readSeal(initiator.doc)?.requestId).toBe('seal-1');

    // The desk's offline finding arrives after the seal: cut, told `sealed`, acknowledged.
    desk.flush();
    await waitFor(() => (desk.read(), desk.notices.find((n) => n.code === 'sealed')), 20_000, 'sealed notice');
    expect(desk.notices.find((n) => n.code === 'sealed')).toMatchObject({
      kind: 'read-only',
      keys: ['entries/f-desk'],
    });
    await waitFor(() => (desk.read(), desk.ackedOwn()), 20_000, 'desk acked');
    await waitFor(() => initiator.fullyAcked(), 20_000, 'reader up to date');
    expect(initiator.doc.getMap(Root.entries).has('f-desk')).toBe(false);
    expect(desk.doc.getMap(Root.entries).has('f-desk')).toBe(true);
  });

  it("KEEP-2: a sealed group still takes a leader's legal hold, recorded with the server time", async () => {
    await waitFor(() => readSeal(initiator.doc), 20_000, 'sealed (previous test)');
    const leader = (await loginAll(server.url, ['demo007']))[0]!;
    const client = connectGroup(server.wsUrl, G, leader.token);
    clients.push(client);
    await waitFor(() => client.provider.synced && readSeal(client.doc), 20_000, 'leader synced');
    requestHold(client.doc, {
      id: 'hold-1',
      on: true,
      reason: '当事人已起诉 (fictional)',
      by: actorOf(leader),
      postId: 'p-e-leader',
      deviceTime: T0,
    });
    await waitFor(() => currentHold(initiator.doc), 20_000, 'hold recorded');
    expect(currentHold(initiator.doc)).toMatchObject({ requestId: 'hold-1', on: true, at: T0 + 60_000 });
    expect(readSeal(initiator.doc)?.requestId).toBe('seal-1');
  });
});
