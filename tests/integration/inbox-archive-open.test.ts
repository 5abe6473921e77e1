/**
 * HIST-8: an inbox kept open (a desk's app left running) is archived too: the relay looks at the inboxes in memory
 * (MUSTER_INBOX_ARCHIVE_EVERY_MS) and reloads one with enough to archive; its open connection is closed, reconnects,
 * and is told its copy is stale. Without the sweep the inbox never loads again while that connection stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxItems, invitationViews } from '@muster/core';
import { INBOX_STALE } from '@muster/protocol';
import type { InboxArchiveResponse } from '@muster/protocol';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';
import { assaultGroupDoc, getJson, signLeaderInvitation } from '../helpers/templateGroup.ts';

const leaderItem = (g: string) => `invitation.${g}.inv-${g}-p-e-leader`;
const archiveGroup = (g: string) => ({
  title: `归档测试 ${g} (fictional)`,
  number: 'JQ-8008',
  address: '湖滨路 8 号 (fictional)',
});

describe('an inbox kept open is archived too', () => {
  let server: TestServer;
  const open: { destroy(): void }[] = [];
  beforeAll(async () => {
    server = await startServer({
      env: { MUSTER_INBOX_KEEP_MS: '0', MUSTER_INBOX_ARCHIVE_MIN: '3', MUSTER_INBOX_ARCHIVE_EVERY_MS: '300' },
    });
  });
  afterAll(async () => {
    for (const c of open) c.destroy();
    await server.stop();
  });

  it('HIST-8: the relay reloads an inbox kept in memory once it has enough to archive', async () => {
    const [front, leader] = await Promise.all(['demo015', 'demo007'].map((n) => login(server.url, n)));
    const ids = Array.from({ length: 5 }, (_, i) => `inbox-kept-${i}`);
    const kept = connectInbox(server.wsUrl, leader!.person.id, leader!.token);
    open.push(kept);
    for (const G of ids) {
      const a = connectGroup(server.wsUrl, G, front!.token, await assaultGroupDoc(server, front!, G, archiveGroup(G)));
      await waitFor(() => invitationViews(a.doc, Date.now()).every((v) => v.registeredAt !== null), 30_000, 'stamped');
      a.destroy();
    }
    await waitFor(() => ids.every((G) => inboxItems(kept.doc).some((e) => e.item.id === leaderItem(G))), 30_000);
    const items = inboxItems(kept.doc).length;
    for (const G of ids.slice(0, 4)) {
      await signLeaderInvitation(server, leader!, G);
    }
    // The kept connection is closed and reconnects; its copy is stale now.
    await waitFor(() => kept.notices.some((n) => n.code === INBOX_STALE), 30_000, 'the kept copy told it is stale');
    const fresh = connectInbox(server.wsUrl, leader!.person.id, leader!.token);
    open.push(fresh);
    await waitFor(() => fresh.provider.synced, 20_000, 'synced');
    const live = inboxItems(fresh.doc).map((e) => e.item.id);
    expect(live).toHaveLength(items - 4);
    expect(live).toContain(leaderItem(ids[4]!));
    const archive = await getJson<InboxArchiveResponse>(server, '/api/inbox/archive', leader!.token);
    expect(archive.items.map((e) => (e.item as { id: string }).id).sort()).toEqual(
      ids.slice(0, 4).map(leaderItem).sort(),
    );
  });
});
