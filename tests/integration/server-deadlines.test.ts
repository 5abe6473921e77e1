/**
 * POL-15: sign-off and closure deadlines are the server's. An initiator's client writes a one-year sign-off deadline
 * on a management post, a nonsense one on a support post and a one-year closure deadline into its records; the
 * relay accepts the records (a client's deadline is ignored, not refused), escalates the management post after the
 * policy's 10 minutes and judges the closure against the policy's 24 hours.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { META_KEY, Root, readClosure, requestClose, serverEvents, stampOf } from '@muster/core';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const GROUP = 'grp-server-deadlines';
const MIN = 60_000;
const T0 = 1_767_300_000_000;

describe('POL-15: a deadline in a client record is ignored', () => {
  let server: TestServer;
  let client: GroupClient;

  beforeAll(async () => {
    server = await startServer({ manualClock: true });
    await server.moveClock({ set: T0 });
  });

  afterAll(async () => {
    client?.destroy();
    await server.stop();
  });

  it('a management post is escalated after 10 minutes and closure is judged at 24 hours, whatever the records say', async () => {
    const me = await login(server.url, 'demo015');
    const actor = { personId: me.person.id, name: me.person.name };
    client = connectGroup(server.wsUrl, GROUP, me.token, new Y.Doc());
    await waitFor(() => client.provider.synced, 20_000, 'synced');
    client.doc.transact(() => {
      client.doc.getMap(Root.meta).set(META_KEY, {
        id: GROUP,
        kind: 'incident',
        title: 'T',
        incident: { number: 'N1', type: 'theft', address: 'A', reportedAt: null },
        unitId: 'st-e1',
        initiator: actor,
        deviceTime: T0,
        closureDeadlineMinutes: 365 * 24 * 60,
      });
      client.doc.getMap(Root.invitations).set('inv-mgmt', {
        id: 'inv-mgmt',
        post: { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' },
        deadlineMinutes: 365 * 24 * 60,
        invitedBy: actor,
        deviceTime: T0,
      });
      client.doc.getMap(Root.invitations).set('inv-cid', {
        id: 'inv-cid',
        post: {
          id: 'p-e-cid',
          name: '东城刑警大队协同支撑岗',
          unitId: 'br-e-cid',
          unitName: '刑警大队',
          kind: 'support',
        },
        deadlineMinutes: 'never',
        invitedBy: actor,
        deviceTime: T0,
      });
    });
    await waitFor(
      () =>
        client.fullyAcked() &&
        stampOf(client.doc, Root.invitations, 'inv-mgmt') &&
        stampOf(client.doc, Root.invitations, 'inv-cid'),
      20_000,
      'both invitations accepted and stamped',
    );
    const invitedAt = stampOf(client.doc, Root.invitations, 'inv-mgmt')!.at;
    await server.moveClock({ advanceMs: 11 * MIN });
    const event = await waitFor(
      () => serverEvents(client.doc).find((e) => e.invitationId === 'inv-mgmt'),
      20_000,
      'escalated after the policy deadline',
    );
    expect(event.deadline).toBe(invitedAt + 10 * MIN);
    await server.moveClock({ advanceMs: 20 * MIN });
    const support = await waitFor(
      () => serverEvents(client.doc).find((e) => e.invitationId === 'inv-cid'),
      20_000,
      'support post escalated after the policy deadline',
    );
    expect(support.deadline).toBe(stampOf(client.doc, Root.invitations, 'inv-cid')!.at + 30 * MIN);

    requestClose(client.doc, { id: 'close-1', summary: '已处置', by: actor, deviceTime: T0 }, T0);
    const closure = await waitFor(() => readClosure(client.doc), 20_000, 'closed');
    expect(closure.deadline).toBe(stampOf(client.doc, Root.meta, META_KEY)!.at + 24 * 60 * MIN);
  });
});
