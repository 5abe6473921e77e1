/**
 * ATT-3 over the relay (stock clients, manual clock, own server): the criminal investigation desk signs in time
 * while offline; the server escalates to the duty leader at the deadline; the sign-off arrives after it. The verdict
 * is on time on its attested time, the escalation stays in the record marked withdrawn, the duty leader's inbox is
 * told, and the verdict is audited (`attested-verdict`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxItems, invitationViews, serverEvents, signOff, withdrawnEscalations } from '@muster/core';
import type { AuditListResponse, LoginResponse } from '@muster/protocol';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { actorOf, cidPost, loginAll, openIncidentGroup, startClockedServer } from '../helpers/closedGroup.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const MIN = 60_000;
const G = 'grp-attested-withdrawn';

describe('ATT-3: a sign-off made in time offline withdraws the escalation it arrived after', () => {
  let server: TestServer;
  let front: LoginResponse;
  let cid: LoginResponse;
  let leader: LoginResponse;
  const open: { destroy(): void }[] = [];

  beforeAll(async () => {
    server = await startClockedServer(T0);
    [front, cid, leader] = await loginAll(server.url, ['demo016', 'demo010', 'demo007']);
    const initiator = connectGroup(server.wsUrl, G, front.token);
    open.push(initiator);
    await openIncidentGroup(initiator, { id: G, initiator: front, invite: { 'inv-cid': cidPost } });
  });

  afterAll(async () => {
    for (const c of open) c.destroy();
    await server?.stop();
  });

  it('ATT-3 ESC-1 INBOX-1: on time on its attested time, escalation kept and marked withdrawn, leader told, audited', async () => {
    // The desk's device syncs and keeps its anchor: the server time of its last durable acknowledgement.
    const desk: GroupClient = connectGroup(server.wsUrl, G, cid.token);
    open.push(desk);
    await waitFor(() => desk.doc.getMap('invitations').has('inv-cid') && desk.lastAck(), 20_000, 'desk synced');
    const anchorAt = desk.lastAck()!.serverTime;
    expect(anchorAt).toBe(T0);
    desk.provider.disconnect();

    // Offline, four minutes on by its monotonic clock, with a device clock two hours fast.
    await server.moveClock({ advanceMs: 4 * MIN });
    signOff(desk.doc, {
      id: 'so-cid',
      invitationId: 'inv-cid',
      by: actorOf(cid),
      deviceTime: T0 + 4 * MIN + 2 * 60 * MIN,
      attested: { at: anchorAt + 4 * MIN, uncertaintyMs: 1_240, anchorAt, chain: 'monotonic' },
    });

    // Past the 30-minute deadline the server escalates to the duty leader, whose inbox gets it.
    const inbox = connectInbox(server.wsUrl, leader.person.id, leader.token);
    open.push(inbox);
    const watcher = connectGroup(server.wsUrl, G, leader.token);
    open.push(watcher);
    await server.moveClock({ advanceMs: 27 * MIN });
    await waitFor(() => serverEvents(watcher.doc).some((e) => e.invitationId === 'inv-cid'), 20_000, 'escalated');
    await waitFor(
      () => inboxItems(inbox.doc).some((e) => e.item.id === `escalation.${G}.inv-cid`),
      20_000,
      'leader told of the escalation',
    );
    expect(inboxItems(inbox.doc).some((e) => e.item.kind === 'withdrawn')).toBe(false);

    // The desk comes back at T0+32 (its access token renewed: tokens expire by the server's clock); the sign-off is
    // stamped on arrival and judged on its attested time.
    await server.moveClock({ advanceMs: MIN });
    desk.provider.params['token'] = (await login(server.url, 'demo010')).token;
    desk.provider.connect();
    await waitFor(() => desk.fullyAcked(), 20_000, 'sign-off acknowledged');
    await waitFor(() => withdrawnEscalations(watcher.doc).has('inv-cid'), 20_000, 'withdrawn on the leader replica');
    const view = invitationViews(watcher.doc, T0 + 33 * MIN).find((v) => v.invitation.id === 'inv-cid')!;
    expect([view.status, view.basis, view.judgedAt, view.signOff?.serverTime]).toEqual([
      'signed-on-time',
      'attested',
      T0 + 4 * MIN,
      T0 + 32 * MIN,
    ]);
    // The escalation stays in the record.
    expect(serverEvents(watcher.doc).find((e) => e.invitationId === 'inv-cid')).toMatchObject({ at: T0 + 31 * MIN });

    // The leader is told it was withdrawn.
    const told = await waitFor(
      () => inboxItems(inbox.doc).find((e) => e.item.id === `withdrawn.${G}.inv-cid`),
      20_000,
      'leader told of the withdrawal',
    );
    expect(told.item).toMatchObject({ kind: 'withdrawn', refId: 'inv-cid', postId: 'p-e-cid', at: T0 + 32 * MIN });

    // One audit row for the attested verdict, naming the sender, the times and the escalation withdrawn.
    const auditor = await login(server.url, 'demo004');
    const rows = await waitFor(
      async () => {
        const res = await fetch(`${server.url}/api/audit?action=attested-verdict&group=${G}`, {
          headers: { authorization: `Bearer ${auditor.token}` },
        });
        const body = (await res.json()) as AuditListResponse;
        return body.entries.length > 0 ? body.entries : null;
      },
      20_000,
      'audited',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: cid.person.id,
      action: 'attested-verdict',
      detail: {
        signOffId: 'so-cid',
        invitationId: 'inv-cid',
        status: 'signed-on-time',
        attestedAt: T0 + 4 * MIN,
        arrivedAt: T0 + 32 * MIN,
        chain: 'monotonic',
        withdrewEventId: 'overdue-inv-cid',
      },
    });
  });
});
