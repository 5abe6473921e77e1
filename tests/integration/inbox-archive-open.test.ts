/**
 * HIST-8: an inbox kept open (a desk's app left running) is archived too: the relay looks at the inboxes in memory
 * (MUSTER_INBOX_ARCHIVE_EVERY_MS) and reloads one with enough to archive; its open connection is closed, reconnects,
 * and is told its copy is stale. Without the sweep the inbox never loads again while that connection stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  Directory,
  Root,
  expandTemplate,
  inboxItems,
  invitationViews,
  parseTemplates,
  signOff,
  startGroupFromTemplate,
} from '@muster/core';
import type { DirectoryData, GroupTemplate } from '@muster/core';
import { INBOX_STALE } from '@muster/protocol';
import type { InboxArchiveResponse, LoginResponse } from '@muster/protocol';
import { connectGroup, connectInbox, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const actor = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });
const leaderItem = (g: string) => `invitation.${g}.inv-${g}-p-e-leader`;

async function getJson<T>(server: TestServer, path: string, token: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** A group from the assault template of the officer's unit (it invites the duty leader post p-e-leader). */
async function groupDoc(server: TestServer, who: LoginResponse, groupId: string): Promise<Y.Doc> {
  const dir = new Directory(await getJson<DirectoryData>(server, '/api/directory', who.token));
  const parsed = parseTemplates(await getJson<{ templates: unknown[] }>(server, '/api/templates', who.token));
  if (!parsed.ok) throw new Error('templates');
  const tpl = parsed.templates.find((t: GroupTemplate) => t.incidentType === 'assault')!;
  const exp = expandTemplate(tpl, dir, who.person.unitId);
  if (!exp.ok) throw new Error(JSON.stringify(exp.errors));
  const doc = new Y.Doc();
  startGroupFromTemplate(doc, {
    group: {
      id: groupId,
      kind: 'incident',
      title: `归档测试 ${groupId} (fictional)`,
      incident: { number: 'JQ-8008', type: 'assault', address: '湖滨路 8 号 (fictional)', reportedAt: Date.now() },
      unitId: who.person.unitId,
      initiator: { personId: who.person.id, name: who.person.name },
      deviceTime: Date.now(),
    },
    expansion: exp.expansion,
    invitationIds: exp.expansion.posts.map((p) => `inv-${groupId}-${p.post.id}`),
  });
  return doc;
}

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
      const a = connectGroup(server.wsUrl, G, front!.token, await groupDoc(server, front!, G));
      await waitFor(() => invitationViews(a.doc, Date.now()).every((v) => v.registeredAt !== null), 30_000, 'stamped');
      a.destroy();
    }
    await waitFor(() => ids.every((G) => inboxItems(kept.doc).some((e) => e.item.id === leaderItem(G))), 30_000);
    const items = inboxItems(kept.doc).length;
    for (const G of ids.slice(0, 4)) {
      const c = connectGroup(server.wsUrl, G, leader!.token);
      await waitFor(() => c.doc.getMap(Root.invitations).has(`inv-${G}-p-e-leader`), 30_000, 'group synced');
      signOff(c.doc, {
        id: `so-${G}`,
        invitationId: `inv-${G}-p-e-leader`,
        by: actor(leader!),
        deviceTime: Date.now(),
      });
      await waitFor(
        () =>
          invitationViews(c.doc, Date.now()).find((v) => v.invitation.id === `inv-${G}-p-e-leader`)?.status ===
          'signed-on-time',
        30_000,
        'signed',
      );
      c.destroy();
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
