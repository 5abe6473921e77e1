/**
 * HIST-8 through the real relay: a duty leader's inbox with many settled items (invitations the leader signed)
 * shrinks as the relay loads it again: the settled items leave the live inbox document for the archive, which the
 * leader pages through (`GET /api/inbox/archive`), while every open item stays. A device holding the old copy is
 * told to start over (`inbox-stale`), and after a restart (nothing remembered of past deliveries) a fresh change to
 * a settled group does not bring its archived item back into the live inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_APPROVAL_TYPES, Root, inboxItems, invitationViews, requestApproval, signOff } from '@muster/core';
import { INBOX_STALE } from '@muster/protocol';
import type { InboxArchiveResponse, LoginResponse } from '@muster/protocol';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import type { InboxClient } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';
import { actorOf, assaultGroupDoc, getJson, signLeaderInvitation } from '../helpers/templateGroup.ts';

const GROUPS = 14;
const SIGNED = 11;
const leaderItem = (g: string) => `invitation.${g}.inv-${g}-p-e-leader`;
const archiveGroup = (g: string) => ({
  title: `归档测试 ${g} (fictional)`,
  number: 'JQ-8008',
  address: '湖滨路 8 号 (fictional)',
});

/** Connects the leader's inbox afresh until the relay has loaded it again (archived) and it holds `n` items. */
async function inboxWith(server: TestServer, leader: LoginResponse, n: number): Promise<InboxClient> {
  let client: InboxClient | null = null;
  await waitFor(
    async () => {
      client?.destroy();
      client = connectInbox(server.wsUrl, leader.person.id, leader.token);
      const c = client;
      await waitFor(() => c.provider.synced, 20_000, 'inbox synced');
      return inboxItems(c.doc).length === n;
    },
    60_000,
    `inbox with ${n} items`,
  );
  return client!;
}

