/**
 * CLUE-5 on the real relay: a patrol officer with no desk (demo016, 东湖派出所), whose directory shows the persons of
 * his own unit only (DIR-6), pushes a clue to the airport police and to 西城分局's patrol brigade. The relay records
 * whom it went to, so his device shows every recipient and whether they acknowledged (CLUE-3), not only those of
 * his own unit; no police number travels with them.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory, Root, acknowledge, clueViews, pushClue, startGroup } from '@muster/core';
import type { DirectoryData } from '@muster/core';
import type { DirectoryResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const G = 'grp-clue-recipients';

describe('CLUE-5: every member sees whom a clue went to', () => {
  let server: TestServer;
  const closers: { destroy(): void }[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const c of closers) c.destroy();
    await server?.stop();
  });

  it('CLUE-5 CLUE-3 DIR-6: a patrol officer’s clue lists the airport desk and the other sub-bureau’s patrol officers', async () => {
    const me = await login(server.url, 'demo016');
    const res = await fetch(`${server.url}/api/directory`, { headers: { authorization: `Bearer ${me.token}` } });
    const raw = (await res.json()) as DirectoryResponse;
    expect(raw.scope).toBe('own-unit');
    const mine = new Directory(raw as unknown as DirectoryData);
    expect(mine.person('demo047')).toBeNull();

    const actor = { personId: me.person.id, name: me.person.name };
    const a: GroupClient = connectGroup(server.wsUrl, G, me.token, new Y.Doc());
    closers.push(a);
    await waitFor(() => a.provider.synced, 20_000, 'synced');
    a.doc.transact(() => {
      startGroup(a.doc, {
        id: G,
        kind: 'task',
        title: '寻人 (fictional)',
        unitId: 'st-e1',
        initiator: actor,
        deviceTime: 1,
      });
      pushClue(a.doc, {
        id: 'clue-1',
        text: '可能前往机场 (fictional)',
        targetUnitIds: ['out-airport', 'br-w-patrol'],
        author: actor,
        deviceTime: 2,
      });
    });
    await waitFor(() => a.doc.getMap(Root.recipients).has('clue-1'), 20_000, 'recipients recorded');
    const view = () => clueViews(a.doc, mine)[0]!;
    expect(
      view()
        .recipients.map((r) => r.person.personId)
        .sort(),
    ).toEqual(['demo027', 'demo030', 'demo047']);
    expect(JSON.stringify(a.doc.getMap(Root.recipients).toJSON())).not.toMatch(/policeNo/);

    // The airport desk acknowledges; the sender's device shows it against that recipient.
    const airport = await login(server.url, 'demo047');
    const b: GroupClient = connectGroup(server.wsUrl, G, airport.token, new Y.Doc());
    closers.push(b);
    await waitFor(() => b.provider.synced && b.doc.getMap(Root.entries).has('clue-1'), 20_000, 'airport synced');
    const by = { personId: airport.person.id, name: airport.person.name };
    acknowledge(b.doc, { id: 'ack-1', entryId: 'clue-1', kind: 'ack', by, postId: null, deviceTime: 3 });
    await waitFor(
      () => view().recipients.find((r) => r.person.personId === 'demo047')?.acknowledged,
      20_000,
      'ack seen by the sender',
    );
    expect(
      view()
        .recipients.filter((r) => r.acknowledged)
        .map((r) => r.person.personId),
    ).toEqual(['demo047']);
  });
});
