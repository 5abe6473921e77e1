/**
 * Story 3 on the real relay: a missing child is traced to the airport; the station's group pushes a clue to the
 * airport police, an outside unit with no patrol officers. Its desk (on duty at the airport post) receives it in
 * the inbox, opens the group and acknowledges (CLUE-2, ACL-8, INBOX-3); another outside unit does not.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root, acknowledge, inboxItems, pushClue, readMeta, startGroup } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const G = 'grp-story3-airport';
const actorOf = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

describe('story 3: a clue to the airport police', () => {
  let server: TestServer;
  const closers: { destroy(): void }[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const c of closers) c.destroy();
    await server?.stop();
  });

  it('CLUE-2, ACL-8: the airport desk on duty gets the clue in its inbox, opens the group and acknowledges', async () => {
    const front = await login(server.url, 'demo015');
    const airport = await login(server.url, 'demo047'); // on duty at p-out-airport, no patrol officers there
    const govsvc = await login(server.url, 'demo048'); // another outside unit, not addressed
    const inbox = connectInbox(server.wsUrl, 'demo047', airport.token);
    closers.push(inbox);

    const a: GroupClient = connectGroup(server.wsUrl, G, front.token);
    closers.push(a);
    await waitFor(() => a.provider.synced, 20_000, 'synced');
    a.doc.transact(() => {
      startGroup(a.doc, {
        id: G,
        kind: 'task',
        title: '寻找走失儿童 (fictional)',
        unitId: 'st-e1',
        initiator: actorOf(front),
        deviceTime: 1,
      });
      pushClue(a.doc, {
        id: 'clue-airport',
        text: '儿童可能在机场 T2 (fictional)',
        targetUnitIds: ['out-airport'],
        author: actorOf(front),
        deviceTime: 2,
      });
    });
    await waitFor(
      () => a.fullyAcked() && a.doc.getMap('server:stamps').has(`${Root.entries}/clue-airport`),
      20_000,
      'clue stamped',
    );

    await waitFor(
      () => inboxItems(inbox.doc).some((e) => e.item.kind === 'clue' && e.item.groupId === G),
      20_000,
      'inbox item',
    );
    const c = connectGroup(server.wsUrl, G, airport.token);
    closers.push(c);
    await waitFor(() => c.provider.synced && c.doc.getMap(Root.entries).has('clue-airport'), 20_000, 'airport synced');
    expect(c.closes.filter((x) => x.code === 4403)).toEqual([]);
    acknowledge(c.doc, {
      id: 'ack-airport',
      entryId: 'clue-airport',
      kind: 'ack',
      by: actorOf(airport),
      deviceTime: 3,
    });
    await waitFor(() => a.doc.getMap(Root.acks).has('ack-airport'), 20_000, 'ack reached the station');
    expect(c.notices.filter((n) => n.kind === 'refused')).toEqual([]);

    const o = connectGroup(server.wsUrl, G, govsvc.token);
    closers.push(o);
    await waitFor(() => o.closes.some((x) => x.code === 4403), 20_000, 'not addressed: 4403');
    expect(readMeta(o.doc)).toBeNull();
  });
});