describe('inbox archive through the relay', () => {
  let server: TestServer;
  const open: { destroy(): void }[] = [];
  beforeAll(async () => {
    server = await startServer({
      env: { MUSTER_INBOX_KEEP_MS: '0', MUSTER_INBOX_ARCHIVE_MIN: '5', MUSTER_DOC_IDLE_MS: '200' },
    });
  });
  afterAll(async () => {
    for (const c of open) c.destroy();
    await server.stop();
  });

  it('HIST-8: settled items leave the live inbox for a pageable archive; open items stay; a stale copy starts over', async () => {
    const [front, leader] = await Promise.all(['demo015', 'demo007'].map((n) => login(server.url, n)));
    const ids = Array.from({ length: GROUPS }, (_, i) => `inbox-archive-${i}`);
    for (const G of ids) {
      const a = connectGroup(server.wsUrl, G, front!.token, await assaultGroupDoc(server, front!, G, archiveGroup(G)));
      await waitFor(() => invitationViews(a.doc, Date.now()).every((v) => v.registeredAt !== null), 30_000, 'stamped');
      a.destroy();
    }
    const first = connectInbox(server.wsUrl, leader!.person.id, leader!.token);
    open.push(first);
    await waitFor(() => ids.every((G) => inboxItems(first.doc).some((e) => e.item.id === leaderItem(G))), 30_000);
    const before = Y.encodeStateAsUpdate(first.doc).byteLength;
    const itemsBefore = inboxItems(first.doc).length;
    const stale = Y.encodeStateAsUpdate(first.doc);
    first.destroy();

    // The leader signs the invitations of the first SIGNED groups: those items are settled.
    for (const G of ids.slice(0, SIGNED)) {
      await signLeaderInvitation(server, leader!, G);
    }

    // Loaded again, the inbox holds only what is open.
    const archivedIds = ids.slice(0, SIGNED).map(leaderItem);
    const live = await inboxWith(server, leader!, itemsBefore - SIGNED);
    open.push(live);
    const liveIds = inboxItems(live.doc).map((e) => e.item.id);
    for (const G of ids.slice(SIGNED)) expect(liveIds).toContain(leaderItem(G));
    for (const id of archivedIds) expect(liveIds).not.toContain(id);
    const after = Y.encodeStateAsUpdate(live.doc).byteLength;
    expect(after).toBeLessThan(before / 2);

    // The archive, paged newest first, holds exactly the settled items.
    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/inbox/archive?limit=4${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`;
      const page: InboxArchiveResponse = await getJson<InboxArchiveResponse>(server, q, leader!.token);
      expect(page.items.length).toBeLessThanOrEqual(4);
      const ats = page.items.map((e) => (e.item as { at: number }).at);
      expect([...ats].sort((x, y) => y - x)).toEqual(ats);
      paged.push(...page.items.map((e) => (e.item as { id: string }).id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(Math.ceil(SIGNED / 4));
    expect(paged.sort()).toEqual([...archivedIds].sort());
    // Another person's archive is their own.
    const other = await getJson<InboxArchiveResponse>(server, '/api/inbox/archive', front!.token);
    expect(other.items.map((e) => (e.item as { id: string }).id)).not.toContain(archivedIds[0]);

    // A device still holding the old copy is told to start over, and nothing of it is applied.
    const old = new Y.Doc();
    Y.applyUpdate(old, stale);
    const device = connectInbox(server.wsUrl, leader!.person.id, leader!.token, old);
    open.push(device);
    await waitFor(() => device.notices.some((n) => n.code === INBOX_STALE), 30_000, 'inbox-stale notice');
    const check = connectInbox(server.wsUrl, leader!.person.id, leader!.token);
    open.push(check);
    await waitFor(() => check.provider.synced, 20_000, 'synced');
    expect(
      inboxItems(check.doc)
        .map((e) => e.item.id)
        .sort(),
    ).toEqual([...liveIds].sort());
    device.destroy();
    check.destroy();
    live.destroy();

    // After a restart nothing is remembered of past deliveries: a change to a settled group derives its items again
    // (another post signs), and the archived item does not come back.
    await server.restart();
    const [cid, leader2] = await Promise.all(['demo010', 'demo007'].map((n) => login(server.url, n)));
    const G0 = ids[0]!;
    const c = connectGroup(server.wsUrl, G0, cid!.token);
    open.push(c);
    await waitFor(() => c.doc.getMap(Root.invitations).has(`inv-${G0}-p-e-cid`), 30_000, 'group synced');
    signOff(c.doc, {
      id: `so-cid-${G0}`,
      invitationId: `inv-${G0}-p-e-cid`,
      by: actorOf(cid!),
      deviceTime: Date.now(),
    });
    await waitFor(
      () =>
        invitationViews(c.doc, Date.now()).find((v) => v.invitation.id === `inv-${G0}-p-e-cid`)?.status ===
        'signed-on-time',
      30_000,
      'cid signed',
    );
    // Then an approval request (delivered after what the sign-off re-derived: the writer's queue keeps order).
    const [front2] = await Promise.all([login(server.url, 'demo015')]);
    const f = connectGroup(server.wsUrl, G0, front2!.token);
    open.push(f);
    await waitFor(() => f.doc.getMap(Root.invitations).size > 0, 30_000, 'group synced');
    requestApproval(f.doc, {
      id: `apr-${G0}`,
      type: DEFAULT_APPROVAL_TYPES[0]!,
      values: { location: '湖滨路 (fictional)', from: '2030-03-17', to: '2030-03-17', reason: '调取录像' },
      author: actorOf(front2!),
      deviceTime: Date.now(),
    });
    const after2 = connectInbox(server.wsUrl, leader2!.person.id, leader2!.token);
    open.push(after2);
    await waitFor(
      () => inboxItems(after2.doc).some((e) => e.item.id === `approval.${G0}.apr-${G0}`),
      30_000,
      'approval delivered',
    );
    expect(inboxItems(after2.doc).map((e) => e.item.id)).not.toContain(leaderItem(G0));
    const again = await getJson<InboxArchiveResponse>(server, '/api/inbox/archive?limit=50', leader2!.token);
    expect(again.items).toHaveLength(SIGNED);
  });
});
