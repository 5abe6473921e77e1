/**
 * SCALE-4: an escalation armed on one node fires once on another after the first dies (kill -9), with the manual
 * clock of each node moved past the deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  Directory,
  expandTemplate,
  inboxItems,
  invitationViews,
  parseTemplates,
  serverEvents,
  startGroupFromTemplate,
} from '@muster/core';
import type { DirectoryData, GroupTemplate } from '@muster/core';
import { MessageType, groupDocName, inboxDocName } from '@muster/protocol';
import type { LoginResponse } from '@muster/protocol';
import { TestCluster } from '../helpers/cluster.ts';
import { WebSocket, connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';

const T0 = 1_900_000_000_000;
const MIN = 60_000;
const G = 'cluster-esc-1';
const inv = (postId: string) => `inv-${G}-${postId}`;

async function getJson<T>(url: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** The frontline officer's one tap from the assault template (support posts have 30 minutes to sign). */
async function oneTap(url: string, who: LoginResponse): Promise<Y.Doc> {
  const dir = new Directory(await getJson<DirectoryData>(url, '/api/directory', who.token));
  const parsed = parseTemplates(await getJson<{ templates: unknown[] }>(url, '/api/templates', who.token));
  if (!parsed.ok) throw new Error('templates');
  const tpl = parsed.templates.find((t: GroupTemplate) => t.incidentType === 'assault')!;
  const exp = expandTemplate(tpl, dir, who.person.unitId);
  if (!exp.ok) throw new Error(JSON.stringify(exp.errors));
  const doc = new Y.Doc();
  startGroupFromTemplate(doc, {
    group: {
      id: G,
      kind: 'incident',
      title: 'Escalation across nodes (fictional)',
      incident: { number: 'JQ-3003', type: 'assault', address: '东湖路 3 号 (fictional)', reportedAt: T0 - MIN },
      unitId: who.person.unitId,
      initiator: { personId: who.person.id, name: who.person.name },
      deviceTime: T0 - 5_000,
    },
    expansion: exp.expansion,
    invitationIds: exp.expansion.posts.map((p) => inv(p.post.id)),
  });
  return doc;
}

describe('several relay nodes: escalations', () => {
  let cluster: TestCluster;
  const open: { destroy(): void }[] = [];
  let failed = false;
  beforeAll(async () => {
    cluster = await TestCluster.start({ nodes: 2, leaseMs: 3000, env: { MUSTER_CLOCK: 'manual' } });
  }, 120_000);
  afterAll(async () => {
    for (const c of open.splice(0)) c.destroy();
    if (failed) console.log(cluster.output());
    await cluster?.stop();
  }, 60_000);

  it('SCALE-4: a deadline armed on the owner fires once on the next owner after kill -9', async () => {
    try {
      const [n1, n2] = cluster.nodes;
      for (const n of cluster.nodes) await n.server.moveClock({ set: T0 });
      const front = await login(n1!.server.url, 'demo015');
      const a: GroupClient = connectGroup(n1!.server.wsUrl, G, front.token, await oneTap(n1!.server.url, front));
      open.push(a);
      await waitFor(() => a.fullyAcked() && invitationViews(a.doc, 0).every((v) => v.registeredAt !== null));
      expect((await cluster.ownerOf(groupDocName(G)))?.id).toBe('n1');
      a.destroy();
      expect((await n1!.server.kill('SIGKILL')).signal).toBe('SIGKILL');

      // n2 learns the stored deadline, takes the group once n1's lease expires, and escalates.
      await n2!.server.moveClock({ set: T0 + 31 * MIN });
      const leader = await login(n2!.server.url, 'demo007');
      const b = connectGroup(n2!.server.wsUrl, G, leader.token);
      open.push(b);
      await waitFor(
        () => serverEvents(b.doc).some((e) => e.invitationId === inv('p-e-cid')),
        40_000,
        'escalated on n2',
      );
      await n2!.server.moveClock({ advanceMs: 31 * MIN });
      // A fresh token: the first one expired with the move.
      const again = await login(n2!.server.url, 'demo007');
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(n2!.server.wsUrl, inboxDocName(leader.person.id), doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token: again.token },
        disableBc: true,
        maxBackoffTime: 500,
      });
      provider.messageHandlers[MessageType.ack] = () => {};
      provider.messageHandlers[MessageType.notice] = () => {};
      open.push(provider);
      const itemId = `escalation.${G}.${inv('p-e-cid')}`;
      await waitFor(() => inboxItems(doc).some((e) => e.item.id === itemId), 20_000, 'inbox item');
      expect(serverEvents(b.doc).filter((e) => e.invitationId === inv('p-e-cid'))).toHaveLength(1);
      expect(inboxItems(doc).filter((e) => e.item.id === itemId)).toHaveLength(1);
      expect((await cluster.ownerOf(groupDocName(G)))?.id).toBe('n2');
    } catch (error) {
      failed = true;
      throw error;
    }
  });
});
