/**
 * LATE-1: a tampered client cannot buy write access to a closed group by claiming a large prior state in its sync
 * step 1, nor by never answering the relay's sync request. Raw frames, manual clock, own server.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, readClosure, readMeta } from '@muster/core';
import { CloseCode } from '@muster/protocol';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import {
  cidPost,
  loginAll,
  openIncidentGroup,
  rawFinding,
  startClockedServer,
  closeGroup,
} from '../helpers/closedGroup.ts';
import { RawDevice } from '../helpers/rawDevice.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const G = 'grp-closed-forged';
const finding = (id: string, who: LoginResponse) => rawFinding(id, who, T0);

/** A state vector claiming clock `clock` for `client`. */
function forgedStateVector(client: number, clock: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  return encoding.toUint8Array(e);
}

describe('LATE-1: forged sync step 1 on a closed group', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let reader: GroupClient;
  const clients: GroupClient[] = [];
  const devices: RawDevice[] = [];

  beforeAll(async () => {
    server = await startClockedServer(T0);
    [front, cid] = await loginAll(server.url, ['demo016', 'demo010']);
    const a = connectGroup(server.wsUrl, G, front.token);
    clients.push(a);
    await openIncidentGroup(a, { id: G, initiator: front, invite: { 'inv-cid': cidPost } });
    await closeGroup(a, front, T0);
    reader = a;
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const d of devices) d.close();
    await server?.stop();
  });

  it('LATE-1: a sync step 1 claiming a huge prior state buys nothing once the relay’s sync request is answered', async () => {
    const dev = new RawDevice(server.wsUrl, G, cid.token, 777001);
    devices.push(dev);
    await dev.socket.opened;
    dev.sendStep1(forgedStateVector(777001, 1_000_000_000));
    await waitFor(() => (dev.read(), readClosure(dev.doc) && dev.unanswered.length >= 2), 20_000, 'closure + request');
    dev.answerStep1();
    dev.answerStep1();
    for (let i = 0; i < 3; i++) dev.doc.getMap(Root.entries).set(`f-forged-${i}`, finding(`f-forged-${i}`, cid));
    dev.flush();
    await waitFor(
      () => (dev.read(), dev.notices.filter((n) => n.code === 'closed').length >= 3),
      20_000,
      'each write cut',
    );
    await waitFor(() => (dev.read(), dev.ackedOwn()), 20_000, 'acknowledged, not stuck');
    await waitFor(() => reader.fullyAcked(), 20_000, 'reader up to date');
    for (let i = 0; i < 3; i++) expect(reader.doc.getMap(Root.entries).has(`f-forged-${i}`)).toBe(false);
  });

  it('LATE-1: a client that never answers the sync request is closed (retryable) once it writes past the reply window', async () => {
    const dev = new RawDevice(server.wsUrl, G, cid.token, 777002);
    devices.push(dev);
    await dev.socket.opened;
    dev.sendStep1(forgedStateVector(777002, 1_000_000_000));
    await waitFor(() => (dev.read(), readClosure(dev.doc) && dev.unanswered.length >= 2), 20_000, 'closure + request');
    // Never answers. A first write could be offline work and is kept (received after closure).
    dev.doc.getMap(Root.entries).set('f-silent-1', finding('f-silent-1', cid));
    dev.flush();
    await waitFor(() => (dev.read(), dev.ackedOwn()), 20_000, 'first write acked');
    await server.moveClock({ advanceMs: 21_000 });
    dev.doc.getMap(Root.entries).set('f-silent-2', finding('f-silent-2', cid));
    dev.flush();
    const closed = await dev.socket.closed;
    expect(closed.code).toBe(CloseCode.closureAnswerLate);
    expect(closed.code >= 4400 && closed.code < 4500).toBe(false);
    await waitFor(() => reader.doc.getMap(Root.entries).has('f-silent-1'), 20_000, 'first write reached the reader');
    expect(reader.doc.getMap(Root.entries).has('f-silent-2')).toBe(false);
    expect(readMeta(reader.doc)).not.toBeNull();
  });
});
