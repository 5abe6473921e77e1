/**
 * A group started from the assault template of an officer's unit, as the app starts one (directory and templates
 * fetched from the relay), and the duty leader's sign-off in such a group. Shared by the inbox integration tests.
 */
import * as Y from 'yjs';
import {
  Directory,
  Root,
  expandTemplate,
  invitationViews,
  parseTemplates,
  signOff,
  startGroupFromTemplate,
} from '@muster/core';
import type { DirectoryData, GroupTemplate } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { connectGroup, waitFor } from './clients.ts';
import type { TestServer } from './startServer.ts';

export const actorOf = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

/** GET a JSON API of the relay as the holder of `token`. */
export async function getJson<T>(server: TestServer, path: string, token: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

export interface IncidentText {
  title: string;
  number: string;
  address: string;
}

/**
 * A group from the assault template of the officer's unit (it invites the duty leader post p-e-leader and p-e-cid
 * among others); invitation ids are `inv-<groupId>-<postId>`.
 */
export async function assaultGroupDoc(
  server: TestServer,
  who: LoginResponse,
  groupId: string,
  text: IncidentText,
): Promise<Y.Doc> {
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
      title: text.title,
      incident: { number: text.number, type: 'assault', address: text.address, reportedAt: Date.now() },
      unitId: who.person.unitId,
      initiator: { personId: who.person.id, name: who.person.name },
      deviceTime: Date.now(),
    },
    expansion: exp.expansion,
    invitationIds: exp.expansion.posts.map((p) => `inv-${groupId}-${p.post.id}`),
  });
  return doc;
}

/** Connects to group `groupId` as `leader`, signs invitation `inv-<groupId>-p-e-leader` and waits until it is signed. */
export async function signLeaderInvitation(server: TestServer, leader: LoginResponse, groupId: string): Promise<void> {
  const invitationId = `inv-${groupId}-p-e-leader`;
  const c = connectGroup(server.wsUrl, groupId, leader.token);
  await waitFor(() => c.doc.getMap(Root.invitations).has(invitationId), 30_000, 'group synced');
  signOff(c.doc, { id: `so-${groupId}`, invitationId, by: actorOf(leader), deviceTime: Date.now() });
  await waitFor(
    () => invitationViews(c.doc, Date.now()).find((v) => v.invitation.id === invitationId)?.status === 'signed-on-time',
    30_000,
    'signed',
  );
  c.destroy();
}
