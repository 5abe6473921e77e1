/**
 * HIST-1: the group list is served from the list index, paged by cursor, with deltas: a desk pages through the
 * groups inviting its post, and groups that change, newly invite the post, or start between two pages come after
 * the cursor; a cursor kept across a restart still reads only what changed since (real relay, real SQLite file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFinding, invitePost, startGroup } from '@muster/core';
import type { PostRef } from '@muster/core';
import type { GroupListResponse, LoginResponse } from '@muster/protocol';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const mgmt: PostRef = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' };
const actorOf = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

describe('HIST-1 group list paging and deltas', () => {
  let server: TestServer;
  let front: LoginResponse;
  const clients = new Map<string, GroupClient>();

  const page = async (token: string, since: string | null, limit: number): Promise<GroupListResponse> => {
    const q = new URLSearchParams({ limit: String(limit), ...(since ? { since } : {}) });
    const res = await fetch(`${server.url}/api/groups?${q}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as GroupListResponse;
  };

  /** Starts a group as the station officer, inviting the east management desk when `invite`. */
  const start = async (id: string, invite: boolean): Promise<GroupClient> => {
    const c = connectGroup(server.wsUrl, id, front.token);
    clients.set(id, c);
    await waitFor(() => c.provider.synced, 20_000, `${id} synced`);
    c.doc.transact(() => {
      startGroup(c.doc, {
        id,
        kind: 'incident',
        title: `T ${id}`,
        unitId: 'st-e1',
        initiator: actorOf(front),
        deviceTime: 1,
      });
      if (invite) invitePost(c.doc, { id: `inv-${id}`, post: mgmt, invitedBy: actorOf(front), deviceTime: 1 });
    });
    await waitFor(() => c.fullyAcked(), 20_000, `${id} acked`);
    return c;
  };

  const finding = async (id: string, text: string): Promise<void> => {
    const c = clients.get(id)!;
    addFinding(c.doc, { id: `f-${text}`, text, author: actorOf(front), deviceTime: 2 });
    await waitFor(() => c.fullyAcked(), 20_000, `${id} finding acked`);
  };

  beforeAll(async () => {
    server = await startServer();
    front = await login(server.url, 'demo015');
    for (const id of ['hist-1', 'hist-2', 'hist-3']) await start(id, true);
    await start('hist-other', false);
  });

  afterAll(async () => {
    for (const c of clients.values()) c.destroy();
    await server.stop();
  });

  it('HIST-1: pages, changes between pages, newly visible groups, and a cursor kept across a restart', async () => {
    const desk = await login(server.url, 'demo005');
    const seen = new Map<string, number>();
    const p1 = await page(desk.token, null, 2);
    expect(p1.more).toBe(true);
    expect(p1.reset).toBe(false);
    expect(p1.groups).toHaveLength(2);
    for (const g of p1.groups) seen.set(g.id, g.entryCount);

    // Between two pages: a group already read changes, one starts, and one newly invites the desk's post.
    const changed = p1.groups[0]!.id;
    await finding(changed, 'between-pages');
    await start('hist-4', true);
    const other = clients.get('hist-other')!;
    invitePost(other.doc, { id: 'inv-late', post: mgmt, invitedBy: actorOf(front), deviceTime: 3 });
    await waitFor(() => other.fullyAcked(), 20_000, 'late invitation acked');

    let cursor = p1.cursor!;
    let more = true;
    while (more) {
      const next = await page(desk.token, cursor, 2);
      for (const g of next.groups) seen.set(g.id, g.entryCount);
      cursor = next.cursor!;
      more = next.more!;
    }
    expect([...seen.keys()].sort()).toEqual(['hist-1', 'hist-2', 'hist-3', 'hist-4', 'hist-other']);
    expect(seen.get(changed)).toBe(1);
    // The front officer's list has the five too; the row of an invited group carries its open invitation.
    const mine = await page(front.token, null, 50);
    expect(mine.groups.map((g) => g.id).sort()).toEqual(['hist-1', 'hist-2', 'hist-3', 'hist-4', 'hist-other']);
    const row = mine.groups.find((g) => g.id === 'hist-4')!;
    expect(row.status).toMatchObject({ closedAt: null, invited: 1, signed: 0 });
    expect(row.status!.open).toEqual([
      { invitationId: 'inv-hist-4', postId: 'p-e-mgmt', deadline: expect.any(Number) as number },
    ]);

    // Nothing changed: an empty delta. A different scope (another person's cursor) starts over.
    const empty = await page(desk.token, cursor, 2);
    expect(empty.groups).toEqual([]);
    expect(empty.cursor).toBe(cursor);
    expect((await page(front.token, cursor, 50)).reset).toBe(true);

    // After a restart the cursor still holds: only what changed since comes.
    for (const c of clients.values()) c.destroy();
    clients.clear();
    await server.restart();
    const again = await login(server.url, 'demo005');
    expect((await page(again.token, cursor, 10)).groups).toEqual([]);
    front = await login(server.url, 'demo015');
    const c = connectGroup(server.wsUrl, 'hist-2', front.token);
    clients.set('hist-2', c);
    await waitFor(() => c.provider.synced, 20_000, 'hist-2 synced again');
    await finding('hist-2', 'after-restart');
    const delta = await page(again.token, cursor, 10);
    expect(delta.groups.map((g) => g.id)).toEqual(['hist-2']);
  });
});
